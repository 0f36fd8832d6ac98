"""Demo volunteers and teams (issue 18), from seeds 000, 001, 002 and 004.

- 天山河畔花园 (seed 002): "宁聚883", founded in 2022 with 55 people and 550 strong now, in
  its eight groups (区域化党建网格, 共建单位, 党员队伍, 退役军人, 文化团队, 学雷锋志愿团队, 市民巡访团,
  外籍志愿者团队); 25 在职党员 who live here serve as second building leaders (第二楼组长).
  Joins and departures are dated month by month, so the team's size is a line on a chart.
- The other teams of the seeds: ``demo.teams`` (江秋新苑, 延长新村, 慧芝湖花园).
- 淮海中路 (seed 001): "民心在线", the service team of people from the area's units; its
  service days are in ``demo.service_days``.

Written with the ORM in bulk (hundreds of memberships), keeping what the services keep:
an active membership has ``joined_on`` and no ``ended_on``, one that ended has both, a
request has neither. Idempotent: nothing is added once 宁聚883 exists.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from areas.models import Area
from demo import teams as demo_teams
from demo.enrolment import Enrolment, Person, adults, at, ensure_services, login_for, membership, tags_of
from demo.registry import DEMO_TODAY
from registry.models import GroupLeader, LeaderPosition, Resident, ResidentTag, Tag, TagSource
from volunteers.models import (
    Membership,
    MembershipStatus,
    Team,
    TeamCategory,
    TeamKind,
    Volunteer,
    VolunteerKind,
)

TIANSHAN = "310105005024"  # 天山河畔花园
# 民心在线 was 建二居委's team in 2018; 建二 is no longer a division of 淮海中路街道, and its
# streets (建国东路) are 建东's today.
JIANDONG = "310101022029"
SONG = "13800000017"  # 宋书记, 天山河畔花园

NINGJU = "宁聚883"
CATEGORIES = [
    "区域化党建网格",
    "共建单位",
    "党员队伍",
    "退役军人",
    "文化团队",
    "学雷锋志愿团队",
    "市民巡访团",
    "外籍志愿者团队",
]
# (category, members over the years) for the 595 who ever joined: 550 stay, 45 left.
SIZES = [45, 60, 120, 20, 110, 130, 80, 30]
FOUNDED = date(2022, 4, 8)  # "诞生于2022年", in the spring lockdown, with 55 people
# Month-end size at turning points (seed 002: "从初创时的55人，到鼎盛时期的550人").
GROWTH = [
    (date(2022, 4, 1), 55),
    (date(2022, 5, 1), 260),
    (date(2022, 6, 1), 380),
    (date(2022, 12, 1), 430),
    (date(2023, 12, 1), 480),
    (date(2024, 12, 1), 515),
    (date(2025, 12, 1), 540),
    (date(2026, 10, 1), 550),
]
LEAVERS = 45
SECOND_LEADERS = 25
# The demo logins: a leader of 宁聚883 and one of its members, both living at 天山河畔花园.
LEADER_LOGIN = "13900000041"
MEMBER_LOGIN = "13900000042"

WORKPLACES = [
    "长宁区卫生健康委员会",
    "上海虹桥临空经济示范区管委会",
    "中国东方航空股份有限公司",
    "国家税务总局上海市长宁区税务局",
    "华东政法大学",
    "上海市长宁区人民法院",
    "携程旅行网",
    "上海国际贸易中心",
    "上海市同仁医院",
    "招商银行上海长宁支行",
    "国网上海市电力公司",
    "长宁区教育学院",
    "上海市延安中学",
    "爱建集团",
    "联合利华（中国）有限公司",
]
GRID_UNITS = [
    "天山路街道党工委",
    "天山河畔花园居民区党总支",
    "天山河畔花园业委会",
    "天山河畔物业党支部",
    "水城路驻区单位党建联盟",
]
CO_BUILDERS = [
    "启航新健康博士专家团",
    "天山路街道社区卫生服务中心",
    "长宁区图书馆天山分馆",
    "小区会所“疯狂厨房”餐厅",
    "天山河畔物业服务中心",
    "长宁区天山路派出所",
]
SCHOOLS = ["长宁区天山第一中学", "上海市延安初级中学", "华东政法大学", "东华大学"]
FOREIGNERS = [  # (name, country): the 外籍志愿者团队, people of the neighbourhood's many nations
    ("Anna Müller", "德国"),
    ("Jonas Weber", "德国"),
    ("Lena Fischer", "德国"),
    ("James Smith", "英国"),
    ("Charlotte Taylor", "英国"),
    ("田中由纪", "日本"),
    ("佐藤健", "日本"),
    ("山本美咲", "日本"),
    ("小林大辅", "日本"),
    ("김민준", "韩国"),
    ("이서연", "韩国"),
    ("박지훈", "韩国"),
    ("Sophie Martin", "法国"),
    ("Lucas Bernard", "法国"),
    ("Marco Rossi", "意大利"),
    ("Giulia Bianchi", "意大利"),
    ("Emily Johnson", "美国"),
    ("Michael Davis", "美国"),
    ("Sarah Miller", "美国"),
    ("Liam Brown", "加拿大"),
    ("Olivia Wilson", "澳大利亚"),
    ("Tan Wei Ming", "新加坡"),
    ("Nur Aisyah", "马来西亚"),
    ("Carlos García", "西班牙"),
    ("Ana Souza", "巴西"),
    ("Ivan Petrov", "俄罗斯"),
    ("Emma de Vries", "荷兰"),
    ("Erik Andersson", "瑞典"),
    ("Priya Sharma", "印度"),
    ("Nguyễn Thu Hà", "越南"),
]


def month_starts(first: date, last: date) -> list[date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def growth_targets() -> list[tuple[date, int]]:
    """The month-end size for every month from the founding, between the turning points."""
    targets = []
    for (start, low), (stop, high) in itertools.pairwise(GROWTH):
        months = month_starts(start, stop)[:-1]
        for i, month in enumerate(months):
            targets.append((month, low + round((high - low) * i / len(months))))
    targets.append(GROWTH[-1])
    return targets


def _ningju_people(
    committee: Area, enrol: Enrolment, rng: random.Random
) -> tuple[list[Person], list[Person], Person]:
    """The 595 who ever joined, founders first: the 25 在职党员 and the leader with the party
    grid's people; then the rest in a shuffled order. And the second leaders."""
    people = adults(committee)
    tags = tags_of(people)
    young = [
        p for p in people if p.birth_date and p.birth_date > DEMO_TODAY.replace(year=DEMO_TODAY.year - 56)
    ]
    workers = [p for p in young if Tag.PARTY_MEMBER not in tags.get(p.pk, set()) and p.user_id]
    workers.sort(key=lambda p: (Tag.SERVING_PARTY_MEMBER not in tags.get(p.pk, set()), p.pk))
    by_building: dict[int, list[Resident]] = {}
    for person in workers:
        by_building.setdefault(person.household.building_id, []).append(person)
    seconds: list[Resident] = []
    while len(seconds) < SECOND_LEADERS:  # two or three to a building, every building
        if not any(by_building.values()):
            raise RuntimeError("too few working-age residents with an account for the second leaders")
        for group in by_building.values():
            if group and len(seconds) < SECOND_LEADERS:
                seconds.append(group.pop(0))
    taken = {p.pk for p in seconds}
    free = [p for p in people if p.pk not in taken and p.user_id is None]
    elders = [p for p in free if p.birth_date and 50 <= (DEMO_TODAY - p.birth_date).days // 365 < 65]
    leader = min(elders, key=lambda p: (Tag.PARTY_MEMBER not in tags.get(p.pk, set()), p.pk))
    member = next(p for p in free if p.birth_date and 25 <= (DEMO_TODAY - p.birth_date).days // 365 < 45)
    taken |= {leader.pk, member.pk}
    rest = [p for p in people if p.pk not in taken]
    party = [p for p in rest if Tag.PARTY_MEMBER in tags.get(p.pk, set())]
    veterans = [p for p in rest if Tag.VETERAN in tags.get(p.pk, set()) and p not in party]
    others = [p for p in rest if p not in party and p not in veterans]
    rng.shuffle(others)

    def residents(category: str, found: list[Resident], kind=VolunteerKind.RESIDENT) -> list[Person]:
        return [Person(p.name, kind, p, category=category) for p in found]

    def outsiders(category: str, count: int, kind: str, places: list[str]) -> list[Person]:
        return [Person(enrol.name(), kind, None, rng.choice(places), category) for _ in range(count)]

    grid, co, party_c, veteran_c, culture, leifeng, patrol, foreign = CATEGORIES
    seconds_people = [
        Person(p.name, VolunteerKind.PARTY_MEMBER, p, WORKPLACES[i % len(WORKPLACES)], party_c)
        for i, p in enumerate(seconds)
    ]
    seconds_people[0].leader = True  # the 在职党员 who coordinates the others
    in_party = Tag.PARTY_MEMBER in tags.get(leader.pk, set())
    the_leader = Person(leader.name, VolunteerKind.RESIDENT, leader, category=party_c if in_party else patrol)
    the_leader.leader = True
    founders = [*seconds_people, the_leader, *outsiders(grid, SIZES[0], VolunteerKind.OTHER, GRID_UNITS)]
    co_builders = outsiders(co, SIZES[1] - 1, VolunteerKind.OTHER, CO_BUILDERS)
    co_builders.append(Person("曾祖隆", VolunteerKind.OTHER, None, "启航新健康博士专家团", co))
    party_people = residents(party_c, party[: SIZES[2] - SECOND_LEADERS - 1])
    party_people += outsiders(
        party_c, SIZES[2] - SECOND_LEADERS - 1 - len(party_people), VolunteerKind.PARTY_MEMBER, WORKPLACES
    )
    veteran_people = residents(veteran_c, veterans[: SIZES[3]])
    veteran_people += outsiders(
        veteran_c, SIZES[3] - len(veteran_people), VolunteerKind.OTHER, ["天山路街道退役军人服务站"]
    )
    students = outsiders(leifeng, 40, VolunteerKind.STUDENT, SCHOOLS)
    foreigners = [Person(name, VolunteerKind.FOREIGN, None, land, foreign) for name, land in FOREIGNERS]
    plain = Person(member.name, VolunteerKind.RESIDENT, member, category=leifeng)
    counts = {culture: SIZES[4], leifeng: SIZES[5] - len(students) - 1, patrol: SIZES[6]}
    local = []
    for category, count in counts.items():
        local += residents(category, others[:count])
        others = others[count:]
    later = [*co_builders, *party_people, *veteran_people, *students, *foreigners, plain, *local]
    rng.shuffle(later)
    return founders + later, seconds_people, plain


def _timeline(count: int, rng: random.Random) -> tuple[list[date], dict[date, int]]:
    """Join days for ``count`` people in order, and how many leave in each month."""
    targets = growth_targets()
    leaves = {month: 1 for month, _size in targets[3 : 3 + LEAVERS]}
    joined: list[date] = []
    before = 0
    for month, size in targets:
        first = FOUNDED.day if month == FOUNDED.replace(day=1) else 1
        wanted = size - before + leaves.get(month, 0)
        days = sorted(rng.randint(first, month_end(month).day) for _ in range(wanted))
        joined += [month.replace(day=d) for d in days]
        before = size
    assert len(joined) == count, (len(joined), count)
    return joined, leaves


def _ningju(committee: Area, song: User | None, rng: random.Random) -> Team:
    categories = {
        name: TeamCategory.objects.get_or_create(area=committee, name=name, defaults={"position": i})[0]
        for i, name in enumerate(CATEGORIES, start=1)
    }
    team = Team.objects.create(
        area=committee,
        name=NINGJU,
        kind=TeamKind.SERVICE,
        about=(
            "居民区党总支牵头建立的志愿者团队，名字来自小区所在的水城路883号：汇聚“八”方资源、"
            "聚焦民生“八”件实事——新时代文明实践、为老助餐、公益义诊、活动场地公益开放、拥军优属、"
            "青少年社区实践、绿色社区、初馨工作室。"
        ),
        meets="每月第一个周六上午，小区会所二楼；平时在“883志愿者群”里商量",
        how_to_join="在本页申请加入，或到居委会登记；在职党员请带报到单",
        founded_on=FOUNDED,
        created_at=at(FOUNDED),
    )
    team.categories.set(categories.values())
    enrol = Enrolment(committee, 883, song)
    people, seconds, plain = _ningju_people(committee, enrol, rng)
    leader = next(p for p in people if p.leader and p.kind == VolunteerKind.RESIDENT)
    for person, phone in ((leader, LEADER_LOGIN), (plain, MEMBER_LOGIN)):
        assert person.resident is not None
        login_for(person.resident, phone, committee)
    joined, leaves = _timeline(len(people), rng)
    volunteers = enrol.volunteers(people, [at(d - timedelta(days=2), 19, 30) for d in joined])
    rows = [
        membership(team, v, p, categories, d, song)
        for v, p, d in zip(volunteers, people, joined, strict=True)
    ]
    keep = {id(p) for p in seconds} | {id(plain)}
    for month, count in sorted(leaves.items()):
        may_leave = [
            (row, person)
            for row, person in zip(rows, people, strict=True)
            if row.joined_on < month and row.ended_on is None and id(person) not in keep and not person.leader
        ]
        for row, _person in rng.sample(may_leave, count):
            row.ended_on = month.replace(day=rng.randint(1, 28))
            row.status = MembershipStatus.LEFT if rng.random() < 0.85 else MembershipStatus.REMOVED
            row.reason = (
                "工作调动，搬离本区"
                if row.status == MembershipStatus.LEFT
                else "长期未参加活动，经本人同意移出"
            )
    Membership.objects.bulk_create(rows)
    _second_leaders(committee, seconds, dict(zip(map(id, people), joined, strict=True)), song)
    _waiting(team, committee, enrol, song)
    return team


def _second_leaders(
    committee: Area, seconds: list[Person], joined: dict[int, date], song: User | None
) -> None:
    """The 25 在职党员 reported to the community where they live and took a second building
    leader's post of their building's group; tagged as in-service party members."""
    residents = [p.resident for p in seconds if p.resident is not None]
    tagged = tags_of(residents)
    GroupLeader.objects.bulk_create(
        [
            GroupLeader(
                group=r.household.building.parent,
                resident=r,
                position=LeaderPosition.SECOND,
                since=joined[id(p)],
            )
            for p, r in zip(seconds, residents, strict=True)
        ]
    )
    ResidentTag.objects.bulk_create(
        [
            ResidentTag(resident=r, tag=Tag.SERVING_PARTY_MEMBER, source=TagSource.MANUAL, set_by=song)
            for r in residents
            if Tag.SERVING_PARTY_MEMBER not in tagged.get(r.pk, set())
        ]
    )


def _waiting(team: Team, committee: Area, enrol: Enrolment, song: User | None) -> None:
    """Three residents who asked to join this week, for the leaders' queue; two declined."""
    serving = set(Volunteer.objects.filter(committee=committee).values_list("resident_id", flat=True))
    asking = [p for p in adults(committee, 20, 70, user__isnull=False) if p.pk not in serving][:5]
    people = [Person(p.name, VolunteerKind.RESIDENT, p, category=CATEGORIES[5]) for p in asking]
    now = timezone.now()
    volunteers = enrol.volunteers(people, [now - timedelta(days=3 + i) for i in range(len(people))])
    notes = ["退休了有时间，想参加为老送餐", "会修电器，可以在服务日帮忙", "想带孩子一起做志愿者", "", ""]
    rows = []
    for i, volunteer in enumerate(volunteers):
        declined = i >= 3
        rows.append(
            Membership(
                team=team,
                volunteer=volunteer,
                status=MembershipStatus.DECLINED if declined else MembershipStatus.REQUESTED,
                note=notes[i],
                requested_at=now - timedelta(days=3 + i, hours=2),
                decided_by=song if declined else None,
                decided_at=now - timedelta(days=1) if declined else None,
                reason="本期学雷锋志愿团队名额已满，下期招募时优先联系您" if declined else "",
            )
        )
    Membership.objects.bulk_create(rows)


def load() -> int:
    """The teams, their members and categories; 0 once 宁聚883 exists."""
    ensure_services()
    tianshan = Area.objects.get(code=TIANSHAN)
    if Team.objects.filter(area=tianshan, name=NINGJU).exists():
        return 0
    song = User.objects.filter(phone=SONG).first()
    _ningju(tianshan, song, random.Random(883))
    return 1 + demo_teams.load()
