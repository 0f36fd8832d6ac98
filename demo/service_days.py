"""Demo service shifts and hours (issue 18).

- 淮海中路 (seed 001): "民心在线", the service team of the area's units, holds a volunteer
  service day on the 15th of every month, morning and afternoon, at six stalls (haircuts,
  blood pressure, repairs…). The past twelve were claimed, checked in and out and confirmed:
  890 person-times over the year (a few did not come, a few withdrew in time, a few handed
  their place over). The next one is open to claim with places left, and a home-haircut
  round this week is short of people.
- 天山河畔花园 (seed 002): 宁聚883's 在职党员 deliver the elders' lunch (为老送餐) every day;
  eight weeks of it done, the coming week open (one day still short). A few hours logged by
  volunteers wait for a leader's confirmation; one was declined.

The ORM in bulk, keeping the services' invariants: ``Shift.taken`` counts the CLAIMED and
NO_SHOW claims; every checked-out claim has one SHIFT entry, confirmed, from check-in to
check-out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from accounts.models import User
from areas.models import Area
from demo.enrolment import Enrolment, Person, at, ensure_services, simple_team
from demo.volunteers import JIANDONG, LEADER_LOGIN, MEMBER_LOGIN, NINGJU, TIANSHAN
from volunteers.hours import duration_hours
from volunteers.models import (
    ClaimStatus,
    HoursEntry,
    HoursSource,
    Service,
    Shift,
    ShiftClaim,
    Team,
    TeamKind,
    Volunteer,
    VolunteerKind,
)

MINXIN = "民心在线志愿便民服务队"
# (stall, service, places): six stalls, morning and afternoon, 76 places a service day.
STALLS = [("理发", 7), ("量血压", 7), ("修家电", 6), ("磨刀", 6), ("缝补衣物", 6), ("法律咨询", 6)]
SESSIONS = [(9, 11), (14, 16)]
OWN_SERVICES = ["磨刀", "缝补衣物"]  # 建东's own, beside the city-wide defaults
UNITS = [
    "瑞金医院",
    "淮海中路街道社区卫生服务中心",
    "黄浦区律师协会",
    "建国东路美发厅",
    "黄浦区房屋维修应急中心",
    "淮海中路街道社区党建服务中心",
    "上海新天地",
    "黄浦区社会组织服务中心",
]
# Of the 912 places of the year: who did not come, who withdrew in time, what nobody took.
NO_SHOWS, WITHDRAWN, UNFILLED, SWAPS = 12, 6, 4, 3
DELIVERY = ("为老送餐", "小区会所“疯狂厨房”取餐，送到行动不便的老人家里")


@dataclass
class Ledger:
    """What the demo writes, gathered to be inserted in bulk."""

    shifts: list[Shift] = field(default_factory=list)
    claims: list[ShiftClaim] = field(default_factory=list)
    swaps: list[tuple[ShiftClaim, ShiftClaim]] = field(default_factory=list)  # (from, to)
    hours: list[tuple[ShiftClaim, User | None]] = field(default_factory=list)

    def shift(self, **fields) -> Shift:
        made = Shift(**fields)
        self.shifts.append(made)
        return made

    def save(self) -> None:
        # bulk_create takes each claim's shift id from its shift, saved by then.
        Shift.objects.bulk_create(self.shifts)
        ShiftClaim.objects.bulk_create(self.claims)
        for old, new in self.swaps:
            new.swapped_from = old
        ShiftClaim.objects.bulk_create([new for _old, new in self.swaps])
        entries = []
        for claim, by in self.hours:
            shift = claim.shift
            assert claim.checked_in_at and claim.checked_out_at
            entries.append(
                HoursEntry(
                    volunteer=claim.volunteer,
                    area_id=shift.area_id,
                    team_id=shift.team_id,
                    shift=shift,
                    service_id=shift.service_id,
                    day=timezone.localtime(claim.checked_in_at).date(),
                    starts_at=claim.checked_in_at,
                    ends_at=claim.checked_out_at,
                    hours=duration_hours(claim.checked_in_at, claim.checked_out_at),
                    source=HoursSource.SHIFT,
                    logged_by=by,
                    logged_at=claim.checked_out_at,
                    confirmed_by=by,
                    confirmed_at=claim.checked_out_at + timedelta(minutes=5),
                )
            )
        HoursEntry.objects.bulk_create(entries)


def _served(claim: ShiftClaim, shift: Shift, by: User | None, rng: random.Random, ledger: Ledger) -> None:
    claim.checked_in_at = shift.starts_at + timedelta(minutes=rng.randint(-10, 4))
    claim.checked_out_at = shift.ends_at + timedelta(minutes=rng.randint(0, 12))
    claim.marked_by = by
    ledger.hours.append((claim, by))


def _claim(shift: Shift, volunteer: Volunteer, rng: random.Random, **fields) -> ShiftClaim:
    days = rng.randint(2, 12)
    return ShiftClaim(
        shift=shift, volunteer=volunteer, claimed_at=shift.starts_at - timedelta(days=days, hours=3), **fields
    )


def service_days(today: date) -> tuple[list[date], date]:
    """The last twelve 15ths before today, and the next one."""
    days: list[date] = []
    month = today.replace(day=1)
    while len(days) < 13:
        if month.replace(day=15) < today:
            days.append(month.replace(day=15))
        month = (month - timedelta(days=1)).replace(day=1)
    upcoming = (
        today.replace(day=15)
        if today.day < 15
        else (today.replace(day=28) + timedelta(days=5)).replace(day=15)
    )
    return sorted(days)[-12:], upcoming


def _roster(committee: Area, services: dict[str, Service]) -> tuple[Team, User, dict[str, list[Volunteer]]]:
    """民心在线's members, from the units around it, by the stall they serve at."""
    enrol = Enrolment(committee, 2018, None)
    phone = enrol.phone()
    leader = User.objects.filter(phone=phone).first() or User.objects.create_user(
        phone, None, name="顾海英", home_area=committee
    )
    people = [Person("顾海英", VolunteerKind.PARTY_MEMBER, None, "淮海中路街道社区党建服务中心", user=leader)]
    people.append(Person(enrol.name(), VolunteerKind.PARTY_MEMBER, None, "淮海中路街道社区党建服务中心"))
    rng = random.Random(2018)
    stall_of = []
    for stall, places in STALLS:
        for _ in range(2 * places + 2):
            kind = VolunteerKind.PARTY_MEMBER if rng.random() < 0.3 else VolunteerKind.OTHER
            people.append(Person(enrol.name(), kind, None, rng.choice(UNITS)))
            stall_of.append(stall)
    spec = {
        "name": MINXIN,
        "kind": TeamKind.SERVICE,
        "founded": date(2018, 3, 5),
        "about": (
            "居委会动员区域化党建单位、驻区单位和社会组织组成的志愿便民服务队：健康医疗、政策宣讲、"
            "便民生活，让腿脚不便的老人不出小区就能享受家门口的服务。"
        ),
        "meets": "每月15日志愿服务日，上午9点到11点、下午2点到4点，居委会门前广场",
        "leaders": 2,
    }
    enrol.used.add(phone)
    team, volunteers = simple_team(committee, spec, people, enrol, None)
    by_stall: dict[str, list[Volunteer]] = {}
    skills = []
    for volunteer, stall in zip(volunteers[2:], stall_of, strict=True):
        by_stall.setdefault(stall, []).append(volunteer)
        skills.append(Volunteer.skills.through(volunteer_id=volunteer.pk, service_id=services[stall].pk))
    Volunteer.skills.through.objects.bulk_create(skills)
    return team, leader, by_stall


