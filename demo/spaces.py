"""Demo spaces and bookings (issue 19), from seeds 000, 002 and 004.

- 延长新村 (seed 000): its five "5H" spaces. 乐活空间 (fitness and rehabilitation with
  professional equipment), 乐龄空间 (meals, leisure and company; staff approve its bookings),
  绿萝空间 (waste sorting: its volunteers' training room), in the committee's building; 乐动空间,
  the renewed outdoor fitness ground, open all day and listed, not booked; 乐影空间, the
  outdoor cinema whose projector and films a partner unit brings (大宁路街道社区文化活动中心,
  made here). Five weeks of bookings and two to come: residents' (刘阿姨's daughter books for
  her), the 乐活太极拳队's repeating booking on Tuesdays and Thursdays 7:00–9:00 (a
  ``BookingSeries`` with its dates as bookings; one Thursday skipped for a closure), the
  health centre's and the cinema's partner bookings, check-ins, a few no-shows, cancellations
  and a decline, and one birthday party in 乐龄空间 waiting for approval. 绿萝空间 was last
  used 38 days ago, so the workspace flags it as idle.
- 天山河畔花园 (seed 002): the outdoor sports field of the club house, free to residents aged
  55 and over (and the self-governance teams) on weekday mornings, an ``AudienceRule``; the
  40-odd 太极拳自治团队 practise there on Tuesdays and Thursdays 7:00–9:00, allocated in
  this season (a ``Season`` with the team's application and its series), and have applied for
  the next. Residents' bookings respect the rule: on weekday mornings only residents of 55+.
- 江秋新苑 (seed 004): the 800 m² 新时代文明实践站 (a centre) with its rooms — 大讲堂,
  书画室, 图书室, 阅览室, 舞蹈室 (the 秋健舞蹈队 rehearse twice a week), 健身室, 未成年人活动室,
  非遗展室 — and its four 党群服务点 about 500 m apart (sites of kind service point), where
  ``demo.servicedays`` holds the monthly service days.

The ORM in bulk, keeping what the services keep: every booking lies inside its space's
opening hours and outside its closures, two live bookings of a space never overlap (the
database refuses it anyway), a booking came or did not come but not both, a resident's
booking in an audience rule's window is by a resident the rule admits. No photos: the demo
ships no image files. Idempotent: nothing is added once 延长新村 has sites.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from areas.models import Area
from demo.enrolment import Enrolment, adults, at, residents_as, simple_team, with_accounts_first
from demo.registry import PROXY
from partners.models import Offer, OfferKind, PartnerUnit, UnitKind
from registry.models import Resident
from spaces.hours import Opening, is_open
from spaces.models import (
    ApplicationStatus,
    AudienceRule,
    Booking,
    BookingSeries,
    BookingStatus,
    Closure,
    OpeningHours,
    PrioritySlot,
    Season,
    Site,
    SiteKind,
    SlotApplication,
    Space,
    SpaceKind,
)
from volunteers.models import Team, TeamKind

YANCHANG = "310106019001"  # 延长新村
TIANSHAN = "310105005024"  # 天山河畔花园
JIANGQIU = "310117103004"  # 江秋新苑
DANING = "310106019"  # 大宁路街道
WANG, SONG, CHEN = "13800000001", "13800000017", "13800000018"  # the committees' staff logins
LIU = "13900000001"  # 刘阿姨
CLINIC = "大宁路街道社区卫生服务中心"  # demo.partners makes it
CINEMA = "大宁路街道社区文化活动中心"

FIVE_H = ["乐活空间", "乐龄空间", "绿萝空间", "乐动空间", "乐影空间"]
FIELD = "室外运动场"
TAIJI_YANCHANG, TAIJI_TIANSHAN = "乐活太极拳队", "太极拳自治团队"
SERIES_DAYS = "1,3"  # Tuesdays and Thursdays
SERIES_HOURS = (time(7), time(9))
STATION = "江秋新苑新时代文明实践站"
# The four 党群服务点 (seed 004: the second at 65幢357单元), about 500 m apart on the plan.
SERVICE_POINTS = [
    ("第一党群服务点", "江秋新苑8幢101室旁", Decimal("18.0"), Decimal("22.0")),
    ("第二党群服务点", "江秋新苑65幢357单元", Decimal("80.0"), Decimal("25.0")),
    ("第三党群服务点", "江秋新苑30幢底楼", Decimal("20.0"), Decimal("78.0")),
    ("第四党群服务点", "江秋新苑48幢底楼", Decimal("82.0"), Decimal("76.0")),
]
PAST_DAYS, COMING_DAYS = 35, 14
IDLE_DAYS = 38  # 绿萝空间's last booking


def _weekly(days: str, opens: tuple[int, int], closes: tuple[int, int]) -> list[tuple[int, time, time]]:
    return [(int(d), time(*opens), time(*closes)) for d in days.split(",")]


WEEKDAYS, ALL_WEEK, MON_SAT = "0,1,2,3,4", "0,1,2,3,4,5,6", "0,1,2,3,4,5"


@dataclass
class Plan:
    """One space's bookings as the demo lays them out, checked before they are written."""

    space: Space
    hours: list[OpeningHours]
    closures: list[Closure] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)

    def opening(self) -> Opening:
        return Opening(self.hours, self.closures)

    def free(self, starts: datetime, ends: datetime) -> bool:
        """Inside an opening, outside closures, and clear of every live booking."""
        if not is_open(self.opening(), starts, ends):
            return False
        return not any(
            b.status in (BookingStatus.PENDING, BookingStatus.CONFIRMED)
            and b.starts_at < ends
            and starts < b.ends_at
            for b in self.bookings
        )

    def book(self, starts: datetime, ends: datetime, **fields) -> Booking:
        assert self.free(starts, ends), (self.space.name, starts, ends)
        made = Booking(space=self.space, starts_at=starts, ends_at=ends, **fields)
        made.created_at = fields.get("created_at") or starts - timedelta(days=3, hours=5)
        self.bookings.append(made)
        return made


