"""Demo household visits (四百走访, seed 003: 进百家门、访百家情、解百家难、暖百家心).

- 慧芝湖花园: this quarter's plan covers all 3,429 households, shared between 孙社工 and
  林社工, with 周楼组长 taking her own 5号楼组; a bit over a third are visited so far.
- 公交新村: this quarter's plan shared between 马社工 and 胡主任 (seed 003: 胡云 "measures
  the community with her feet"), more than half visited.

Visits are at the door, by phone or met outside, made by the worker whose share it is, on
days since the quarter began; some households were also visited last quarter, so the list
of households not visited for 90 days has dates in it. What was found comes from the seeds:
curtains by day and lights at night, residents helped onto the Community Cloud, the garden
that residents helped design, the lift, pets. A few needs were raised as requests (if the
demands app offers categories). The plan is made through the service (workers are told);
the bulk of the visits is written in one go. Idempotent: nothing is added once a committee
has this quarter's plan.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from accounts.scope import resolve_scope
from areas.models import Area
from audit.context import acting_as, suspended
from audit.services import record
from demands.selectors import categories_for
from registry.models import Household, Resident
from visits import services
from visits.forms import quarter_of
from visits.models import PlanShare, Visit, VisitPlan, Way
from visits.services import NeedDraft, PlanDraft, VisitDraft

FINDINGS = [
    "老人独居，身体尚可。白天窗帘拉开，晚上灯亮，邻居也常来看看。",
    "纯老家庭，老伴腿脚不便，平时很少下楼。已留居委会电话，有事第一时间打。",
    "子女上班忙，帮助注册了“社区云”，以后通知公告、活动报名在手机上就能看。",
    "家中一切正常，邀请参加睦邻中心本月的书法班。",
    "对“红屋顶花园”很满意，希望花园里多放几张座椅、加一处遮阳。",
    "问起小区洗水箱、换管道的时间，已告知会在社区云上发通知。",
    "想了解加装电梯的进度，楼里几位老人都很关心。",
    "反映楼道里堆了纸箱和自行车，已转告物业。",
    "楼上的狗晚上常叫，希望文明养宠公约能落实。",
    "家里有高龄老人，血压偏高，提醒按时服药，便民服务日可来量血压。",
    "新搬来的住户，介绍了居委会和楼组长，已加入楼组群。",
    "一家人都好，孩子暑假参加了“露天电影”，很喜欢。",
]
PHONE_FINDINGS = [
    "电话联系，老人说最近身体还好，就是晚上睡得不踏实。",
    "电话联系，家里人都在外地上班，老人一个人在家，请邻居多照应。",
    "电话联系，询问社区食堂20元套餐怎么订。",
]
OUTSIDE_FINDINGS = [
    "在小区花园遇到，聊了几句，身体硬朗，每天早上打太极。",
    "在菜场门口遇到，说家里水管有点漏，已请物业上门看看。",
]
# Needs raised as requests: (finding, need, category name, request text)
NEEDS = [
    (
        "80岁独居，前几天夜里身体不舒服，自己打了电话才送的医院。",
        "希望有人每天看看",
        "助急",
        "独居高龄老人，夜里曾突发不适，希望纳入“日看窗帘夜看灯”，每天有人关照。",
    ),
    (
        "纯老家庭，老伴行动不便，去医院复诊很吃力。",
        "复诊需要陪同",
        "助医",
        "老伴行动不便，每月复诊需要有人陪同。",
    ),
    (
        "老人一个人做饭吃力，想订社区食堂的午餐。",
        "想订助餐",
        "助餐",
        "独居老人想订社区食堂午餐，希望能送餐上门。",
    ),
    ("家里卫生打扫不动了，子女不在身边。", "需要助洁", "助洁", "老两口打扫卫生吃力，申请每周一次助洁服务。"),
]


@dataclass(frozen=True)
class Setup:
    committee: str
    workers: tuple[str, ...]  # phones of the demo users who share the plan
    share: float  # households visited so far this quarter
    seed: int


SETUPS = [
    Setup("310106019016", ("13800000011", "13800000015", "13800000016"), 0.38, 16),  # 慧芝湖花园
    Setup("310110009016", ("13800000014", "13800000012"), 0.55, 9),  # 公交新村
]


def _way(rng: random.Random) -> str:
    return rng.choices([Way.DOOR, Way.PHONE, Way.OUTSIDE], weights=[6, 3, 1])[0]


def _finding(rng: random.Random, way: str) -> str:
    pools: dict[str, list[str]] = {Way.PHONE: PHONE_FINDINGS, Way.OUTSIDE: OUTSIDE_FINDINGS}
    pool = pools.get(way, FINDINGS)
    return rng.choice(pool)


def _households(committee: Area) -> list[Household]:
    living = Prefetch("residents", queryset=Resident.objects.living().order_by("pk"), to_attr="living")
    return list(
        Household.objects.filter(committee=committee)
        .select_related("building")
        .prefetch_related(living)
        .order_by("building__path", "sort_key", "pk")
    )


def _bulk_visits(plan: VisitPlan, homes: list[Household], workers: dict[str, User], rng, today: date) -> int:
    """This quarter's visits by the share's worker, and some from last quarter."""
    by_path = [
        (s.area.path, s.worker) for s in PlanShare.objects.filter(plan=plan).select_related("area", "worker")
    ]
    days_in = max((today - plan.starts_on).days, 0)
    visits, seen = [], []
    now = timezone.now()
    for home in homes:
        worker = next((w for path, w in by_path if home.building.path.startswith(path)), None)
        dates = []
        if rng.random() < 0.35:
            dates.append(plan.starts_on - timedelta(days=rng.randint(20, 110)))
        if worker is not None and rng.random() < SHARE[plan.committee.code]:
            dates.append(plan.starts_on + timedelta(days=rng.randint(0, days_in)))
        for day in dates:
            way = _way(rng)
            visit = Visit(
                household=home,
                visited_on=day,
                way=way,
                findings=_finding(rng, way),
                recorded_by=worker or next(iter(workers.values())),
                recorded_at=now,
            )
            visits.append(visit)
            people = home.living if way == Way.DOOR else home.living[:1]  # type: ignore[attr-defined]  # prefetched to_attr
            seen.append(people)
    made = Visit.objects.bulk_create(visits, batch_size=500)
    through = Visit.seen.through
    through.objects.bulk_create(
        [
            through(visit_id=v.pk, resident_id=p.pk)
            for v, people in zip(made, seen, strict=True)
            for p in people
        ],
        batch_size=1000,
    )
    return len(made)


SHARE = {s.committee: s.share for s in SETUPS}


def _needs(plan: VisitPlan, homes: list[Household], rng, today: date) -> int:
    """A few needs found at the door this quarter, raised as requests in the same step."""
    categories = {c.name: c for c in categories_for(plan.committee)}
    raised = 0
    shares = list(PlanShare.objects.filter(plan=plan).select_related("area", "worker"))
    elderly = [h for h in homes if h.living and any((p.age(today) or 0) >= 75 for p in h.living)]  # type: ignore[attr-defined]  # prefetched to_attr
    rng.shuffle(elderly)
    for (finding, need, category_name, text), home in zip(NEEDS, elderly, strict=False):
        category = categories.get(category_name)
        share = next((s for s in shares if home.building.path.startswith(s.area.path)), None)
        if category is None or share is None:
            continue
        scope = resolve_scope(share.worker, {})
        draft = VisitDraft(
            household=home,
            visited_on=max(plan.starts_on, today - timedelta(days=rng.randint(0, 6))),
            way=Way.DOOR,
            seen=list(home.living[:2]),  # type: ignore[attr-defined]  # prefetched to_attr
            findings=finding,
            needs=need,
            demand=NeedDraft(home.living[0], category, text),  # type: ignore[attr-defined]  # prefetched to_attr
        )
        with acting_as(share.worker, scope.role or ""):
            services.log_visit(share.worker, scope, draft, today=today)
        raised += 1
    return raised


def _elderly_couple(plan: VisitPlan, today: date) -> int:
    """钱老伯 and 孙阿婆 of 5号楼 201 (纯老): the worker whose share it is knocked this week."""
    person = (
        Resident.objects.filter(committee=plan.committee, name="钱老伯")
        .select_related("household__building")
        .first()
    )
    if person is None:
        return 0
    home = person.household
    share = next(
        (
            s
            for s in PlanShare.objects.filter(plan=plan).select_related("area", "worker")
            if home.building.path.startswith(s.area.path)
        ),
        None,
    )
    if share is None:
        return 0
    scope = resolve_scope(share.worker, {})
    draft = VisitDraft(
        household=home,
        visited_on=max(plan.starts_on, today - timedelta(days=2)),
        way=Way.DOOR,
        seen=list(Resident.objects.living().filter(household=home)),
        findings="钱老伯行动不便，孙阿婆照顾他很辛苦。白天窗帘拉开，晚上灯亮，两位老人精神不错。",
        needs="钱老伯出门需要有人扶，想问问助行服务。",
    )
    with acting_as(share.worker, scope.role or ""):
        services.log_visit(share.worker, scope, draft, today=today)
    return 1


def load(today: date | None = None) -> int:
    """This quarter's plans and visits; returns how many visits were added."""
    today = today or timezone.localdate()
    title, start, end = quarter_of(today)
    added = 0
    for setup in SETUPS:
        committee = Area.objects.filter(code=setup.committee).first()
        if committee is None or VisitPlan.objects.filter(committee=committee, title=title).exists():
            continue
        workers = {u.phone: u for u in User.objects.filter(phone__in=setup.workers)}
        chosen = [workers[p] for p in setup.workers if p in workers]
        planner = chosen[0] if chosen else None
        homes = _households(committee)
        if planner is None or not homes:
            continue
        scope = resolve_scope(planner, {})
        with acting_as(planner, scope.role or ""):
            plan = services.create_plan(planner, scope, PlanDraft(title, start, end, chosen))
        rng = random.Random(setup.seed)
        with suspended():
            bulk = _bulk_visits(plan, homes, workers, rng, today)
        record("create", plan, note=f"demo: {bulk} visits loaded")
        added += bulk + _needs(plan, homes, rng, today)
        if setup.committee == "310106019016":
            added += _elderly_couple(plan, today)
    return added