def _minxin(services: dict[str, Service]) -> int:
    committee = Area.objects.get(code=JIANDONG)
    for position, name in enumerate(OWN_SERVICES, start=70):
        services[name], _new = Service.objects.get_or_create(
            area=committee, name=name, defaults={"position": position}
        )
    team, leader, by_stall = _roster(committee, services)
    rng = random.Random(890)
    ledger = Ledger()
    past, upcoming = service_days(timezone.localdate())
    per_day = sum(places for _s, places in STALLS) * len(SESSIONS)
    gaps = rng.sample(range(per_day * len(past)), NO_SHOWS + WITHDRAWN + UNFILLED + SWAPS)
    kind_of = dict.fromkeys(gaps[:NO_SHOWS], "no_show")
    kind_of |= dict.fromkeys(gaps[NO_SHOWS : NO_SHOWS + WITHDRAWN], "withdrawn")
    kind_of |= dict.fromkeys(gaps[NO_SHOWS + WITHDRAWN : -SWAPS], "unfilled")
    kind_of |= dict.fromkeys(gaps[-SWAPS:], "swap")
    place = 0
    for day in [*past, upcoming]:
        for start, end in SESSIONS:
            for stall, places in STALLS:
                starts = at(day, start)
                shift = ledger.shift(
                    area=committee,
                    team=team,
                    service=services[stall],
                    title=f"{day.month}月志愿服务日 · {stall}",
                    place="居委会门前广场",
                    starts_at=starts,
                    ends_at=at(day, end),
                    places=places,
                    withdraw_until=starts - timedelta(days=1),
                    created_by=leader,
                    created_at=starts - timedelta(days=20),
                )
                people = rng.sample(by_stall[stall], places)
                if day == upcoming:
                    people = people[: places - rng.randint(1, 4)]
                    ledger.claims += [_claim(shift, v, rng) for v in people]
                    shift.taken = len(people)
                    continue
                spare = [v for v in by_stall[stall] if v not in people]
                for volunteer in people:
                    gap = kind_of.get(place)
                    place += 1
                    if gap == "unfilled":
                        continue
                    claim = _claim(shift, volunteer, rng)
                    ledger.claims.append(claim)
                    if gap == "withdrawn":
                        claim.status, claim.ended_at = (
                            ClaimStatus.WITHDRAWN,
                            shift.withdraw_until - timedelta(hours=5),
                        )
                        continue
                    shift.taken += 1
                    if gap == "no_show":
                        claim.status, claim.marked_by = ClaimStatus.NO_SHOW, leader
                    elif gap == "swap":
                        claim.status, claim.ended_at = (
                            ClaimStatus.SWAPPED,
                            shift.starts_at - timedelta(days=1, hours=2),
                        )
                        new = ShiftClaim(shift=shift, volunteer=spare.pop(), claimed_at=claim.ended_at)
                        ledger.swaps.append((claim, new))
                        _served(new, shift, leader, rng, ledger)
                    else:
                        _served(claim, shift, leader, rng, ledger)
    _short_this_week(committee, team, services["理发"], leader, by_stall["理发"], ledger)
    ledger.save()
    return len(ledger.shifts)