# Sites and spaces opened long before the demo's bookings begin (an idle one counts as idle).
OPENED_DAYS_AGO = 400


def _site(area: Area, name: str, kind: str, x, y, **extra) -> Site:
    extra.setdefault("created_at", timezone.now() - timedelta(days=OPENED_DAYS_AGO))
    return Site(area=area, name=name, kind=kind, map_x=Decimal(x), map_y=Decimal(y), **extra)


def _space(area: Area, site: Site | None, name: str, kind: str, **extra) -> Space:
    extra.setdefault("created_at", timezone.now() - timedelta(days=OPENED_DAYS_AGO))
    return Space(area=area, site=site, name=name, kind=kind, **extra)


def _hours(space: Space, spec: list[tuple[int, time, time]]) -> list[OpeningHours]:
    return [OpeningHours(space=space, weekday=d, opens=o, closes=c) for d, o, c in spec]


def _mark(booking: Booking, staff: User | None, rng: random.Random, no_show: float = 0.07) -> None:
    """A past confirmed booking: came (most), did not come (a few), or left unmarked."""
    roll = rng.random()
    if roll < no_show:
        booking.no_show_at = booking.starts_at + timedelta(minutes=30)
        booking.marked_by = staff
    elif roll < 0.93:
        booking.checked_in_at = booking.starts_at + timedelta(minutes=rng.randint(-10, 10))
        booking.marked_by = staff


def _days() -> list[date]:
    today = timezone.localdate()
    return [today + timedelta(days=n) for n in range(-PAST_DAYS, COMING_DAYS + 1)]


def _series(
    plan: Plan, first: date, last: date, purpose: str, people: int, by: User | None, **owner
) -> tuple[BookingSeries, list[Booking]]:
    """A repeating booking on Tuesdays and Thursdays 7:00–9:00 and its dates; a date the space
    is closed or taken is skipped and kept in ``skipped``."""
    series = BookingSeries(
        space=plan.space,
        weekdays=SERIES_DAYS,
        starts=SERIES_HOURS[0],
        ends=SERIES_HOURS[1],
        first_day=first,
        last_day=last,
        purpose=purpose,
        people=people,
        booked_by=by,
        created_at=at(first - timedelta(days=10), 10),
        **owner,
    )
    dates, day = [], first
    while day <= last:
        if day.weekday() in series.days:
            starts, ends = at(day, 7), at(day, 9)
            if plan.free(starts, ends):
                dates.append(
                    plan.book(
                        starts,
                        ends,
                        status=BookingStatus.CONFIRMED,
                        purpose=purpose,
                        people=people,
                        booked_by=by,
                        series=series,
                        created_at=series.created_at,
                        **owner,
                    )
                )
            else:
                series.skipped.append(day.isoformat())
        day += timedelta(days=1)
    return series, dates


