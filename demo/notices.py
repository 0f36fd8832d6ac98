"""Demo notices from the seeds: 延长新村's health publicity twice a month on the Community
Cloud (seed 000), announcements and community news, a notice for residents living alone,
大宁路街道's 暖冬集市 for all its committees, and reads so the receipts have something to show.

Dates are relative to today, so the home page and the publicity plan always look current.
Idempotent: a notice already there (same area and title) is left alone.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from areas.models import Area, AreaLevel
from notices.models import Cadence, Notice, NoticeRead, NoticeTarget, ReadHow
from notices.selectors import audience

YANCHANG = "310106019001"
HUIZHIHU = "310106019016"
DANING = "310106019"

HEALTH = [
    (
        "冬季养生健康讲座",
        "各位居民朋友：\n\n冬季气温骤降，是心脑血管疾病的高发季节。居委会联合大宁路街道社区卫生服务中心，"
        "本周二下午两点在居委会二楼活动室举办冬季养生健康讲座，现场免费测量血压、血糖。\n\n欢迎60岁以上的老年朋友踊跃参加。",
    ),
    (
        "流感季节防护小贴士",
        "勤洗手、常通风、少聚集；出现发热、咳嗽请及时就医。65岁以上老人可到社区卫生服务中心免费接种流感疫苗。",
    ),
    (
        "老年人防跌倒要点",
        "浴室铺防滑垫，夜间留一盏小夜灯，起床做到“三个半分钟”。楼组健康邻里队可上门帮助检查扶手。",
    ),
    ("健康饮食：少盐少油", "每人每天食盐不超过5克，烹调油25到30克。腌制食品要少吃，多吃新鲜蔬菜水果。"),
    (
        "高血压患者冬季用药提醒",
        "天冷血压容易波动，请按时服药、每天测量，不要自行停药或减量。家庭医生签约居民可预约上门随访。",
    ),
    ("香囊制作与中医养生", "端午将至，中医师讲解艾草、苍术等药材的功效，并带大家动手制作驱蚊香囊。"),
    ("夏季防暑降温", "高温天气尽量避免午后外出，多喝温开水；独居老人请与楼组长保持联系。"),
    ("心肺复苏与AED使用", "社区卫生服务中心医生现场教学心肺复苏和AED使用，学会了关键时刻能救命。"),
]
ANNOUNCEMENTS = [
    (
        "62号楼二次供水水箱清洗停水通知",
        "因二次供水水箱清洗，本周四上午8:00至12:00停水，请提前储水。给您带来不便，敬请谅解。",
        ["62号楼"],
    ),
    ("冬季消防安全提示", "请勿在楼道堆放杂物、停放电动自行车充电；离家和睡前检查电器和燃气。", []),
    (
        "楼组健康公约征询意见",
        "62号楼健康楼组公约（草案）已张贴在一楼大厅，欢迎居民在本月底前提出意见。",
        ["62号楼组"],
    ),
]
NEWS = [
    (
        "“暖冬集市”回顾",
        "12月11日，大宁路街道社区服务中心举办“暖冬”社区公益集市，老人、小朋友、年轻的家长为集市注入了活力。",
    ),
    (
        "62号楼完成适老化微更新",
        "健康楼组邻里队动员楼组居民，完成了扶手、坡道的微更新，楼道更适合老人居住了。",
    ),
]


def _at(days_ago: float, hour: int = 9) -> datetime:
    now = timezone.localtime()
    moment = (now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return min(moment, now - timedelta(minutes=5))


def _notice(
    area: Area, category: str, title: str, body: str, targets: list[Area], at, **extra
) -> Notice | None:
    if Notice.objects.filter(area=area, title=title).exists():
        return None
    notice = Notice.objects.create(
        area=area, category=category, title=title, body=body, publish_at=at, **extra
    )
    NoticeTarget.objects.bulk_create([NoticeTarget(notice=notice, area=t) for t in targets or [area]])
    return notice


def _reads(notice: Notice, share: float, rng: random.Random) -> None:
    """Some of the audience's verified residents have read it; a few were told in person."""
    publish_at = notice.publish_at
    assert publish_at is not None  # only published notices are read
    people = list(audience(notice).filter(user__isnull=False).values_list("pk", flat=True))
    chosen = rng.sample(people, int(len(people) * share))
    now = timezone.now()
    rows = [
        NoticeRead(
            notice=notice,
            resident_id=pk,
            how=ReadHow.IN_PERSON if i % 9 == 0 else ReadHow.ONLINE,
            at=min(publish_at + timedelta(hours=rng.uniform(0.2, 72)), now),
        )
        for i, pk in enumerate(chosen)
    ]
    NoticeRead.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    notice.audience_size = audience(notice).count()
    notice.delivered_at = notice.publish_at
    notice.save(update_fields=["audience_size", "delivered_at"])


