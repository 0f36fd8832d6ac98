"""Demo conventions from seed 000.

- 延长新村 62号楼 (seed 000): the building group consulted its residents on a health
  convention (楼组健康公约), held a signing ceremony and put it on the wall; its clauses fall
  under five themes (居民凝聚类, 环境美化类, 社区议事类, 社区健康类, 邻里互助类), and the
  Community Cloud let residents sign it online. Version 1 is published, one signature per
  household: most households signed online (刘阿姨 among them), others on the paper sheet
  at the ceremony, ticked afterwards by 张楼组长. A few residents' comments from the
  consultation are kept.
- 延长新村: a civilised pet-keeping convention (文明养宠公约) for the whole committee, in
  consultation now, with residents' first comments.

Made through the services (so every phase change is audited), then dated back relative to
today. Idempotent: nothing is added once 延长新村 has conventions.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from accounts.scope import resolve_scope
from areas.models import Area, AreaLevel
from audit.context import acting_as
from conventions import services, signing
from conventions.models import ClauseComment, Convention, ConventionVersion, Signature
from conventions.services import ClauseDraft, ConventionDraft
from demo.registry import own_account
from registry.models import Resident

YANCHANG = "310106019001"
WORKER = "13800000001"  # 王社工
LEADER = "13800000003"  # 张楼组长
LIU = "13900000001"  # 刘阿姨

HEALTH_TITLE = "62号楼楼组健康公约"
HEALTH_PREAMBLE = (
    "为营造“健康生活”的楼组氛围，经62号楼全体居民协商讨论、楼组健康公约征询，"
    "订立本公约。全楼居民自觉遵守，互相监督，共建健康楼组、和睦家园。"
)
HEALTH_CLAUSES = [
    ("居民凝聚类", "楼组居民见面主动问好，新搬来的邻居由楼组长上门认识。"),
    ("居民凝聚类", "积极参加“62号楼健康楼组群”，关注楼组通知，有事在群里商量。"),
    ("居民凝聚类", "每季度参加一次楼组活动，香包DIY、T恤扎染等活动欢迎全家参加。"),
    ("环境美化类", "楼道不堆放杂物，不私拉电线，保持消防通道畅通。"),
    ("环境美化类", "爱护楼道健康主题装饰和新修的扶手、坡道，发现损坏及时告诉楼组长。"),
    ("环境美化类", "垃圾分类投放，定时定点，不乱扔不混投。"),
    ("社区议事类", "楼组重要事项在楼组会议上大家商量，少数服从多数。"),
    ("社区议事类", "对楼组和小区的意见建议，通过楼组长、社区云或居委会反映。"),
    ("社区健康类", "每月参加一次健康讲座或健康宣传活动。"),
    ("社区健康类", "不在楼道内吸烟，家中有老人、孩子的更要注意。"),
    ("社区健康类", "坚持适量运动，合理膳食，少盐少油。"),
    ("邻里互助类", "关心楼里的独居老人和高龄老人，日看窗帘夜看灯，发现异常及时联系居委会。"),
    ("邻里互助类", "邻里之间有困难互相搭把手，加入“健康楼组邻里队”做志愿服务。"),
]
HEALTH_COMMENTS = [
    (4, "楼道里的自行车和纸箱能不能统一清理一次？光靠自觉比较难。"),
    (9, "健康讲座最好放在周末上午，上班的年轻人也能来。"),
    (10, "建议在楼门口贴一张禁烟标志，提醒外来人员。"),
    (12, "楼里独居老人不少，希望邻里队能排个表，每周有人去看看。"),
    (3, "扎染活动很好，希望多办几次，孩子们很喜欢。"),
]
PET_TITLE = "延长新村文明养宠公约"
PET_PREAMBLE = "小区养宠物的家庭越来越多。为了人宠和谐、邻里和睦，居委会拟订本公约，现向全体居民征询意见。"
PET_CLAUSES = [
    ("文明遛犬", "遛狗时牵好绳，绳长不超过两米，主动避让老人和孩子。"),
    ("文明遛犬", "随身携带拾便袋，及时清理宠物粪便。"),
    ("依法养犬", "按规定为犬只办理登记、注射狂犬疫苗。"),
    ("依法养犬", "不在小区内饲养烈性犬、大型犬。"),
    ("邻里和睦", "早晚注意宠物叫声，不影响邻居休息。"),
    ("邻里和睦", "不在楼道、电梯内长时间停留宠物；乘电梯时主动抱起或收紧牵绳。"),
]
PET_COMMENTS = [
    (1, "绳长两米太严了吧？小型犬可以适当放宽。"),
    (2, "建议小区里多放几个拾便袋箱，方便大家。"),
    (5, "楼上的狗晚上经常叫，希望这条能落实。"),
]


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _commenters(committee: Area, under: Area, rng: random.Random, count: int) -> list[Resident]:
    people = list(
        Resident.objects.living()
        .filter(committee=committee, household__building__path__startswith=under.path, user__isnull=False)
        .select_related("household__building", "user")
        .order_by("pk")[:400]
    )
    rng.shuffle(people)
    return people[:count]


def _comments(version: ConventionVersion, texts, people: list[Resident], day: date) -> None:
    clauses = {c.order: c for c in version.clauses.all()}
    for index, ((order, text), person) in enumerate(zip(texts, people, strict=False)):
        clauses[order].version = version
        with acting_as(person.user):
            made = signing.comment(own_account(person), person, clauses[order], text, today=day)
        ClauseComment.objects.filter(pk=made.pk).update(created_at=_at(day, 9 + index, 15 * index % 60))


def _health(worker: User, leader: User | None, committee: Area, rng: random.Random) -> Convention:
    """Consulted about seven weeks ago, signed at the ceremony six weeks ago, on the wall since."""
    group = Area.objects.subtree(committee).get(level=AreaLevel.BUILDING_GROUP, name="62号楼组")
    today = timezone.localdate()
    opened, closes, ceremony, published = (today - timedelta(days=d) for d in (63, 50, 45, 42))
    scope = resolve_scope(worker, {})
    with acting_as(worker, "social_worker"):
        convention = services.create_convention(
            worker,
            scope,
            ConventionDraft(
                title=HEALTH_TITLE,
                area=group,
                per_household=True,
                preamble=HEALTH_PREAMBLE,
                clauses=[ClauseDraft(theme, text) for theme, text in HEALTH_CLAUSES],
            ),
        )
        version = services.open_consultation(scope, convention.versions.get(), closes, today=opened)
    _comments(version, HEALTH_COMMENTS, _commenters(committee, group, rng, len(HEALTH_COMMENTS)), closes)
    with acting_as(worker, "social_worker"):
        version = services.finalise(scope, version, today=ceremony)
        version = services.publish(scope, version)
    Convention.objects.filter(pk=convention.pk).update(created_at=_at(opened - timedelta(days=7)))
    ConventionVersion.objects.filter(pk=version.pk).update(
        created_at=_at(opened - timedelta(days=7)),
        consultation_opened_at=_at(opened),
        finalised_at=_at(ceremony, 9),
        published_at=_at(published, 15),
    )
    version.refresh_from_db()
    _signatures(version, group, leader, ceremony, rng)
    return convention


def _signatures(version: ConventionVersion, group: Area, leader: User | None, ceremony: date, rng) -> None:
    """Most households sign: online where someone has an account (刘阿姨 herself), on the
    paper sheet at the ceremony otherwise, ticked by the building leader."""
    people = list(
        Resident.objects.living()
        .filter(household__building__path__startswith=group.path)
        .select_related("household__building", "user")
        .order_by("household__sort_key", "pk")
    )
    households: dict[int, list[Resident]] = {}
    for person in people:
        households.setdefault(person.household_id, []).append(person)
    leader_scope = resolve_scope(leader, {}) if leader is not None else None
    days = max((timezone.localdate() - ceremony).days, 1)
    for members in households.values():
        liu = next((m for m in members if m.user and m.user.phone == LIU), None)
        if liu is None and rng.random() < 0.15:
            continue  # not yet: the figures show who is left
        online = liu or next((m for m in members if m.user_id), None)
        if online is not None and (liu or rng.random() < 0.9):
            with acting_as(online.user):
                made = signing.sign(own_account(online), online, version)
            when = _at(ceremony + timedelta(days=rng.randint(0, min(days, 20))), rng.randint(8, 21))
        elif leader is not None and leader_scope is not None:
            with acting_as(leader, "building_leader"):
                made = signing.record_paper(leader, leader_scope, version, members[0])
            when = _at(ceremony, 9, rng.randint(0, 59))
        else:
            continue
        Signature.objects.filter(pk=made.pk).update(signed_at=when)


def _pets(worker: User, committee: Area, rng: random.Random) -> Convention:
    """Drafted a week ago, in consultation for ten more days."""
    today = timezone.localdate()
    scope = resolve_scope(worker, {})
    with acting_as(worker, "social_worker"):
        convention = services.create_convention(
            worker,
            scope,
            ConventionDraft(
                title=PET_TITLE,
                area=committee,
                preamble=PET_PREAMBLE,
                clauses=[ClauseDraft(theme, text) for theme, text in PET_CLAUSES],
            ),
        )
        version = services.open_consultation(scope, convention.versions.get(), today + timedelta(days=10))
    _comments(version, PET_COMMENTS, _commenters(committee, committee, rng, len(PET_COMMENTS)), today)
    ConventionVersion.objects.filter(pk=version.pk).update(
        created_at=_at(today - timedelta(days=7)), consultation_opened_at=_at(today - timedelta(days=4))
    )
    Convention.objects.filter(pk=convention.pk).update(created_at=_at(today - timedelta(days=7)))
    return convention


def load() -> int:
    """The demo conventions; the number made."""
    committee = Area.objects.filter(code=YANCHANG).first()
    if committee is None or Convention.objects.filter(committee=committee).exists():
        return 0
    worker = User.objects.filter(phone=WORKER, role_grants__area=committee).first()
    if worker is None or not Resident.objects.filter(committee=committee).exists():
        return 0
    leader = User.objects.filter(phone=LEADER).first()
    rng = random.Random(62)
    _health(worker, leader, committee, rng)
    _pets(worker, committee, rng)
    return 2
