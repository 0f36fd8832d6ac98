"""Demo service days (便民服务日, issue 19), from seeds 004 and 000.

- 江秋新苑 (seed 004): each of the four 党群服务点 (``demo.spaces``) holds its service day on
  the 10th of every month, 9:00–11:30, at the same six stalls: 理发, 磨刀, 缝补衣物 (volunteers
  of 佘山镇志愿者协会 and the 春风送暖服务队), 量血压测血糖 and 疫苗接种登记 (a doctor of the
  town's community health centre at each point: 黄菊妹 at the second), 防诈骗宣传 (佘山派出所).
  Twelve months of them, 48 days and 288 stalls, whose queues served 6,403 person-times
  (人次): the seed's "累计服务6400人次" is the figure these tickets add up to, not one typed
  in. Residents took a number on their phone, or a paper ticket from the volunteers (most of
  the elderly);
  the stalls called them in turn (two barbers and two at the blood-pressure table), a few
  had gone when called (absent) and a few gave up waiting; waits run from none to about half
  an hour. Next month's four days are published, their stalls not opened yet.
- 延长新村 (seed 000): the 暖冬集市's stalls, a service day on the market's morning: blood
  pressure, blood sugar and the dental check by 大宁路街道社区卫生服务中心, and the 便民服务队's
  masters repairing appliances, watches and zips, and cutting hair.

The 暖冬集市 stays an activity as well (``demo.activities``): the market was more than its
stalls (folk crafts, games, the winter goods, the blind bags), residents signed up for it and
checked in, and the notices and the activity's beneficiaries already tell of it; the service
day records something else, who queued at which stall and was served. Served tickets and
check-ins are both person-times (人次): a resident who came to the market and had their
blood pressure taken counts twice, as the street's own report would.

The ORM in bulk, keeping what the services keep: a stall's ``last_number`` is its highest
ticket number, numbers run 1, 2, 3… in the order taken (phone and paper share them), a ticket
is called before it is served or marked absent, never both, and one given up was never
called. Idempotent: nothing is added once 江秋新苑 has service days.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from accounts.models import User
from activities.models import Activity
from areas.models import Area
from demo.enrolment import adults, at, ensure_services
from demo.spaces import CHEN, CLINIC, DANING, JIANGQIU, SERVICE_POINTS, WANG, YANCHANG
from partners.models import PartnerUnit
from registry.models import Resident
from servicedays.models import ServiceDay, Stall, Ticket
from spaces.models import Site

SERVED_JIANGQIU = 6403  # what the year's tickets add up to (tests/demo/test_spaces_demo.py)
DAY_OF_MONTH = 10  # seed 004: "4月10日上午"
OPENS, CLOSES = (9, 0), (11, 30)
DOCTORS = ["沈医生", "黄菊妹医生", "陆医生", "顾医生"]  # one a point, as the seed says


@dataclass(frozen=True)
class StallSpec:
    name: str
    tickets: tuple[int, int]  # fewest and most handed out in a morning
    minutes: tuple[int, int]  # a service takes
    servers: int = 1
    unit: str = ""
    staff: str = ""
    service: str = ""
    max_tickets: int | None = None


JIANGQIU_STALLS = [
    StallSpec("理发", (17, 25), (8, 13), 2, "佘山镇志愿者协会", "春风送暖服务队理发师傅两位", "理发", 30),
    StallSpec("磨刀", (15, 23), (3, 7), 1, "佘山镇志愿者协会", "春风送暖服务队磨刀师傅"),
    StallSpec("缝补衣物", (14, 20), (4, 8), 1, "佘山镇志愿者协会", "春风送暖服务队缝补阿姨"),
    StallSpec("量血压测血糖", (39, 52), (3, 5), 2, "佘山镇社区卫生服务中心", "", "量血压"),
    StallSpec("疫苗接种登记", (14, 22), (3, 5), 1, "佘山镇社区卫生服务中心", "社区卫生服务中心护士"),
    StallSpec("防诈骗宣传", (17, 25), (3, 6), 1, "佘山派出所", "江秋新苑社区民警"),
]
MARKET_STALLS = [
    StallSpec("量血压", (26, 26), (2, 4), 1, CLINIC, "家庭医生", "量血压"),
    StallSpec("测血糖", (21, 21), (3, 5), 1, CLINIC, "家庭医生"),
    StallSpec("口腔义诊", (16, 16), (5, 9), 1, CLINIC, "口腔科医生"),
    StallSpec("修家电", (13, 13), (8, 15), 2, "", "便民服务队 周师傅、孙师傅", "修家电"),
    StallSpec("修手表", (11, 11), (6, 12), 1, "", "便民服务队 钱师傅"),
    StallSpec("修拉链", (12, 12), (4, 8), 1, "", "便民服务队 吴阿姨"),
    StallSpec("理发", (15, 15), (10, 14), 2, "", "便民服务队 理发师傅两位", "理发"),
]


def months(today: date) -> tuple[list[date], date]:
    """The twelve service days before today, and the next one."""
    next_day = today.replace(day=DAY_OF_MONTH)
    if next_day < today:
        next_day = (next_day + timedelta(days=31)).replace(day=DAY_OF_MONTH)
    past, day = [], next_day
    for _ in range(12):
        day = (day.replace(day=1) - timedelta(days=1)).replace(day=DAY_OF_MONTH)
        past.append(day)
    return sorted(past), next_day


def _queue(
    stall: Stall,
    spec: StallSpec,
    opens: datetime,
    counts: random.Random,
    people: list[Resident],
    picks: random.Random,
    phone_share: float,
) -> list[Ticket]:
    """A morning's tickets, numbered in the order taken, called in turn by the stall's
    servers: a ticket is served, or absent when called, or given up before its call."""
    total = counts.randint(*spec.tickets)
    window = 150  # minutes over which numbers are taken, from 20 minutes before opening
    arrivals = sorted(
        opens - timedelta(minutes=20) + timedelta(seconds=int(60 * window * counts.random()))
        for _ in range(total)
    )
    free = [opens] * spec.servers
    phones = picks.sample(people, min(len(people), total)) if people else []
    tickets = []
    for number, taken in enumerate(arrivals, start=1):
        person = phones.pop() if phones and picks.random() < phone_share else None
        ticket = Ticket(
            stall=stall,
            number=number,
            user=person.user if person else None,
            resident=person,
            paper=person is None,
            taken_at=taken,
        )
        tickets.append(ticket)
        server = min(range(spec.servers), key=lambda i: free[i])
        called = max(taken + timedelta(seconds=counts.randint(20, 90)), free[server])
        wait = (called - taken).total_seconds() / 60
        roll = counts.random()
        if wait > 15 and roll < 0.12:  # tired of waiting
            ticket.cancelled_at = taken + timedelta(minutes=counts.randint(10, int(wait) - 1))
            continue
        ticket.called_at = called
        if roll > 0.96:  # gone when called
            ticket.absent_at = called + timedelta(minutes=2)
            free[server] = ticket.absent_at
            continue
        took = timedelta(minutes=counts.randint(*spec.minutes), seconds=counts.randint(0, 59))
        ticket.served_at = called + took
        free[server] = ticket.served_at
    stall.last_number = len(tickets)
    stall.opened_at = opens - timedelta(minutes=25)
    ends = [t.served_at or t.absent_at or t.cancelled_at for t in tickets]
    stall.closed_at = max([opens + timedelta(hours=2, minutes=30), *[e for e in ends if e]]) + timedelta(
        minutes=5
    )
    return tickets


def _stall(day: ServiceDay, spec: StallSpec, position: int, units: dict, services: dict, staff: str) -> Stall:
    return Stall(
        service_day=day,
        name=spec.name,
        service=services.get(spec.service),
        partner_unit=units.get(spec.unit),
        staff_names=staff or spec.staff,
        max_tickets=spec.max_tickets,
        position=position,
    )


def _jiangqiu(services: dict) -> tuple[list[ServiceDay], list[Stall], list[Ticket]]:
    committee = Area.objects.get(code=JIANGQIU)
    chen = User.objects.filter(phone=CHEN).first()
    units = {u.name: u for u in PartnerUnit.objects.filter(area=committee)}
    sites = {s.name: s for s in Site.objects.filter(area=committee)}
    people = [p for p in adults(committee, 30, 90, sample=900, seed=6400) if p.user_id]
    counts, picks = random.Random(6400), random.Random(4)
    past, upcoming = months(timezone.localdate())
    days, stalls, tickets = [], [], []
    for when in [*past, upcoming]:
        for (name, address, _x, _y), doctor in zip(SERVICE_POINTS, DOCTORS, strict=True):
            opens = at(when, *OPENS)
            day = ServiceDay(
                area=committee,
                site=sites.get(name),
                title=f"{when.month}月便民服务日 · {name}",
                place=address,
                starts_at=opens,
                ends_at=at(when, *CLOSES),
                about=(
                    "理发、磨刀、缝补衣物、量血压测血糖、疫苗接种登记、防诈骗宣传。"
                    "可以在手机上取号，也可以到现场领纸质号；叫到号没来的请重新取号。"
                ),
                created_by=chen,
                created_at=opens - timedelta(days=25),
                published_at=opens - timedelta(days=20),
            )
            days.append(day)
            for position, spec in enumerate(JIANGQIU_STALLS, start=1):
                staff = doctor if spec.name == "量血压测血糖" else ""
                stall = _stall(day, spec, position, units, services, staff)
                stalls.append(stall)
                if when < timezone.localdate():
                    tickets += _queue(stall, spec, opens, counts, people, picks, phone_share=0.4)
    return days, stalls, tickets


def _market(services: dict) -> tuple[list[ServiceDay], list[Stall], list[Ticket]]:
    """延长新村's 暖冬集市, its stalls on the activity's morning."""
    committee = Area.objects.get(code=YANCHANG)
    wang = User.objects.filter(phone=WANG).first()
    activity = Activity.objects.filter(committee=committee, title="暖冬集市").order_by("starts_at").first()
    if activity is not None:
        starts, ends, place = activity.starts_at, activity.ends_at, activity.place
    else:
        starts = at(timezone.localdate() - timedelta(days=14), 9)
        ends, place = starts + timedelta(hours=3), "共和新路2299号社区服务中心"
    day = ServiceDay(
        area=committee,
        title="暖冬集市 · 便民服务",
        place=place,
        starts_at=starts,
        ends_at=ends,
        about=(
            "暖冬集市上的便民惠民服务：量血压、测血糖、口腔义诊，便民服务队的师傅们修家电、修手表、"
            "修拉链、理发。下雨的话摊位挪到一楼大厅。"
        ),
        created_by=wang,
        created_at=starts - timedelta(days=21),
        published_at=starts - timedelta(days=14),
    )
    units = {u.name: u for u in PartnerUnit.objects.filter(area__code=DANING, name=CLINIC)}
    people = [p for p in adults(committee, 30, 95) if p.user_id]
    counts, picks = random.Random(1211), random.Random(12)
    stalls, tickets = [], []
    for position, spec in enumerate(MARKET_STALLS, start=1):
        stall = _stall(day, spec, position, units, services, "")
        stalls.append(stall)
        if starts < timezone.now():
            tickets += _queue(stall, spec, starts, counts, people, picks, phone_share=0.3)
    return [day], stalls, tickets


def load() -> int:
    """Service days with their stalls and tickets; 0 once 江秋新苑 has service days."""
    if ServiceDay.objects.filter(area__code=JIANGQIU).exists():
        return 0
    services = ensure_services()
    days, stalls, tickets = _jiangqiu(services)
    more = _market(services)
    days, stalls, tickets = days + more[0], stalls + more[1], tickets + more[2]
    # bulk_create takes each stall's day id and each ticket's stall id from the saved parent.
    ServiceDay.objects.bulk_create(days)
    Stall.objects.bulk_create(stalls)
    Ticket.objects.bulk_create(tickets, batch_size=2000)
    return len(days)
