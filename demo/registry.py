"""The demo registry: made-up residents of the seed neighbourhoods, loaded through the census
import itself, with the figures the seeds give.

- 慧芝湖花园: 37 building groups and 3,429 households, about 10,000 residents (seed 000).
- 公交新村: 1,600 residents of whom 1,348 have verified accounts: the on-cloud rate of
  84.25%, first in the city (seed 003).
- 江秋新苑 2,800 households (seed 004), 定海港路 about 1,400 (seed 003), and smaller
  registries for 延长新村, 文化佳园 and 天山河畔花园.

Everything follows from fixed seeds and a fixed date, so loading twice changes nothing
(the import's second run finds every row unchanged).
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from areas.models import Area, AreaLevel
from common.spreadsheets import csv_writer
from demo import census
from demo.data import DEMO_PASSWORD
from registry.census.importer import import_census
from registry.identity import check_digit
from registry.models import (
    GroupLeader,
    Household,
    LeaderPosition,
    Proxy,
    Registration,
    RegistrationStatus,
    Resident,
    VerificationMethod,
)

# The demo's "today": birth dates and move-in dates are made relative to it, so that a
# demo loaded next month still has the same people with the same identity numbers.
DEMO_TODAY = date(2026, 11, 1)


@dataclass(frozen=True)
class Plan:
    code: str
    households: int
    seed: int
    sizes: list[int] | None = None  # household sizes to draw from (None: the usual mix)
    residents: int | None = None  # cut the sheet at exactly this many people
    verified: int = 0  # residents with a verified account (in sheet order)


# Households of about three people at 慧芝湖花园, a large commercial estate: 3,429 × 2.95.
FAMILIES = [1] * 10 + [2] * 25 + [3] * 35 + [4] * 20 + [5] * 10
PLANS = [
    Plan("310106019016", 3429, seed=16, sizes=FAMILIES, verified=6300),  # 慧芝湖花园
    Plan("310110009016", 700, seed=9, residents=1600, verified=1348),  # 公交新村: 84.25%, first in the city
    Plan("310117103004", 2800, seed=4, verified=2700),  # 江秋新苑
    Plan("310110001015", 1400, seed=15, verified=1900),  # 定海港路
    Plan("310106019001", 420, seed=1, verified=640),  # 延长新村
    Plan("310110021040", 360, seed=21, verified=460),  # 文化佳园
    Plan("310105005024", 300, seed=24, verified=340),  # 天山河畔花园
]


def _id(region: str, born: str, order: int) -> str:
    first17 = f"{region}{born.replace('-', '')}{order:03d}"
    return first17 + check_digit(first17)


def _person(
    group: str,
    building: str,
    room: str,
    name: str,
    born: str,
    order: int,
    *,
    phone: str = "",
    relation: str = "户主",
    tags: str = "",
    health: str = "",
    moved_in: str = "",
    unit: str = "1",
) -> list[str]:
    """A census row of the demo's named people (odd ``order``: a man, even: a woman)."""
    gender = "男" if order % 2 else "女"
    return [
        group,
        building,
        unit,
        room,
        name,
        gender,
        born,
        _id("310106", born, order),
        phone,
        relation,
        "户籍",
        moved_in,
        "",
        tags,
        health,
        "",
    ]


# People the demo logins and the stories need, at known doors (刘阿姨 lives alone at 80+).
NAMED = {
    "310106019001": [
        _person(
            "62号楼组",
            "62号楼",
            "101",
            "刘阿姨",
            "1941-08-15",
            22,
            phone="13900000001",
            tags="独居",
            health="高血压",
            moved_in="1986-05-01",
        ),
        _person(
            "62号楼组",
            "62号楼",
            "102",
            "张美华",
            "1962-03-12",
            44,
            phone="13900000021",
            tags="党员",
            moved_in="1990-10-01",
        ),
    ],
    "310106019016": [
        _person(
            "3号楼组",
            "5号楼",
            "201",
            "钱老伯",
            "1944-02-02",
            13,
            phone="13900000002",
            tags="纯老",
            health="行动不便，需助行",
            moved_in="2004-06-01",
        ),
        _person(
            "3号楼组",
            "5号楼",
            "201",
            "孙阿婆",
            "1946-09-09",
            24,
            relation="配偶",
            tags="纯老",
            moved_in="2004-06-01",
        ),
    ],
}
# Demo residents' accounts → their registry record (name, committee).
LINKED = {"13900000001": ("刘阿姨", "310106019001"), "13900000002": ("钱老伯", "310106019016")}
# A daughter who acts for 刘阿姨, and people who registered online and wait to be verified.
PROXY = ("13900000003", "刘阿姨的女儿", "女儿", "13900000001")
# They are real people of the registry (the first adult without an account of that building),
# so staff find their record when they check, and they could verify with their number.
PENDING = [
    ("13900000031", "310106019001", "64号楼"),
    ("13900000032", "310106019001", "66号楼"),
    ("13900000033", "310106019016", "12号楼"),
]
# Where 延长新村's ten buildings stand along 延长路 (percent of the plan), for the map.
YANCHANG_PLAN = {
    f"{n}号楼": (Decimal(8 + (i % 5) * 20), Decimal(15 if i < 5 else 70))
    for i, n in enumerate((52, 54, 56, 58, 60, 62, 64, 66, 68, 70))
}


