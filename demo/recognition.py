"""Demo centres, talent and awards (issue 21), from seeds 003 and 004.

- 杨浦区 (seed 003): 47 neighbourhood centres (睦邻中心 and 党群服务站) in its committees, run
  by 29 social organisations; the district's 100-point sheet for this year (five criteria after
  the civil-affairs bureau's sheet, five stars from 90 points) and a final rating of every
  centre: 17 five-star, the others four, three or two stars, each criterion with its evidence
  note. Last year's sheet rated a third of them too: the centres' history.
- 46 睦邻达人 of 杨浦's committees, confirmed, each shown by a chosen name (王阿姨) with their
  skills; two more offers wait for the committee.
- 江秋新苑 (seed 004, committee 310117103004) elects its 最美江秋人: twelve nominations with
  reasons, a public vote (a deliberation poll, one vote per resident) that has closed, and the
  committee's decision of five winners, which does not follow the vote exactly.

Through the services where a rule decides (centres, sheets, awards, the vote's poll); the
ratings, scores, talent and ballots in bulk, keeping what the services keep: a score never
above its criterion's points, the stars by the sheet's bands, one final rating a year, one
ballot per resident with the choices' counters equal to the ballots. Idempotent: each part is
skipped once it exists.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import Role
from accounts.scope import resolve_scope
from areas.models import Area, AreaLevel
from deliberation.models import Ballot, PollOption
from partners.models import PartnerUnit, UnitKind
from recognition import awards, centres
from recognition.models import (
    Award,
    Centre,
    CentreKind,
    Criterion,
    Rating,
    RatingStatus,
    Score,
    SkillTag,
    Talent,
    TalentStatus,
)
from registry.models import Resident

YANGPU = "310110"
JIANGQIU = "310117103004"
CENTRES, FIVE_STAR, ORGS, TALENT = 47, 17, 29, 46
RATER = ("13800000031", "杨浦区民政")
CRITERIA = [
    ("阵地建设与设施", 20),
    ("服务项目与成效", 25),
    ("运营管理与制度", 20),
    ("队伍建设", 15),
    ("居民满意度", 20),
]
EVIDENCE = ["现场查看台账", "查阅活动记录与照片", "抽查服务对象回访", "查看制度上墙与档案", "问卷调查结果"]
ORG_WORDS = ["乐群", "睦邻", "益家", "同心", "和美", "善邻", "阳光", "暖心", "惠民", "邻里"]
SKILLS = [
    (SkillTag.CRAFT, "剪纸、编中国结"),
    (SkillTag.REPAIR, "修小家电、换水龙头"),
    (SkillTag.CALLIGRAPHY, "教书法，写春联"),
    (SkillTag.MUSIC, "沪剧、越剧清唱"),
    (SkillTag.DANCE, "太极拳、广场舞"),
    (SkillTag.COOKING, "本帮菜、包馄饨"),
    (SkillTag.HEALTH, "量血压、讲慢病保健"),
    (SkillTag.LAW, "退休律师，解答法律问题"),
    (SkillTag.DIGITAL, "教老人用智能手机"),
    (SkillTag.TEACHING, "辅导小学数学"),
    (SkillTag.GARDEN, "养花种菜"),
]
NOMINEES = 12
REASONS = [
    "十几年如一日照顾楼里的独居老人",
    "带头清理楼道堆物，楼组环境焕然一新",
    "疫情期间当志愿者，天天帮邻居代购",
    "组织江秋合唱队，丰富居民生活",
    "调解邻里纠纷，热心又公道",
    "义务为邻居修理家电，分文不取",
]


def _rater() -> User:
    """杨浦区民政: a district admin of 杨浦区, who rates its centres (one of data.DEMO_USERS, so
    the demo prints its login and second factor; made here too when the module loads alone)."""
    district = Area.objects.get(code=YANGPU)
    user = User.objects.filter(phone=RATER[0]).first()
    if user is None:
        user = User.objects.create_user(RATER[0], None, name=RATER[1], home_area=district)
    if not RoleGrant.objects.filter(user=user, area=district).exists():
        RoleGrant.objects.create(user=user, role=Role.DISTRICT_ADMIN, area=district)
    return user


def _committees(district: Area) -> list[Area]:
    """47 committees taken in turn from each street of the district, so every street has some."""
    by_street: dict[int, list[Area]] = {}
    for committee in Area.objects.filter(path__startswith=district.path, level=AreaLevel.COMMITTEE).order_by(
        "path"
    ):
        by_street.setdefault(committee.parent_id or 0, []).append(committee)
    queues = list(by_street.values())
    picked: list[Area] = []
    while len(picked) < CENTRES and any(queues):
        for queue in queues:
            if queue and len(picked) < CENTRES:
                picked.append(queue.pop(0))
    return picked


def _organisations(district: Area) -> list[PartnerUnit]:
    """29 social organisations registered with the district: any of them may run a centre of
    its committees."""
    names = [f"杨浦区{ORG_WORDS[n % 10]}{('社区', '社工', '公益')[n // 10]}服务社" for n in range(ORGS)]
    PartnerUnit.objects.bulk_create(
        [
            PartnerUnit(area=district, name=name, kind=UnitKind.SOCIAL_ORG, about="承接睦邻中心运营")
            for name in names
        ]
    )
    return list(PartnerUnit.objects.filter(kind=UnitKind.SOCIAL_ORG, area=district).order_by("pk"))


def _sheet(rater: User, district: Area, year: int):
    draft = centres.SheetDraft(
        year=year,
        title=f"杨浦区睦邻中心星级评定表（{year}）",
        criteria=CRITERIA,
        bands=centres.default_bands(100),
    )
    return centres.set_sheet(rater, district, draft, scope=resolve_scope(rater, {}))


def _points(target: int, rng: random.Random) -> list[Decimal]:
    """Points per criterion adding up to ``target``, none above its criterion's points."""
    shares = [max(0, min(p, round(p * target / 100 + rng.choice((-1, 0, 1))))) for _t, p in CRITERIA]
    diff = target - sum(shares)
    for i, (_t, p) in enumerate(CRITERIA):
        step = max(-shares[i], min(p - shares[i], diff))
        shares[i] += step
        diff -= step
    return [Decimal(s) for s in shares]


