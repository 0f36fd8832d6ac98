"""Demo deliberation from the seeds.

- 公交新村 (seed 003): "how should the red-roof garden be designed?" put on the Community
  Cloud; residents' opinions, a poll, the joint meeting of the "three carriages" (committee,
  property management, owners' committee), decisions carried out, and the garden's first
  open-air film. Plus a topic open now (e-bike charging) with its poll, and a resident's
  proposal gathering support.
- 延长新村 (seed 000): the handrails and ramp of building 62, open for opinions, with a
  per-household poll that 刘阿姨 can vote in.

Made through the services, then dated back. Idempotent: nothing is added once 公交新村 has topics.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from accounts.scope import resolve_scope
from areas.models import Area, AreaLevel
from audit.context import acting_as
from common.scope import NO_SCOPE
from deliberation import meetings, polls, services
from deliberation.models import Decision, Meeting, Opinion, Phase, PollOption, Topic, TopicEvent
from deliberation.polls import PollDraft
from deliberation.services import TopicDraft
from demo.registry import own_account
from registry.models import Resident

GONGJIAO = "310110009016"
YANCHANG = "310106019001"
GONGJIAO_LEAD = "13800000012"  # 胡主任

GARDEN_OPINIONS = [
    "希望多放几张有靠背的长椅，老人散步累了可以歇歇脚。",
    "可以种些月季和绣球，花期长，好打理。",
    "夏天晚上能不能放露天电影？以前弄堂里就有，大家都怀念。",
    "孩子们需要一块能跑能跳的地方，地面最好是软的。",
    "屋顶防水一定要先做好，不然楼下要漏水。",
    "灯光不要太亮，三楼以上的住户晚上要休息。",
    "建议设置一个小小的种植角，让居民认领花盆。",
    "晾晒被子的地方也请保留一块。",
    "要有人管，垃圾不能乱扔，建议志愿者轮流值班。",
    "开放时间晚上九点结束比较好。",
    "希望有无障碍坡道，轮椅也能上去。",
    "搭个凉亭，下雨天也能坐坐。",
]
GARDEN_OPTIONS = [("休闲座椅区", 0.34), ("花架绿植", 0.27), ("露天电影场地", 0.29), ("儿童游乐角", 0.10)]


def _at(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def _voters(committee: Area, count: int, rng: random.Random) -> list[Resident]:
    people = list(
        Resident.objects.living()
        .filter(committee=committee, user__isnull=False, birth_date__isnull=False)
        .select_related("household__building", "user")
        .order_by("pk")[:3000]
    )
    rng.shuffle(people)
    return people[:count]


def _events(topic: Topic, dates: list[datetime]) -> None:
    for event, at in zip(topic.events.order_by("pk"), dates, strict=False):
        TopicEvent.objects.filter(pk=event.pk).update(at=at)


def _garden(lead: User, committee: Area, rng: random.Random) -> Topic:
    scope = resolve_scope(lead, {})
    topic = services.post_topic(
        lead,
        scope,
        TopicDraft(
            title="如何设计一个更让人满意的红屋顶花园？",
            body=(
                "小区3号楼顶的红屋顶平台闲置多年。居民区党总支准备把它改造成居民共享的花园，"
                "设计、施工和日后维护都请大家一起出主意：想要什么功能？什么时间开放？谁来管？"
            ),
        ),
    )
    people = _voters(committee, 260, rng)
    for n, text in enumerate(GARDEN_OPINIONS):
        person = people[n]
        made = services.give_opinion(own_account(person), topic, text, resident=person, scope=NO_SCOPE)
        Opinion.objects.filter(pk=made.pk).update(created_at=_at(150 - n * 2, 19))
    first = Opinion.objects.filter(topic=topic).order_by("pk").first()
    reply = services.give_opinion(lead, topic, "谢谢建议，座椅会选带靠背的款式。", parent=first, scope=scope)
    Opinion.objects.filter(pk=reply.pk).update(created_at=_at(146, 9))
    poll = polls.set_poll(
        scope,
        topic,
        PollDraft(
            question="红屋顶花园最想先建哪一块？",
            options=[label for label, _share in GARDEN_OPTIONS],
            opens_at=_at(135, 8),
            closes_at=_at(121, 20),
            multiple=False,
            per_household=True,
        ),
    )
    services.move(lead, scope, topic, Phase.POLL, "意见汇总后，请每户投票选出最想先建的区域。")
    topic.refresh_from_db()
    options = list(PollOption.objects.filter(poll=poll).order_by("order"))
    weights = [share for _label, share in GARDEN_OPTIONS]
    seen: set[int] = set()
    for person in people[len(GARDEN_OPINIONS) :]:
        if person.household_id in seen:
            continue
        seen.add(person.household_id)
        choice = rng.choices(options, weights)[0]
        polls.vote(own_account(person), person, poll, [choice.pk], now=_at(130 - len(seen) % 9, 20))
    meeting = meetings.create_meeting(
        lead,
        scope,
        meetings.MeetingDraft(
            kind="joint",
            title="红屋顶花园三驾马车联席会议",
            starts_at=_at(115, 14),
            place="居委会会议室",
            agenda="1. 通报居民意见和投票结果\n2. 确定设计方案\n3. 施工与日后维护分工",
            topics=[topic],
        ),
    )
    for side, name, organisation in [
        ("committee", "胡主任", "公交新村居委会"),
        ("property", "王经理", "公交新村物业服务中心"),
        ("owners", "陈主任", "公交新村业主委员会"),
        ("resident", "张阿姨", ""),
        ("resident", "李老师", ""),
        ("partner", "赵工", "区绿化市容局"),
    ]:
        meetings.add_participant(scope, meeting, side, name, organisation)
    meetings.record_minutes(
        scope,
        meeting,
        "通报：收到意见12条，投票户数见结果，座椅区与露天电影场地最受欢迎。议定：座椅区和可放露天电影的"
        "活动区先建，花架沿围栏布置，儿童角在二期考虑。物业负责施工与防水，业委会审核维修资金，"
        "居委会组织志愿者值守。",
        {p.pk for p in meeting.participants.all() if p.name != "赵工"},
    )
    Meeting.objects.filter(pk=meeting.pk).update(held_at=_at(115, 17))
    due = timezone.localdate() - timedelta(days=60)
    for text, owner, done_days in [
        ("屋顶防水和护栏加固后施工座椅区、活动区", "公交新村物业服务中心 王经理", 70),
        ("使用专项维修资金的表决与公示", "公交新村业主委员会 陈主任", 100),
        ("组建花园志愿者值守队，定开放时间（7:00–21:00）", "公交新村居委会 胡主任", 65),
    ]:
        decision = meetings.decide(scope, meeting, text, owner, due, topic)
        meetings.track(scope, decision, "done", "已完成")
        Decision.objects.filter(pk=decision.pk).update(done_at=_at(done_days, 16))
    services.move(lead, scope, topic, Phase.DECISION, "交三驾马车联席会议讨论。")
    services.move(
        lead, scope, topic, Phase.IMPLEMENTATION, "先建座椅区和活动区，花架沿围栏布置，儿童角二期考虑。"
    )
    services.move(
        lead,
        scope,
        topic,
        Phase.DONE,
        "花园已建成开放。8月在花园放映了暑期第一场露天电影，居民围坐一圈，在夏夜晚风里说说笑笑。",
    )
    _events(topic, [_at(155, 9), _at(135, 8), _at(116, 9), _at(115, 17), _at(60, 20)])
    Topic.objects.filter(pk=topic.pk).update(
        created_at=_at(155, 9), opened_at=_at(155, 9), collect_until=_at(136).date()
    )
    return topic


def _charging(lead: User, committee: Area, rng: random.Random) -> Topic:
    scope = resolve_scope(lead, {})
    topic = services.post_topic(
        lead,
        scope,
        TopicDraft(
            title="非机动车棚加装充电桩",
            body="电瓶车在楼道里充电有火灾隐患。物业提出在2号车棚加装充电桩，按次付费。请大家说说意见。",
            collect_until=timezone.localdate() + timedelta(days=10),
        ),
    )
    people = _voters(committee, 40, rng)
    for n, text in enumerate(
        ["支持，楼道充电太危险。", "收费标准要公开。", "车棚晚上要有照明和监控。", "希望能刷公交卡付费。"]
    ):
        services.give_opinion(own_account(people[n]), topic, text, resident=people[n], scope=NO_SCOPE)
    polls.set_poll(
        scope,
        topic,
        PollDraft(
            question="您是否同意在2号车棚加装充电桩？",
            options=["同意", "不同意", "无所谓"],
            opens_at=timezone.now() - timedelta(days=1),
            closes_at=timezone.now() + timedelta(days=10),
        ),
    )
    services.move(lead, scope, topic, Phase.POLL, "投票开始，十天后公布结果。")
    topic.refresh_from_db()
    poll = topic.poll
    options = list(poll.options.order_by("order"))
    for person in people[4:30]:
        polls.vote(own_account(person), person, poll, [rng.choices(options, [0.7, 0.1, 0.2])[0].pk])
    services.set_held_words(scope, "广告\n加微信\n代办")
    return topic


def _proposal(committee: Area, rng: random.Random) -> None:
    people = _voters(committee, 5, rng)
    topic = services.propose_topic(
        own_account(people[0]), people[0], "小区南门增设一处快递柜", "南门一带老人多，取快递要绕到北门。"
    )
    for person in people[1:4]:
        services.support(own_account(person), person, topic)


def _handrails(lead: User, committee: Area) -> Topic:
    scope = resolve_scope(lead, {})
    building = Area.objects.subtree(committee).filter(level=AreaLevel.BUILDING, name="62号楼").first()
    topic = services.post_topic(
        lead,
        scope,
        TopicDraft(
            title="62号楼扶手与坡道微更新方案征询",
            body=(
                "“健康楼组邻里队”提出为62号楼加装楼道扶手、门口改建缓坡。请62号楼的居民说说意见："
                "扶手装在哪一侧？坡道会不会影响停车？"
            ),
            collect_until=timezone.localdate() + timedelta(days=12),
            areas=[building] if building else [],
        ),
    )
    polls.set_poll(
        scope,
        topic,
        PollDraft(
            question="扶手装在楼梯哪一侧？",
            options=["靠墙一侧", "栏杆一侧", "两侧都装"],
            opens_at=timezone.now() - timedelta(hours=2),
            closes_at=timezone.now() + timedelta(days=12),
            per_household=True,
        ),
    )
    services.move(lead, scope, topic, Phase.POLL, "每户一票，投票截止后公布。")
    return topic


def load() -> int:
    """The demo topics; the number made."""
    gongjiao = Area.objects.filter(code=GONGJIAO).first()
    yanchang = Area.objects.filter(code=YANCHANG).first()
    if gongjiao is None or Topic.objects.filter(committee=gongjiao).exists():
        return 0
    rng = random.Random(2023)
    made = 0
    lead = User.objects.filter(phone=GONGJIAO_LEAD).first()
    if lead is not None and Resident.objects.filter(committee=gongjiao).exists():
        with acting_as(lead, "committee_lead"):
            _garden(lead, gongjiao, rng)
            _charging(lead, gongjiao, rng)
            _proposal(gongjiao, rng)
        made += 3
    worker = User.objects.filter(role_grants__area=yanchang, role_grants__role="social_worker").first()
    if yanchang is not None and worker is not None:
        with acting_as(worker, "social_worker"):
            _handrails(worker, yanchang)
        made += 1
    return made