def this_week(hour: int) -> datetime:
    """A moment later this week (two days on, or Sunday), still ahead of now."""
    today = timezone.localdate()
    day = min(today + timedelta(days=2), today + timedelta(days=6 - today.weekday()))
    moment = at(day, hour)
    now = timezone.now()
    return (
        moment
        if moment > now + timedelta(hours=1)
        else now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)
    )


def _short_this_week(committee, team, haircut, leader, barbers, ledger) -> None:
    starts = this_week(14)
    shift = ledger.shift(
        area=committee,
        team=team,
        service=haircut,
        title="上门理发（行动不便的老人）",
        place="建国东路各楼，出发前居委会集合",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        places=3,
        withdraw_until=starts - timedelta(hours=12),
        notes="带好理发工具包；名单在居委会。",
        created_by=leader,
        created_at=starts - timedelta(days=6),
        taken=1,
    )
    ledger.claims.append(ShiftClaim(shift=shift, volunteer=barbers[0], claimed_at=starts - timedelta(days=4)))


def _deliveries(services: dict[str, Service]) -> int:
    """Eight weeks of 为老送餐 by 宁聚883's 在职党员 (seed 002), and the coming week's."""
    committee = Area.objects.get(code=TIANSHAN)
    team = Team.objects.get(area=committee, name=NINGJU, dissolved_at__isnull=True)
    leader = User.objects.get(phone=LEADER_LOGIN)
    member = Volunteer.objects.get(user__phone=MEMBER_LOGIN)
    carriers = list(
        Volunteer.objects.filter(
            memberships__team=team, kind=VolunteerKind.PARTY_MEMBER, resident__isnull=False
        ).order_by("pk")
    )
    carriers.append(member)
    rng = random.Random(2022)
    ledger = Ledger()
    today = timezone.localdate()
    title, place = DELIVERY
    for offset in range(-56, 8):
        if offset == 0:
            continue
        day = today + timedelta(days=offset)
        starts = at(day, 11)
        shift = ledger.shift(
            area=committee,
            team=team,
            service=services["送餐"],
            title=title,
            place=place,
            starts_at=starts,
            ends_at=at(day, 12),
            places=3,
            withdraw_until=starts - timedelta(hours=12),
            created_by=leader,
            created_at=starts - timedelta(days=10),
        )
        if offset < 0:
            people = rng.sample(carriers, 3)
        else:  # the coming week: the member's own day, and two days still short of people
            others = rng.sample(carriers[:-1], 3)
            people = {1: others[:1], 2: [member, *others[:2]], 3: others[:2]}.get(offset, others)
        for volunteer in people:
            claim = _claim(shift, volunteer, rng)
            ledger.claims.append(claim)
            shift.taken += 1
            if offset < 0:
                _served(claim, shift, leader, rng, ledger)
    ledger.save()
    _logged_by_volunteers(committee, team, services, leader, carriers)
    return len(ledger.shifts)