def _residents_book(
    plan: Plan,
    people: list[Resident],
    purposes: list[str],
    rng: random.Random,
    staff: User | None,
    per_day: float,
    lengths: tuple[int, ...] = (1, 1, 2),
    admits=None,
) -> None:
    """Residents' own bookings (or staff's for those without an account) over the days; past
    ones marked, a few cancelled. ``admits(resident, starts, ends)`` keeps an audience rule."""
    now = timezone.now()
    for day in _days():
        for _ in range(int(per_day) + (rng.random() < per_day % 1)):
            hours = rng.choice(lengths)
            slot = rng.randint(12, 41) * 30  # on the half hour, 6:00 to 20:30
            starts = at(day, slot // 60, slot % 60)
            ends = starts + timedelta(hours=hours)
            if not plan.free(starts, ends) or starts < now < ends:
                continue
            person = rng.choice(people)
            if admits is not None and not admits(person, starts, ends):
                continue
            booking = plan.book(
                starts,
                ends,
                status=BookingStatus.CONFIRMED,
                purpose=rng.choice(purposes),
                people=rng.randint(1, 4),
                booked_by=person.user or staff,
                for_resident=person,
                decided_by=staff if plan.space.needs_approval else None,
                created_at=starts - timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 8)),
            )
            if booking.decided_by is not None:
                booking.decided_at = booking.created_at + timedelta(hours=3)
            if rng.random() < 0.06:
                booking.status = BookingStatus.CANCELLED
                booking.cancelled_by = booking.booked_by
                booking.cancelled_at = starts - timedelta(hours=rng.randint(3, 30))
                booking.cancel_reason = rng.choice(["临时有事", "身体不舒服，改天再来", ""])
            elif ends < now:
                _mark(booking, staff, rng)


def _partner_unit_cinema(street: Area) -> PartnerUnit:
    unit = PartnerUnit.objects.filter(area=street, name=CINEMA).first()
    if unit is None:
        unit = PartnerUnit.objects.create(
            area=street,
            name=CINEMA,
            kind=UnitKind.GOVERNMENT,
            address="大宁路街道",
            about="延长新村乐影空间的合作单位：提供电影放映设备和片源，定期放映红色电影，也支持居民自演。",
            contact_name="文化干事",
            contact_phone="021-56650088",
        )
        Offer.objects.create(
            unit=unit, kind=OfferKind.EQUIPMENT, description="露天电影放映设备和片源", amount="每月两次"
        )
    return unit