def _rate(rater: User, sheet, centre_list: list[Centre], targets: list[int], rng: random.Random) -> None:
    now = timezone.now()
    criteria = list(Criterion.objects.filter(sheet=sheet).order_by("order"))
    made = Rating.objects.bulk_create(
        [
            Rating(
                centre=c,
                sheet=sheet,
                year=sheet.year,
                status=RatingStatus.FINAL,
                score=Decimal(t),
                stars=sheet.stars_for(Decimal(t)),
                assessor=rater,
                submitted_at=now,
                finalised_at=now,
                finalised_by=rater,
            )
            for c, t in zip(centre_list, targets, strict=True)
        ]
    )
    Score.objects.bulk_create(
        [
            Score(rating=r, criterion=cr, points=pts, note=EVIDENCE[i])
            for r, t in zip(made, targets, strict=True)
            for i, (cr, pts) in enumerate(zip(criteria, _points(t, rng), strict=True))
        ]
    )


def _centres(rng: random.Random) -> int:
    district = Area.objects.get(code=YANGPU)
    if Centre.objects.filter(area__path__startswith=district.path).exists():
        return 0
    rater = _rater()
    scope = resolve_scope(rater, {})
    orgs = _organisations(district)
    made = []
    for n, committee in enumerate(_committees(district)):
        kind = CentreKind.CENTRE if n % 3 else CentreKind.STATION
        name = committee.name.removesuffix("居委会").removesuffix("居民委员会")
        draft = centres.CentreDraft(
            name=f"{name}{'睦邻中心' if kind == CentreKind.CENTRE else '党群服务站'}",
            kind=kind,
            operator=orgs[n % len(orgs)],
            about="为居民提供议事、活动、助老和亲子服务。",
        )
        made.append(centres.create_centre(committee, draft, scope=scope))
    year = timezone.localdate().year
    rest = len(made) - FIVE_STAR
    targets = [rng.randint(90, 98) for _ in range(FIVE_STAR)] + [
        rng.randint(80, 89)
        if i < rest * 3 // 5
        else rng.randint(70, 79)
        if i < rest * 9 // 10
        else rng.randint(62, 69)
        for i in range(rest)
    ]
    rng.shuffle(targets)
    _rate(rater, _sheet(rater, district, year), made, targets, rng)
    history = made[: len(made) // 3]
    _rate(
        rater,
        _sheet(rater, district, year - 1),
        history,
        [t - rng.randint(0, 6) for t in targets[: len(history)]],
        rng,
    )
    return len(made)


def _talent(rng: random.Random) -> int:
    district = Area.objects.get(code=YANGPU)
    if Talent.objects.filter(committee__path__startswith=district.path).exists():
        return 0
    people = list(
        Resident.objects.living()
        .filter(committee__path__startswith=district.path, birth_date__isnull=False)
        .order_by("pk")[: TALENT + 2]
    )
    now = timezone.now()
    rows = []
    for n, person in enumerate(people):
        tag, words = SKILLS[n % len(SKILLS)]
        polite = "阿姨" if person.gender == "F" else "师傅"
        confirmed = n < TALENT
        rows.append(
            Talent(
                committee_id=person.committee_id,
                resident=person,
                shown_as=f"{person.name[:1]}{polite}",
                tags=tag,
                skills=words,
                teaches=n % 4 != 0,
                helps=n % 3 != 0,
                status=TalentStatus.CONFIRMED if confirmed else TalentStatus.OFFERED,
                offered_at=now - timedelta(days=rng.randint(10, 300)),
                confirmed_at=now if confirmed else None,
            )
        )
    Talent.objects.bulk_create(rows)
    return sum(1 for r in rows if r.status == TalentStatus.CONFIRMED)


def _award(rng: random.Random) -> int:
    """江秋新苑's 最美江秋人: nominations, a closed public vote, the decision."""
    committee = Area.objects.get(code=JIANGQIU)
    year = timezone.localdate().year
    if Award.objects.filter(committee=committee, year=year).exists():
        return 0
    lead = (
        User.objects.filter(role_grants__area=committee, role_grants__role=Role.COMMITTEE_LEAD)
        .order_by("pk")
        .first()
    )
    if lead is None:
        return 0
    scope = resolve_scope(lead, {})
    today = timezone.localdate()
    award = awards.create_award(
        lead,
        awards.AwardDraft(
            title="最美江秋人",
            year=year,
            about="表彰热心公益、守望相助的江秋新苑居民。",
            places=5,
            nominations_until=today,
        ),
        scope=scope,
    )
    living = list(Resident.objects.living().filter(committee=committee).order_by("pk"))
    nominees = rng.sample(living[:400], NOMINEES)
    for n, person in enumerate(nominees):
        awards.nominate_as_staff(lead, award, person, REASONS[n % len(REASONS)], scope=scope)
    now = timezone.now()
    opened = now - timedelta(days=10)
    award = awards.open_vote(lead, award, opened, now - timedelta(days=1), scope=scope)
    poll = award.topic.poll  # type: ignore[union-attr]
    options = list(PollOption.objects.filter(poll=poll).order_by("order"))
    weights = [rng.randint(1, 10) for _ in options]
    voters = rng.sample(living, min(len(living), 800))
    chosen: dict[int, int] = {}
    ballots = []
    for person in voters:
        picks = set(
            rng.choices(range(len(options)), weights=weights, k=rng.randint(1, poll.max_choices or 1))
        )
        for i in picks:
            chosen[options[i].pk] = chosen.get(options[i].pk, 0) + 1
        ballots.append(
            Ballot(
                poll=poll,
                key=f"r:{person.pk}",
                resident=person,
                cast_at=opened + timedelta(minutes=rng.randint(1, 12000)),
            )
        )
    Ballot.objects.bulk_create(ballots)
    for option_id, count in chosen.items():
        PollOption.objects.filter(pk=option_id).update(votes=F("votes") + count)
    ranked = sorted(award.nominations.all(), key=lambda n: -(chosen.get(n.option_id or 0, 0)))
    # The committee takes the vote's first four and, in place of the fifth, a nominee the
    # neighbourhood knows for years of quiet care: the decision says so.
    winners = [*ranked[:4], ranked[-1]]
    awards.decide(
        lead,
        award,
        [w.pk for w in winners],
        "居委会参考公众投票结果，综合考虑日常表现，评出五位最美江秋人；其中一位得票不多，但多年照顾独居老人，经居民代表推荐入选。",
        scope=scope,
    )
    return len(ballots)


def load() -> dict[str, int]:
    """The centres rated, the talent confirmed and the votes cast; zeros once all exist."""
    rng = random.Random(21)
    return {"centres": _centres(rng), "talent": _talent(rng), "votes": _award(rng)}