PENDING = [
    ("陪诊", "陪独居的邻居去同仁医院复诊", 2, 14, 16, 30),
    ("修家电", "帮楼上老人修好了油烟机", 3, 15, 16, 30),
    ("陪诊", "陪老人去社区卫生服务中心配药", 4, 14, 15, 30),
    (None, "整理楼道，清理堆物", 5, 14, 16, 0),
]


def _logged_by_volunteers(committee, team, services, leader: User, carriers: list[Volunteer]) -> None:
    """Hours the volunteers logged themselves, waiting for a leader; one declined."""
    today = timezone.localdate()
    rows = []
    for i, (service, note, days_ago, start, end, minutes) in enumerate(PENDING):
        volunteer = carriers[-1] if i == 0 else carriers[i * 3]
        day = today - timedelta(days=days_ago)
        starts, ends = at(day, start), at(day, end, minutes)
        rows.append(
            HoursEntry(
                volunteer=volunteer,
                area=committee,
                team=team,
                service=services[service] if service else None,
                day=day,
                starts_at=starts,
                ends_at=ends,
                hours=duration_hours(starts, ends),
                source=HoursSource.SELF,
                note=note,
                logged_by=volunteer.user,
                logged_at=ends + timedelta(hours=3),
            )
        )
    declined = rows[-1]
    declined.declined_by, declined.declined_at = leader, declined.logged_at + timedelta(hours=20)
    declined.decline_reason = "楼道清理是物业当天的保洁安排，不计志愿服务时长"
    HoursEntry.objects.bulk_create(rows)


def load() -> int:
    """Shifts with their claims and hours; 0 once 民心在线 has shifts."""
    if Shift.objects.filter(team__name=MINXIN).exists():
        return 0
    services = ensure_services()
    return _minxin(services) + _deliveries(services)