def _yanchang(committee: Area, rng: random.Random) -> tuple[list, list, list]:
    wang = User.objects.filter(phone=WANG).first()
    street = Area.objects.get(code=DANING)
    office = _site(
        committee,
        "延长新村居委会",
        SiteKind.OFFICE,
        30,
        42,
        address="延长新村居委会一楼、二楼",
        hours_note="周一至周六 7:00–17:00",
        about="乐活、乐龄、绿萝三个空间都在居委会楼里，进门左手边有电梯。",
    )
    garden = _site(
        committee,
        "中心花园",
        SiteKind.OUTDOOR,
        58,
        44,
        address="58号楼和64号楼之间",
        hours_note="全天开放",
        about="乐动空间的健身器材和乐影空间的露天放映场地。",
    )
    Site.objects.bulk_create([office, garden])
    spaces = [
        _space(
            committee,
            office,
            "乐活空间",
            SpaceKind.ROOM,
            about="以健身为主题：专业器材康复和科学健身，中老年“健身一族”每天打卡的地方。",
            capacity=20,
            size_m2=60,
            equipment="跑步机2台、功率自行车2台、上下肢康复训练器、平衡训练垫、电子血压计、体重秤",
            how_to_book="在本页选时间预约；不会用手机的，到居委会或请家人代约。每次最多2小时。",
            max_hours=2,
            book_days_ahead=14,
            map_x=Decimal(28),
            map_y=Decimal(40),
        ),
        _space(
            committee,
            office,
            "乐龄空间",
            SpaceKind.HALL,
            about="休闲、饮食、娱乐为一体：助餐、助行、相谈、助乐、康复、健身。",
            capacity=40,
            size_m2=90,
            equipment="餐桌椅40座、加热保温柜、电视机、棋牌桌4张、卡拉OK音响",
            how_to_book="预约后由居委会审核，一般当天回复。中午11:00–12:30助餐时段不对外预约。",
            needs_approval=True,
            max_hours=3,
            map_x=Decimal(32),
            map_y=Decimal(40),
        ),
        _space(
            committee,
            office,
            "绿萝空间",
            SpaceKind.ROOM,
            about="以垃圾分类为主题：培育垃圾分类志愿者，宣传分类知识，倡导分类行为。",
            capacity=15,
            size_m2=30,
            equipment="投影仪、分类宣传展板、四分类示范桶、厨余堆肥箱",
            how_to_book="楼组、团队开展垃圾分类培训和宣传时预约。",
            open_to_residents=False,
            map_x=Decimal(30),
            map_y=Decimal(45),
        ),
        _space(
            committee,
            garden,
            "乐动空间",
            SpaceKind.OUTDOOR,
            about="户外健身场地，健身器材经过微更新，居民健身交流的平台；全天候开放，不用预约。",
            size_m2=300,
            equipment="漫步机、太空漫步机、扭腰器、上肢牵引器、肩关节康复器、单双杠",
            how_to_book="不用预约，随时来锻炼。器材损坏请告诉居委会。",
            bookable=False,
            map_x=Decimal(56),
            map_y=Decimal(44),
        ),
        _space(
            committee,
            garden,
            "乐影空间",
            SpaceKind.OUTDOOR,
            about="户外放映场地：合作单位提供电影设备与片源，定期放映红色电影，也是居民自演的舞台。",
            capacity=80,
            size_m2=200,
            equipment="合作单位提供投影机、幕布、音响；居委会提供折叠椅80把",
            how_to_book="合作单位和团队预约，居委会审核；居民看电影不用预约。",
            needs_approval=True,
            open_to_residents=False,
            book_days_ahead=30,
            max_hours=4,
            map_x=Decimal(62),
            map_y=Decimal(46),
        ),
    ]
    Space.objects.bulk_create(spaces)
    lehuo, leling, lvluo, ledong, leying = spaces
    hours = {
        lehuo: _weekly(MON_SAT, (7, 0), (11, 30)) + _weekly(MON_SAT, (13, 30), (17, 0)),
        leling: _weekly(WEEKDAYS, (9, 0), (11, 0)) + _weekly(WEEKDAYS, (12, 30), (16, 30)),
        lvluo: _weekly(WEEKDAYS, (9, 0), (11, 30)) + _weekly(WEEKDAYS, (14, 0), (16, 30)),
        ledong: _weekly(ALL_WEEK, (0, 0), (23, 59)),
        leying: _weekly("4,5", (18, 0), (21, 30)),
    }
    plans = {s: Plan(s, _hours(s, spec)) for s, spec in hours.items()}
    today = timezone.localdate()
    # A Thursday shut for the equipment's yearly service: the tai chi series skips it.
    thursday = today + timedelta(days=(3 - today.weekday()) % 7 + 7)
    plans[lehuo].closures.append(
        Closure(
            space=lehuo,
            starts_at=at(thursday, 0),
            ends_at=at(thursday + timedelta(days=1), 0),
            reason="康复器材年度检修",
            created_by=wang,
        )
    )
    team = _team(committee, TAIJI_YANCHANG, 18, 2019, "每周二、周四早上7点到9点，乐活空间")
    leader = _leader(team)
    monday = today - timedelta(days=today.weekday())
    series, _dates = _series(
        plans[lehuo],
        monday - timedelta(weeks=8),
        monday + timedelta(weeks=8, days=6),
        "太极拳练习",
        18,
        leader or wang,
        team=team,
    )
    slots = [
        PrioritySlot(
            space=lehuo, team=team, weekdays=SERIES_DAYS, starts=SERIES_HOURS[0], ends=SERIES_HOURS[1]
        )
    ]
    _liu(plans[lehuo], committee, wang)  # before the others take her mornings
    people = adults(committee, 50, 90, sample=120, seed=5)
    with_user = [p for p in people if p.user and p.user.phone != LIU] or people
    _residents_book(
        plans[lehuo],
        with_user,
        ["康复训练", "器械健身", "跑步机锻炼", "上肢康复"],
        rng,
        wang,
        per_day=3.2,
        lengths=(1, 1, 2),
    )
    clinic = PartnerUnit.objects.filter(area=street, name=CLINIC).first()
    for week in range(-5, 3):  # the health centre's talk in 乐龄空间 every other Wednesday
        day = monday + timedelta(weeks=week, days=2)
        if week % 2 or not plans[leling].free(at(day, 14), at(day, 15, 30)):
            continue
        booking = plans[leling].book(
            at(day, 14),
            at(day, 15, 30),
            status=BookingStatus.CONFIRMED,
            purpose="家庭医生健康讲座",
            people=35,
            booked_by=wang,
            partner_unit=clinic,
            decided_by=wang,
        )
        booking.decided_at = booking.created_at
        if booking.ends_at < timezone.now():
            booking.checked_in_at, booking.marked_by = booking.starts_at - timedelta(minutes=5), wang
    _residents_book(
        plans[leling],
        with_user,
        ["老姐妹聊天", "打牌下棋", "唱卡拉OK", "看电视剧"],
        rng,
        wang,
        per_day=1.2,
        lengths=(2, 2, 3),
    )
    _pending_and_declined(plans[leling], with_user, wang)
    # 绿萝空间: the last training was 38 days ago; nothing since, nothing to come.
    day = today - timedelta(days=IDLE_DAYS)
    while day.weekday() > 4:
        day -= timedelta(days=1)
    healthy = Team.objects.filter(area=committee, name="健康楼组邻里队").first()
    last = plans[lvluo].book(
        at(day, 9, 30),
        at(day, 11),
        status=BookingStatus.CONFIRMED,
        purpose="垃圾分类志愿者培训",
        people=12,
        booked_by=wang,
        team=healthy,
    )
    last.checked_in_at, last.marked_by = last.starts_at, wang
    cinema = _partner_unit_cinema(street)
    for week in range(-5, 3):  # a film every other Friday evening
        day = monday + timedelta(weeks=week, days=4)
        if week % 2 == 0:
            continue
        film = plans[leying].book(
            at(day, 18, 30),
            at(day, 20, 30),
            status=BookingStatus.CONFIRMED,
            purpose=random.Random(week).choice(["红色电影放映：《地道战》", "红色电影放映：《英雄儿女》"]),
            people=60,
            booked_by=wang,
            partner_unit=cinema,
            decided_by=wang,
            created_at=at(day - timedelta(days=12), 10),
        )
        film.decided_at = film.created_at + timedelta(hours=2)
        if film.ends_at < timezone.now():
            film.checked_in_at, film.marked_by = film.starts_at - timedelta(minutes=20), wang
    return [series], slots, list(plans.values())


