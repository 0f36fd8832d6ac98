"""Demo activities from the seeds, for 延长新村: health lectures, sachet making (香囊), tie-dye
(扎染), the calligraphy class four times a month (seed 001's 书法班), and the winter market
(暖冬集市, seed 000) — past ones with sign-ups and check-ins (so the beneficiaries count),
coming ones open for sign-up, one full with a waiting list. 刘阿姨 has her own sign-ups.

Dates are relative to today. Idempotent: nothing is added once 延长新村 has activities.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from activities.models import Activity, Series, Signup, SignupStatus, SignupVia
from areas.models import Area
from registry.models import Resident

YANCHANG = "310106019001"

# (title, place, days from today, start hour, hours, capacity, min age, sign-ups, description)
ONE_OFF = [
    (
        "冬季养生健康讲座",
        "居委会二楼活动室",
        -40,
        14,
        1.5,
        40,
        None,
        34,
        "社区卫生服务中心医生讲冬季养生，现场测血压。",
    ),
    (
        "端午香囊制作",
        "居委会一楼活动室",
        -30,
        9,
        2,
        25,
        None,
        25,
        "中医师讲解药材功效，带大家动手缝制驱蚊香囊。",
    ),
    ("扎染体验课", "邻里中心手工室", -21, 14, 2, 20, None, 22, "用板蓝根染料扎染方巾，亲子家庭优先。"),
    (
        "暖冬集市",
        "共和新路2299号社区服务中心",
        -14,
        9,
        3,
        None,
        None,
        90,
        "理发、磨刀、测血压、写春联，还有爱心义卖。",
    ),
    (
        "老年人防跌倒讲座",
        "居委会二楼活动室",
        -7,
        14,
        1.5,
        40,
        60,
        31,
        "康复科医生讲居家防跌倒，教几个简单的平衡操。",
    ),
    (
        "健康饮食讲座：少盐少油",
        "居委会二楼活动室",
        2,
        14,
        1.5,
        40,
        None,
        26,
        "营养师讲一日三餐怎么搭配，现场发控盐勺。",
    ),
    (
        "扎染体验课（第二期）",
        "邻里中心手工室",
        4,
        14,
        2,
        12,
        None,
        15,
        "上一期很受欢迎，再开一期。名额有限。",
    ),
    ("心肺复苏与AED急救培训", "居委会二楼活动室", 9, 9, 2, 30, 18, 11, "学会心肺复苏和AED，关键时刻能救命。"),
]
CALLIGRAPHY = ("书法班", "居委会书画室", 10, 2, 20, "书法老师每周二上午授课，欢迎老人和小朋友。每月四次。")


def _at(days: int, hour: float) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(int(hour), int(hour % 1 * 60))))


def _activity(committee, title, place, days, hour, hours, capacity, min_age, text, series=None) -> Activity:
    starts = _at(days, hour)
    return Activity.objects.create(
        committee=committee,
        series=series,
        title=title,
        description=text,
        place=place,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        capacity=capacity,
        min_age=min_age,
        closes_at=starts - timedelta(hours=2),
        published_at=starts - timedelta(days=10),
    )


def _fill(activity: Activity, people: list[Resident], count: int, rng: random.Random, came: float) -> None:
    """``count`` sign-ups in order (places first, then the waiting list); for a past activity
    ``came`` of those with a place checked in."""
    chosen = rng.sample(people, min(count, len(people)))
    past = activity.ends_at < timezone.now()
    published_at = activity.published_at
    assert published_at is not None  # the demo fills only the activities it has published
    rows = []
    for i, person in enumerate(chosen):
        has_place = activity.capacity is None or i < activity.capacity
        checked = past and has_place and rng.random() < came
        rows.append(
            Signup(
                activity=activity,
                resident=person,
                status=SignupStatus.CONFIRMED if has_place else SignupStatus.WAITING,
                via=SignupVia.SELF if person.user_id else SignupVia.STAFF,
                created_at=published_at + timedelta(minutes=7 * i + 1),
                checked_in_at=activity.starts_at + timedelta(minutes=rng.randint(-10, 15))
                if checked
                else None,
                rating=rng.choice([4, 5, 5, 5]) if checked and rng.random() < 0.4 else None,
            )
        )
    Signup.objects.bulk_create(rows)
    taken = sum(1 for r in rows if r.status == SignupStatus.CONFIRMED)
    Activity.objects.filter(pk=activity.pk).update(confirmed=F("confirmed") + taken)


def load() -> int:
    committee = Area.objects.get(code=YANCHANG)
    if Activity.objects.filter(committee=committee).exists():
        return 0
    rng = random.Random(2026)
    people = list(Resident.objects.living().filter(committee=committee).exclude(birth_date__isnull=True))
    elders = [p for p in people if p.birth_date and (timezone.localdate() - p.birth_date).days >= 60 * 365]
    liu = Resident.objects.filter(committee=committee, user__phone="13900000001").first()
    made = []
    for title, place, days, hour, hours, capacity, min_age, signups, text in ONE_OFF:
        activity = _activity(committee, title, place, days, hour, hours, capacity, min_age, text)
        _fill(activity, elders if min_age else people, signups, rng, came=0.85)
        made.append(activity)
    title, place, hour, hours, capacity, text = CALLIGRAPHY
    series = Series.objects.create(committee=committee, title=title)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    for week in range(-8, 4):  # two months past, a month to come: four a month
        days = (monday - timezone.localdate()).days + 1 + 7 * week  # Tuesdays
        activity = _activity(committee, title, place, days, hour, hours, capacity, None, text, series)
        _fill(activity, elders, 16 if week < 0 else 9, random.Random(week + 100), came=0.9)
        made.append(activity)
    if liu is not None:
        for activity in made:
            wanted = activity.starts_at > timezone.now() and activity.title in (
                "健康饮食讲座：少盐少油",
                "书法班",
            )
            if wanted and not Signup.objects.filter(activity=activity, resident=liu).exists():
                activity.refresh_from_db(fields=["confirmed"])
                has_place = activity.capacity is None or activity.confirmed < activity.capacity
                Signup.objects.create(
                    activity=activity,
                    resident=liu,
                    status=SignupStatus.CONFIRMED if has_place else SignupStatus.WAITING,
                    via=SignupVia.SELF,
                )
                if has_place:
                    Activity.objects.filter(pk=activity.pk).update(confirmed=F("confirmed") + 1)
    return len(made)