@dataclass
class RegistryResult:
    committee: str
    households: int
    residents: int
    verified: int


def own_account(person: Resident) -> User:
    """The resident's own account: the demo acts only as residents who have one."""
    if person.user is None:
        raise ValueError(f"{person.name} has no account of their own")
    return person.user


def _buildings(committee: Area) -> list[tuple[str, str]]:
    buildings = Area.objects.subtree(committee).filter(level=AreaLevel.BUILDING).select_related("parent")
    return [(b.parent.name if b.parent else "", b.name) for b in buildings.order_by("path")]


def _rows(plan: Plan, committee: Area) -> list[list[str]]:
    maker = census.PeopleMaker(plan.seed, DEMO_TODAY)
    rows = []
    named = NAMED.get(plan.code, [])
    taken = {(r[1], r[2], r[3]) for r in named}
    for door in census.doors_of(_buildings(committee), plan.households, maker.rng):
        if (door.building, door.unit, door.room) in taken:
            continue
        rows.extend(maker.household(door, plan.sizes))
    rows = named + rows
    if plan.residents is not None:
        rows = rows[: plan.residents]
    return rows


def load() -> list[RegistryResult]:
    """Import each committee's made-up census; then accounts, leaders, proxies, the map."""
    committees = []
    for plan in PLANS:
        committee = Area.objects.get(code=plan.code)
        rows = _rows(plan, committee)
        with tempfile.TemporaryDirectory(prefix="mulin-demo-") as folder:
            path = Path(folder) / f"{plan.code}.csv"
            with path.open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv_writer(handle)
                writer.writerow(census.HEADER)
                writer.writerows(rows)
            report = import_census(committee, path, apply=True, today=DEMO_TODAY)
        if not report.ok:
            raise RuntimeError(f"demo census of {committee.name}: {[str(p) for p in report.problems[:5]]}")
        committees.append(committee)
    _link_demo_residents()
    for plan, committee in zip(PLANS, committees, strict=True):
        if plan.verified:
            _verify_accounts(committee, plan)
    _pending_registrations()
    _leaders_and_plan()
    results = []
    for committee in committees:
        people = Resident.objects.living().filter(committee=committee)
        results.append(
            RegistryResult(
                committee.name,
                Household.objects.filter(committee=committee).count(),
                people.count(),
                people.filter(user__isnull=False).count(),
            )
        )
    return results