def _liu(plan: Plan, committee: Area, staff: User | None) -> None:
    """刘阿姨's rehabilitation sessions, booked by her daughter for her: one past, two to come."""
    liu = Resident.objects.filter(committee=committee, user__phone=LIU).first()
    daughter = User.objects.filter(phone=PROXY[0]).first()
    if liu is None:
        return
    today = timezone.localdate()
    for offset in (-6, 2, 9):
        day = today + timedelta(days=offset)
        while day.weekday() in (1, 3, 6):  # not on the tai chi mornings, not on Sunday
            day += timedelta(days=1)
        starts = at(day, 9, 30)
        if not plan.free(starts, starts + timedelta(hours=1)):
            continue
        booking = plan.book(
            starts,
            starts + timedelta(hours=1),
            status=BookingStatus.CONFIRMED,
            purpose="膝关节康复训练",
            booked_by=daughter or staff,
            for_resident=liu,
        )
        if offset < 0:
            booking.checked_in_at, booking.marked_by = starts + timedelta(minutes=3), staff


def _pending_and_declined(plan: Plan, people: list[Resident], staff: User | None) -> None:
    """A birthday lunch waiting for approval, and one declined last month."""
    today = timezone.localdate()
    day = today + timedelta(days=4)
    while day.weekday() > 4:
        day += timedelta(days=1)
    starts = at(day, 13)
    while not plan.free(starts, starts + timedelta(hours=2)):
        day += timedelta(days=1)
        while day.weekday() > 4:
            day += timedelta(days=1)
        starts = at(day, 13)
    host = people[0]
    plan.book(
        starts,
        starts + timedelta(hours=2),
        status=BookingStatus.PENDING,
        purpose="楼组老姐妹过80岁生日，想借场地一起吃蛋糕",
        people=18,
        booked_by=host.user or staff,
        for_resident=host,
        created_at=timezone.now() - timedelta(hours=20),
    )
    past_day = today - timedelta(days=17)
    while past_day.weekday() > 4:
        past_day -= timedelta(days=1)
    past = at(past_day, 13)
    declined = Booking(
        space=plan.space,
        starts_at=past,
        ends_at=past + timedelta(hours=3),
        status=BookingStatus.DECLINED,
        purpose="亲戚聚会",
        people=30,
        booked_by=people[1].user or staff,
        for_resident=people[1],
        created_at=past - timedelta(days=4),
        decided_by=staff,
        decided_at=past - timedelta(days=3),
        decline_reason="乐龄空间不接待私人家庭聚会，请谅解；楼组活动可以预约。",
    )
    plan.bookings.append(declined)