def load() -> int:
    """The demo notices; the number made."""
    rng = random.Random(2026)
    made = []
    yanchang = Area.objects.get(code=YANCHANG)
    parts = {
        a.name: a
        for a in Area.objects.subtree(yanchang).filter(
            level__in=[AreaLevel.BUILDING_GROUP, AreaLevel.BUILDING]
        )
    }
    # Health publicity twice a month for the last four months (seed 000).
    for i, (title, body) in enumerate(HEALTH):
        made.append(_notice(yanchang, "health", title, body, [], _at(3 + 15 * i)))
    since = (timezone.localdate() - timedelta(days=100)).replace(day=1)
    Cadence.objects.get_or_create(
        committee=yanchang, category="health", defaults={"per_month": 2, "since": since}
    )
    Cadence.objects.get_or_create(
        committee=yanchang, category="news", defaults={"per_month": 1, "since": since}
    )
    for i, (title, body, where) in enumerate(ANNOUNCEMENTS):
        made.append(
            _notice(
                yanchang,
                "announcement",
                title,
                body,
                [parts[w] for w in where if w in parts],
                _at(1 + 6 * i, 10),
            )
        )
    for i, (title, body) in enumerate(NEWS):
        made.append(_notice(yanchang, "news", title, body, [], _at(5 + 20 * i, 15)))
    made.append(
        _notice(
            yanchang,
            "announcement",
            "独居老人冬季关爱走访安排",
            "社工和楼组长将于本月逐户走访独居老人，了解取暖、用电和就医需要。如有困难，可随时拨打居委会电话。",
            [],
            _at(2, 11),
            target_tags="|living_alone|",
            pinned=True,
        )
    )
    huizhihu = Area.objects.get(code=HUIZHIHU)
    made.append(_notice(huizhihu, "health", "冬季养生健康讲座", HEALTH[0][1], [], _at(4)))
    daning = Area.objects.get(code=DANING)
    made.append(
        _notice(
            daning,
            "news",
            "大宁路街道“暖冬集市”邀您来逛",
            "12月11日在共和新路2299号社区服务中心举办“暖冬”社区公益集市：理发、磨刀、测血压，还有书法家现场写春联。",
            [],
            _at(6, 8),
        )
    )
    # One scheduled for next week, one draft: what staff see on their list.
    if not Notice.objects.filter(area=yanchang, title="元旦迎新书法展").exists():
        _notice(
            yanchang,
            "news",
            "元旦迎新书法展",
            "新华书法班学员作品将在居委会活动室展出。",
            [],
            timezone.now() + timedelta(days=7),
        )
    if not Notice.objects.filter(area=yanchang, title="垃圾分类宣传（草稿）").exists():
        _notice(yanchang, "announcement", "垃圾分类宣传（草稿）", "待完善。", [], None)
    published = [n for n in made if n is not None]
    for notice in published:
        _reads(notice, rng.uniform(0.35, 0.8), rng)
    return len(published)