@transaction.atomic
def _verify_accounts(committee: Area, plan: Plan) -> None:
    """Accounts for ``plan.verified`` residents spread over the whole committee (the
    over-12s first), each linked to its record as verified.

    One password hash for all (demo accounts, demo password) and raw bulk writes: hashing
    and saving thousands of accounts one by one would take minutes.
    """
    already = Resident.objects.filter(committee=committee, user__isnull=False).count()
    if already >= plan.verified:
        return
    people = list(
        Resident.objects.living()
        .filter(committee=committee, user__isnull=True)
        .select_related("household")
        .order_by("pk")
    )
    older = [p for p in people if p.birth_date and (DEMO_TODAY - p.birth_date).days >= 12 * 365]
    pool = older if len(older) >= plan.verified - already else people
    wanted = sorted(random.Random(plan.seed).sample(pool, plan.verified - already), key=lambda p: p.pk)
    password = make_password(DEMO_PASSWORD)
    now = timezone.now()
    base = 13600000000 + int(plan.code[-6:]) * 10000
    users = [
        User(phone=str(base + i), name=p.name, home_area_id=p.household.building_id, password=password)
        for i, p in enumerate(wanted)
    ]
    existing = set(User.objects.filter(phone__in=[u.phone for u in users]).values_list("phone", flat=True))
    User.objects.bulk_create([u for u in users if u.phone not in existing], batch_size=1000)
    ids = dict(User.objects.filter(phone__in=[u.phone for u in users]).values_list("phone", "pk"))
    table = connection.ops.quote_name(Resident._meta.db_table)
    sql = f"UPDATE {table} SET user_id = %s, verified_at = %s WHERE id = %s"  # noqa: S608 - model's table
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (ids[u.phone], connection.ops.adapt_datetimefield_value(now), p.pk)
                for p, u in zip(wanted, users, strict=True)
            ],
        )
    Registration.objects.bulk_create(
        [
            Registration(
                user_id=ids[user.phone],
                committee=committee,
                area_id=person.household.building_id,
                unit=person.household.unit,
                room=person.household.room,
                name=person.name,
                status=RegistrationStatus.VERIFIED,
                method=VerificationMethod.STAFF,
                resident=person,
                decided_at=now,
            )
            for person, user in zip(wanted, users, strict=True)
        ],
        batch_size=1000,
    )


def _link_demo_residents() -> None:
    now = timezone.now()
    for phone, (name, code) in LINKED.items():
        user = User.objects.filter(phone=phone).first()
        person = Resident.objects.filter(committee__code=code, name=name).first()
        if user is None or person is None or person.user_id:
            continue
        person.user, person.verified_at = user, now
        person.save()
        user.home_area_id = person.household.building_id
        user.elderly_mode = (
            person.birth_date is not None and (DEMO_TODAY - person.birth_date).days >= 75 * 365
        )  # 刘阿姨 uses 长辈版
        user.save(update_fields=["home_area", "elderly_mode"])
    phone, name, relation, parent_phone = PROXY
    daughter = User.objects.filter(phone=phone).first()
    if daughter is None:
        daughter = User.objects.create_user(phone, DEMO_PASSWORD, name=name)
    mother = Resident.objects.filter(user__phone=parent_phone).first()
    if mother is not None:
        Proxy.objects.get_or_create(
            resident=mother, user=daughter, revoked_at=None, defaults={"relation": relation}
        )


def _pending_registrations() -> None:
    """Sign-ups waiting for a worker: each names an adult whose record no account holds, so a
    worker trying the demo can verify it. Made after the committees' verified accounts, which
    would otherwise link the very records these registrations point at."""
    for phone, code, building_name in PENDING:
        if User.objects.filter(phone=phone).exists():
            continue
        committee = Area.objects.get(code=code)
        building = Area.objects.subtree(committee).get(level=AreaLevel.BUILDING, name=building_name)
        adult = DEMO_TODAY.replace(year=DEMO_TODAY.year - 18)
        person = (
            Resident.objects.living()
            .filter(household__building=building, user__isnull=True)
            .filter(birth_date__lte=adult)
            .select_related("household")
            .order_by("household__sort_key", "pk")
            .first()
        )
        if person is None:
            continue
        user = User.objects.create_user(phone, DEMO_PASSWORD, name=person.name, home_area=building)
        home = person.household
        Registration.objects.create(
            user=user, committee=committee, area=building, unit=home.unit, room=home.room, name=person.name
        )


def _leaders_and_plan() -> None:
    yanchang = Area.objects.get(code="310106019001")
    group = Area.objects.subtree(yanchang).get(level=AreaLevel.BUILDING_GROUP, name="62号楼组")
    leader = Resident.objects.filter(committee=yanchang, name="张美华").first()
    if leader is not None and not GroupLeader.objects.filter(group=group, until__isnull=True).exists():
        GroupLeader.objects.create(
            group=group, resident=leader, position=LeaderPosition.LEADER, since=date(2019, 1, 1)
        )
    for building in Area.objects.subtree(yanchang).filter(level=AreaLevel.BUILDING, map_x__isnull=True):
        if building.name in YANCHANG_PLAN:
            building.map_x, building.map_y = YANCHANG_PLAN[building.name]
            building.save(update_fields=["map_x", "map_y"])