def _team(committee: Area, name: str, size: int, year: int, meets: str) -> Team:
    """A self-governance tai chi team of residents aged 55 and over."""
    found = Team.objects.filter(area=committee, name=name, dissolved_at__isnull=True).first()
    if found is not None:
        return found
    pool = adults(committee, 55, 85, sample=size, seed=size + year)
    spec = {
        "name": name,
        "kind": TeamKind.SELF_GOVERNANCE,
        "founded": date(year, 4, 1),
        "about": "太极拳强身健体，也调节心态，很适合社区老年人；欢迎退休居民加入。",
        "meets": meets,
        "leaders": 1,
    }
    team, _volunteers = simple_team(
        committee, spec, residents_as(with_accounts_first(pool)), Enrolment(committee, year, None), None
    )
    return team


def _leader(team: Team) -> User | None:
    membership = team.memberships.filter(is_leader=True).select_related("volunteer__user").first()
    return membership.volunteer.user if membership else None


def age_on(person: Resident, day: date) -> int:
    born = person.birth_date
    if born is None:
        return 0
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def in_rule(rule: AudienceRule, starts: datetime, ends: datetime) -> bool:
    """The booking falls (at least partly) in the rule's weekly window."""
    first, last = timezone.localtime(starts), timezone.localtime(ends)
    return first.weekday() in rule.days and first.time() < rule.ends and last.time() > rule.starts


def _tianshan(committee: Area, rng: random.Random) -> tuple[list, list, list, list]:
    song = User.objects.filter(phone=SONG).first()
    club = _site(
        committee,
        "天山河畔花园会所",
        SiteKind.CENTRE,
        62,
        55,
        address="水城路883号 天山河畔花园小区内",
        hours_note="每天 6:00–21:00",
        about="会所运营室内篮球场、游泳池和室外运动场；“疯狂厨房”餐厅在一楼。",
    )
    club.save()
    field_ = _space(
        committee,
        club,
        FIELD,
        SpaceKind.FIELD,
        about=(
            "被竹林环绕的室外运动场。经“宁聚883”志愿者团队与物业、会所协商，工作日上午向55岁以上的"
            "居民和社区自治团队免费开放；其余时段由会所按小时收费。"
        ),
        capacity=60,
        size_m2=1200,
        equipment="塑胶场地、篮球架2副、乒乓球台2张、太极拳音箱、储物柜",
        how_to_book="工作日上午（6:00–12:00）55岁以上居民免费预约；其余时段预约后到会所前台付费。",
        max_hours=3,
        map_x=Decimal(66),
        map_y=Decimal(58),
    )
    field_.save()
    hours = _hours(field_, _weekly(ALL_WEEK, (6, 0), (21, 0)))
    rule = AudienceRule(
        space=field_,
        weekdays=WEEKDAYS,
        starts=time(6),
        ends=time(12),
        min_age=55,
        free=True,
        note="工作日上午免费向55岁以上的居民开放（社区自治团队同样免费）",
    )
    plan = Plan(field_, hours)
    team = _team(committee, TAIJI_TIANSHAN, 42, 2018, "工作日早上，小区室外运动场")
    leader = _leader(team)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    first, last = monday - timedelta(weeks=9), monday + timedelta(weeks=8, days=6)
    series, _dates = _series(plan, first, last, "太极拳晨练", 40, leader or song, team=team)
    season = Season(
        area=committee,
        name=f"{first.year}年秋冬季",
        applications_open=first - timedelta(days=30),
        applications_close=first - timedelta(days=16),
        starts_on=first,
        ends_on=last,
        created_by=song,
        created_at=at(first - timedelta(days=32), 10),
        allocated_at=at(first - timedelta(days=12), 15),
    )
    following = Season(
        area=committee,
        name=f"{(last + timedelta(days=1)).year}年春季",
        applications_open=today - timedelta(days=4),
        applications_close=today + timedelta(days=14),
        starts_on=last + timedelta(days=1),
        ends_on=last + timedelta(weeks=20),
        created_by=song,
        created_at=at(today - timedelta(days=5), 10),
    )
    Season.objects.bulk_create([season, following])
    slot = {"team": team, "space": field_, "weekdays": SERIES_DAYS, "purpose": "太极拳晨练", "people": 40}
    applications = [
        SlotApplication(
            season=season,
            starts=SERIES_HOURS[0],
            ends=SERIES_HOURS[1],
            status=ApplicationStatus.ALLOCATED,
            applied_by=leader,
            applied_at=at(season.applications_open + timedelta(days=2), 20),
            decided_by=song,
            decided_at=season.allocated_at,
            series=series,
            **slot,
        ),
        SlotApplication(
            season=following,
            starts=SERIES_HOURS[0],
            ends=SERIES_HOURS[1],
            applied_by=leader,
            applied_at=at(today - timedelta(days=2), 19, 30),
            **slot,
        ),
    ]
    ningju = Team.objects.filter(area=committee, name="宁聚883").first()
    for week in (-3, 1):  # 宁聚883's Saturday events for the young
        day = monday + timedelta(weeks=week, days=5)
        event = plan.book(
            at(day, 9),
            at(day, 11, 30),
            status=BookingStatus.CONFIRMED,
            purpose="周小乔青少年社区实践：亲子运动会",
            people=50,
            booked_by=song,
            team=ningju,
        )
        if event.ends_at < timezone.now():
            event.checked_in_at, event.marked_by = event.starts_at - timedelta(minutes=10), song
    people = adults(committee, 18, 90, sample=200, seed=883)
    people = [p for p in people if p.user_id] or people

    def admits(person: Resident, starts: datetime, ends: datetime) -> bool:
        if not in_rule(rule, starts, ends):
            return True
        assert rule.min_age is not None
        return age_on(person, timezone.localdate(starts)) >= rule.min_age

    _residents_book(
        plan,
        people,
        ["打羽毛球", "门球", "乒乓球", "健步走", "带孩子踢球"],
        rng,
        song,
        per_day=3.5,
        lengths=(1, 1, 2),
        admits=admits,
    )
    AudienceRule.objects.bulk_create([rule])
    slots = [
        PrioritySlot(
            space=field_, team=team, weekdays=SERIES_DAYS, starts=SERIES_HOURS[0], ends=SERIES_HOURS[1]
        )
    ]
    return [series], slots, [plan], applications


def _jiangqiu(committee: Area, rng: random.Random) -> tuple[list, list]:
    chen = User.objects.filter(phone=CHEN).first()
    station = _site(
        committee,
        STATION,
        SiteKind.CENTRE,
        50,
        50,
        address="佘山镇江秋新苑小区中心",
        hours_note="周一至周日 8:30–20:30",
        about=(
            "800多平方米的新时代文明实践站：大讲堂、书画室、图书室、阅览室、舞蹈室、室内外健身场地、"
            "未成年人活动室、非遗展室。群众需要什么，实践站就提供什么。"
        ),
    )
    points = [
        _site(
            committee,
            name,
            SiteKind.SERVICE_POINT,
            x,
            y,
            address=address,
            hours_note="每月便民服务日上午；平时周一至周五 9:00–11:00",
            about="党群服务点：每月便民服务日，理发、磨刀、缝补、量血压测血糖、疫苗接种登记、防诈骗宣传。",
        )
        for name, address, x, y in SERVICE_POINTS
    ]
    Site.objects.bulk_create([station, *points])
    rooms = [
        ("新时代文明实践大讲堂", SpaceKind.HALL, 120, 160, "投影、音响、讲台、120座", True),
        ("书画室", SpaceKind.ROOM, 20, 50, "书画桌10张、笔墨纸砚", False),
        ("图书室", SpaceKind.ROOM, 20, 60, "藏书6000册、电脑2台、无线网络", False),
        ("阅览室", SpaceKind.ROOM, 24, 50, "报刊架、阅览桌", False),
        ("舞蹈室", SpaceKind.ROOM, 30, 90, "把杆、落地镜、音响", False),
        ("室内健身室", SpaceKind.ROOM, 15, 60, "跑步机、动感单车、乒乓球台", False),
        ("未成年人活动室", SpaceKind.ROOM, 25, 50, "绘本、积木、桌游", True),
        ("非遗展室", SpaceKind.ROOM, 20, 40, "非遗作品展柜", True),
    ]
    spaces = [
        _space(
            committee,
            station,
            name,
            kind,
            capacity=capacity,
            size_m2=size,
            equipment=equipment,
            needs_approval=approve,
            about=f"{STATION}的{name}。",
            how_to_book="在本页预约，或到实践站一楼服务台登记。",
            map_x=Decimal(50),
            map_y=Decimal(50),
        )
        for name, kind, capacity, size, equipment, approve in rooms
    ]
    Space.objects.bulk_create(spaces)
    plans = [Plan(s, _hours(s, _weekly(ALL_WEEK, (8, 30), (20, 30)))) for s in spaces]
    by_name = {p.space.name: p for p in plans}
    dance = by_name["舞蹈室"]
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for week in range(-5, 3):  # 秋健舞蹈队 rehearse on Mondays and Wednesdays, 14:00–16:00
        for offset in (0, 2):
            day = monday + timedelta(weeks=week, days=offset)
            rehearsal = dance.book(
                at(day, 14),
                at(day, 16),
                status=BookingStatus.CONFIRMED,
                purpose="秋健舞蹈队排练《绣红旗》《红旗飘飘》",
                people=20,
                booked_by=chen,
            )
            if rehearsal.ends_at < timezone.now():
                _mark(rehearsal, chen, rng, no_show=0)
    people = adults(committee, 18, 85, sample=150, seed=4)
    people = [p for p in people if p.user_id] or people
    for name, purposes in (
        ("书画室", ["练书法", "国画兴趣小组"]),
        ("阅览室", ["读书会", "看报"]),
        ("室内健身室", ["乒乓球", "健身"]),
    ):
        _residents_book(by_name[name], people, purposes, rng, chen, per_day=1.0, lengths=(1, 2))
    return spaces, plans


def load() -> int:
    """Sites, spaces and their bookings; 0 once 延长新村 has sites."""
    yanchang = Area.objects.get(code=YANCHANG)
    if Site.objects.filter(area=yanchang).exists():
        return 0
    rng = random.Random(19)
    series_y, slots_y, plans_y = _yanchang(yanchang, rng)
    series_t, slots_t, plans_t, applications = _tianshan(Area.objects.get(code=TIANSHAN), rng)
    _spaces, plans_j = _jiangqiu(Area.objects.get(code=JIANGQIU), rng)
    plans = [*plans_y, *plans_t, *plans_j]
    OpeningHours.objects.bulk_create([h for p in plans for h in p.hours])
    Closure.objects.bulk_create([c for p in plans for c in p.closures])
    PrioritySlot.objects.bulk_create([*slots_y, *slots_t])
    BookingSeries.objects.bulk_create([*series_y, *series_t])
    SlotApplication.objects.bulk_create(applications)
    # bulk_create takes each date's series id from its series, saved by then.
    Booking.objects.bulk_create(sorted((b for p in plans for b in p.bookings), key=lambda b: b.starts_at))
    return Space.objects.count()
