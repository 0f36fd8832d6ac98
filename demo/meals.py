"""Demo meal assistance (社区助餐, issue 20), from seed 002.

- 天山河畔花园 (seed 002): the clubhouse's "疯狂厨房" sells a 20-yuan 助老餐 to the estate's
  elderly every day at noon (豆炒香肠, 炒青菜; 红烧大排, 葱油南瓜, 炒空心菜…), two or three
  minutes' walk from home; run with the committee as the 会所长者食堂, 300 lunch places,
  ordered by 9:30, and a 5-yuan breakfast ordered the evening before. A soft, low-salt set
  meal (软食) for those whose teeth or blood pressure ask for it.
- Every resident of 60 and over is registered as a diner; some with needs (soft, low salt,
  low sugar) and allergies, a few with the health conditions behind them (encrypted, masked).
- The 第二楼组长 found elderly neighbours who can no longer walk to the clubhouse: they are
  delivered every day, by 宁聚883's 在职党员 on three routes by building, their rounds linked
  to the team's 为老送餐 shifts (``demo.service_days``).
- The district pays 8 yuan a meal for diners of 80 and over (at most 200 a month), the street
  5 yuan a lunch for those living alone, from the start of the month before last.
- A month of lunches, about 300 a day (the canteen is full some days), each priced as
  ``meals.pricing`` prices it (the same rules, the same caps, worked out in memory), eaten in,
  taken away or delivered, and paid in cash or by card; a few cancelled before the cutoff (their
  subsidy lines void), a few not at home. Today's and tomorrow's orders are open.

The ORM in bulk, keeping what the services keep: a service's ``taken`` counts its live
orders and never exceeds its places, ``pays = price − subsidy``, a cancelled order's subsidy
lines are void, deliveries go only to diners who need delivery. Audited: the bulk creates
write the audit log (``AuditedQuerySet.bulk_create``). Idempotent: nothing is added once
天山河畔花园 has a dining point.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from areas.models import Area, AreaLevel
from demo.enrolment import at
from demo.volunteers import NINGJU, SONG, TIANSHAN
from meals import needs as meal_needs
from meals.models import (
    Diner,
    DiningPoint,
    Dish,
    MealKind,
    MealService,
    Menu,
    Mode,
    Order,
    OrderedVia,
    OrderStatus,
    OrderSubsidy,
    PaidHow,
    PointMeal,
    Route,
    RouteRun,
    RouteStop,
    SetMeal,
    StandingOrder,
    SubsidyRule,
)
from meals.pricing import ZERO, month_bounds, rule_applies
from registry import crypto
from registry.models import GroupLeader, LeaderPosition, Resident, ResidentTag
from spaces.models import Site
from volunteers.models import Shift, Volunteer, VolunteerKind

CANTEEN = "会所长者食堂"
CLUBHOUSE = "天山河畔花园会所"
PRICE_A, PRICE_B, PRICE_BREAKFAST = Decimal("20.00"), Decimal("18.00"), Decimal("5.00")
LUNCH_PLACES, BREAKFAST_PLACES = 300, 100
DAYS_BACK = 30  # a month of lunches
DELIVERED = 24  # the elderly the building leaders found
AGED, ALONE = "长宁区80岁以上老人助餐补贴", "独居老人午餐补贴"
AGED_FUNDER = "长宁区民政局"
ROUND = "为老送餐"  # 宁聚883's delivery shifts (``demo.service_days``)

S, LS, LG, H, V = "soft", "low_salt", "low_sugar", "halal", "vegetarian"
# name: (tags, allergens)
DISHES: dict[str, tuple[str, str]] = {
    "豆炒香肠": ("", "soy"),
    "番茄炒蛋": ("", "egg"),
    "炒青菜": (V, ""),
    "红烧大排": ("", "soy,wheat"),
    "葱油南瓜": (f"{S},{V}", ""),
    "炒空心菜": (V, ""),
    "清炒鱼片": (S, "fish"),
    "油焖茄子": (f"{S},{V}", "soy"),
    "炒茼蒿菜": (V, ""),
    "鲜茄牛肉滑蛋": ("", "egg"),
    "榨菜烧冬瓜": (f"{S},{V}", ""),
    "炒杭白菜": (V, ""),
    "青椒鸡丁炒香菇": ("", "soy"),
    "干煸长豇豆": (V, ""),
    "炒米苋": (V, ""),
    "糖醋小排": ("", "soy,wheat"),
    "麻婆豆腐": ("", "soy"),
    "炒卷心菜": (V, ""),
    "白切鸡": (LG, ""),
    "百叶结烧肉": ("", "soy"),
    "炒鸡毛菜": (V, ""),
    # The soft, low-salt set meal's dishes.
    "肉末蒸蛋": (f"{S},{LS},{LG}", "egg"),
    "清炒西葫芦": (f"{S},{LS},{LG},{V}", ""),
    "清蒸鲈鱼片": (f"{S},{LS},{LG}", "fish"),
    "蒜蓉冬瓜": (f"{S},{LS},{LG},{V}", ""),
    "虾仁豆腐羹": (f"{S},{LS}", "shellfish,soy"),
    # Breakfast.
    "白粥": (f"{S},{LS},{LG},{V}", ""),
    "菜包": (V, "wheat"),
    "豆浆": (f"{S},{V}", "soy"),
}
# Monday to Sunday: the 20-yuan set meal A (seed 002 gives Tuesday to Friday).
WEEK_A = [
    ["豆炒香肠", "番茄炒蛋", "炒青菜"],
    ["红烧大排", "葱油南瓜", "炒空心菜"],
    ["清炒鱼片", "油焖茄子", "炒茼蒿菜"],
    ["鲜茄牛肉滑蛋", "榨菜烧冬瓜", "炒杭白菜"],
    ["青椒鸡丁炒香菇", "干煸长豇豆", "炒米苋"],
    ["糖醋小排", "麻婆豆腐", "炒卷心菜"],
    ["白切鸡", "百叶结烧肉", "炒鸡毛菜"],
]
SOFT = [["肉末蒸蛋", "清炒西葫芦"], ["清蒸鲈鱼片", "蒜蓉冬瓜"], ["虾仁豆腐羹", "清炒西葫芦"]]
BREAKFAST = ["白粥", "菜包", "豆浆"]
# Health conditions behind the needs: (conditions, needs).
CONDITIONS = [
    ("糖尿病", "low_sugar"),
    ("高血压", "low_salt"),
    ("糖尿病、高血压", "low_sugar,low_salt"),
    ("装了假牙，咀嚼困难", "soft"),
    ("胃切除术后", "soft,low_salt"),
]
ALLERGIES = ["fish", "shellfish", "peanut", "egg"]
NOTES = [
    "耳朵不好，敲门请大声一点",
    "门口放小凳子，饭放凳子上再按门铃",
    "女儿白天上班，老人在家",
    "行动不便，请送到床边的桌上",
    "腿脚不好，开门慢，请多等一会儿",
    "",
]


@dataclass
class World:
    committee: Area
    street: Area
    district: Area
    song: User | None
    point: DiningPoint
    lunch: PointMeal
    today: date
    dishes: dict[str, Dish] = field(default_factory=dict)
    set_meals: dict[tuple[date, str], SetMeal] = field(default_factory=dict)  # (day, label), lunch
    dish_names: dict[int, list[str]] = field(default_factory=dict)  # id(set meal) → names


def _point(committee: Area, song: User | None, today: date) -> World:
    street = committee.parent
    assert street is not None and street.parent is not None
    district = street.parent
    opened = at(today - timedelta(days=120), 10)
    point = DiningPoint.objects.create(
        area=committee,
        site=Site.objects.filter(area=committee, name=CLUBHOUSE).first(),
        name=CANTEEN,
        address="水城路883号 天山河畔花园会所一楼“疯狂厨房”",
        phone="021-62590883",
        about=(
            "居委会、业委会和会所运营方三方牵线，会所餐厅“疯狂厨房”面向小区老人推出助老餐：每天一份20元的"
            "定食（三菜一汤一饭），另有软食低盐餐；可以堂食、打包，行动不便的老人由“宁聚883”的在职党员"
            "送餐上门。午餐当天9:30前订，早餐前一天17:00前订。"
        ),
        created_at=opened,
    )
    point.serves.set([committee])
    lunch = PointMeal.objects.create(
        point=point,
        meal=MealKind.LUNCH,
        places=LUNCH_PLACES,
        serves_from=time(11, 0),
        serves_until=time(12, 30),
        cutoff=time(9, 30),
    )
    PointMeal.objects.create(
        point=point,
        meal=MealKind.BREAKFAST,
        places=BREAKFAST_PLACES,
        serves_from=time(7, 0),
        serves_until=time(8, 30),
        cutoff=time(17, 0),
        cutoff_days_before=1,
        delivers=False,
    )
    return World(committee, street, district, song, point, lunch, today)


def _menus(world: World) -> None:
    """Dishes, and a published menu a week from a month ago to next week."""
    rows = [
        Dish(point=world.point, name=name, tags=tags, allergens=allergens)
        for name, (tags, allergens) in DISHES.items()
    ]
    Dish.objects.bulk_create(rows)
    world.dishes = {d.name: d for d in rows}
    first = world.today - timedelta(days=DAYS_BACK)
    monday = first - timedelta(days=first.weekday())
    last = world.today + timedelta(days=7 - world.today.weekday() + 6)  # next week's Sunday
    menus, set_meals, picks = [], [], []
    week = monday
    while week <= last:
        menu = Menu(
            point=world.point,
            week_start=week,
            note="每份含米饭和例汤；软食餐少盐少油，菜切小块炖烂。",
            published_at=at(week - timedelta(days=4), 16),
            published_by=world.song,
            created_at=at(week - timedelta(days=6), 10),
        )
        menus.append(menu)
        for offset in range(7):
            day = week + timedelta(days=offset)
            for label, meal, price, names in (
                ("A", MealKind.LUNCH, PRICE_A, WEEK_A[offset]),
                ("软食", MealKind.LUNCH, PRICE_B, SOFT[(day.toordinal()) % len(SOFT)]),
                ("早餐", MealKind.BREAKFAST, PRICE_BREAKFAST, BREAKFAST),
            ):
                set_meal = SetMeal(menu=menu, day=day, meal=meal, label=label, price=price)
                set_meals.append(set_meal)
                picks.append((set_meal, names))
                if meal == MealKind.LUNCH:
                    world.set_meals[(day, label)] = set_meal
                world.dish_names[id(set_meal)] = names
        week += timedelta(days=7)
    Menu.objects.bulk_create(menus)
    for set_meal in set_meals:
        set_meal.menu_id = set_meal.menu.pk
    SetMeal.objects.bulk_create(set_meals)
    through = SetMeal.dishes.through
    through.objects.bulk_create(
        [through(setmeal_id=s.pk, dish_id=world.dishes[n].pk) for s, names in picks for n in names]
    )


def _rules(world: World) -> list[SubsidyRule]:
    start = month_bounds(month_bounds(world.today)[0] - timedelta(days=1))[0]
    start = month_bounds(start - timedelta(days=1))[0]  # the start of the month before last
    made = at(start - timedelta(days=20), 10)
    rules = [
        SubsidyRule(
            area=world.district,
            name=AGED,
            funder=AGED_FUNDER,
            min_age=80,
            amount=Decimal("8.00"),
            monthly_cap=Decimal("200.00"),
            valid_from=start,
            created_at=made,
        ),
        SubsidyRule(
            area=world.street,
            name=ALONE,
            funder=f"{world.street.name}办事处",
            tags="living_alone",
            meals=MealKind.LUNCH,
            amount=Decimal("5.00"),
            valid_from=start,
            created_at=made,
        ),
    ]
    SubsidyRule.objects.bulk_create(rules)
    return rules


def _diners(world: World, rng: random.Random) -> tuple[list[Diner], dict[int, set[str]]]:
    """Every resident of 60 and over; the oldest the building leaders found are delivered."""
    born_by = world.today.replace(year=world.today.year - 60)
    people = list(
        Resident.objects.living()
        .filter(committee=world.committee, birth_date__lte=born_by)
        .select_related("household__building", "user")
        .order_by("pk")
    )
    tags: dict[int, set[str]] = defaultdict(set)
    for resident_id, tag in ResidentTag.objects.filter(resident__in=people).values_list("resident_id", "tag"):
        tags[resident_id].add(tag)
    frail = sorted(
        (p for p in people if (p.age(world.today) or 0) >= 75),
        key=lambda p: (
            "living_alone" not in tags[p.pk] and "disabled" not in tags[p.pk],
            -(p.age(world.today) or 0),
            p.pk,
        ),
    )
    delivered = {p.pk for p in frail[:DELIVERED]}
    diners = []
    for person in people:
        roll = rng.random()
        diner = Diner(
            resident=person,
            committee=world.committee,
            point=world.point,
            registered_by=world.song,
            registered_at=at(world.today - timedelta(days=rng.randint(40, 110)), 10),
        )
        if roll < 0.12:
            conditions, needs = CONDITIONS[rng.randrange(len(CONDITIONS))]
            diner.needs = needs
            diner.health_cipher = crypto.encrypt(conditions)
            diner.health_masked = conditions[0] + "*" * (len(conditions) - 1)
        elif roll < 0.22:
            diner.needs = rng.choice(["soft", "low_salt", "soft,low_salt"])
        if rng.random() < 0.06:
            diner.allergies = rng.choice(ALLERGIES)
        diner.usual_label = "软食" if "soft" in diner.needs or "low_salt" in diner.needs else "A"
        if person.pk in delivered:
            diner.delivery = True
            diner.usual_mode = Mode.DELIVERED
            diner.delivery_note = rng.choice(NOTES)
        elif rng.random() < 0.3:
            diner.usual_mode = Mode.TAKE_AWAY
        diners.append(diner)
    Diner.objects.bulk_create(diners)
    return diners, tags


def _routes(world: World, diners: list[Diner]) -> dict[int, Route]:
    """Three routes by building, from the clubhouse outwards; building → route."""
    buildings = list(
        Area.objects.filter(path__startswith=world.committee.path, level=AreaLevel.BUILDING).order_by(
            "sort_order", "code"
        )
    )
    carriers = list(
        Volunteer.objects.filter(
            memberships__team__area=world.committee,
            memberships__team__name=NINGJU,
            kind=VolunteerKind.PARTY_MEMBER,
            user__isnull=False,
        )
        .select_related("user")
        .order_by("pk")[:6]
    )
    thirds = [buildings[i::3] for i in range(3)] if len(buildings) >= 3 else [buildings]
    routes, stops, by_building = [], [], {}
    for position, chunk in enumerate(thirds, start=1):
        chunk = sorted(chunk, key=lambda b: (b.sort_order, b.code))
        if not chunk:
            continue
        route = Route(
            point=world.point,
            name=f"{chunk[0].name}–{chunk[-1].name}" if len(chunk) > 1 else chunk[0].name,
            deliverer=carriers[position - 1].user if len(carriers) >= position else None,
            notes="11:00在会所取餐，保温箱在前台；送完在群里说一声。",
            position=position,
        )
        routes.append(route)
        for order, building in enumerate(chunk, start=1):
            stops.append(RouteStop(route=route, point=world.point, building=building, position=order))
            by_building[building.pk] = route
    Route.objects.bulk_create(routes)
    for stop in stops:
        stop.route_id = stop.route.pk
    RouteStop.objects.bulk_create(stops)
    return by_building


@dataclass
class Book:
    """The orders and lines to write, with the caps spent so far (diner, rule, month)."""

    orders: list[Order] = field(default_factory=list)
    lines: list[tuple[Order, list[tuple[SubsidyRule, Decimal]]]] = field(default_factory=list)
    spent: dict[tuple[int, int, date], Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))


def _quote(
    book: Book, diner: Diner, tags: set[str], rules: list[SubsidyRule], set_meal: SetMeal
) -> list[tuple[SubsidyRule, Decimal]]:
    """``meals.pricing.quote`` worked out in memory: the same rules and caps, no queries."""
    day, resident = set_meal.day, diner.resident
    held = tags | {str(t) for t in resident.derived_tags(day)}
    best: dict[str, SubsidyRule] = {}
    for rule in rules:
        applies = rule_applies(rule, resident, set_meal.meal, day, held)
        if applies and (rule.funder not in best or rule.amount > best[rule.funder].amount):
            best[rule.funder] = rule
    left, lines = set_meal.price, []
    month = month_bounds(day)[0]
    for rule in sorted(best.values(), key=lambda r: (len(r.area.path), r.pk)):
        if left <= ZERO:
            break
        amount = min(rule.amount, left)
        if rule.monthly_cap is not None:
            amount = min(amount, max(rule.monthly_cap - book.spent[(diner.pk, rule.pk, month)], ZERO))
        if amount > ZERO:
            lines.append((rule, amount))
            left -= amount
    return lines


def _clash(world: World, diner: Diner, set_meal: SetMeal) -> str:
    if not diner.has_special_needs:
        return ""
    texts = [
        text
        for name in world.dish_names[id(set_meal)]
        if (text := meal_needs.dish_clash(diner.need_list, diner.allergy_list, world.dishes[name]))
    ]
    return " · ".join(texts)[:300]


def _leaders(world: World) -> dict[int, User]:
    """The second building leader (else the leader) with an account, by building group."""
    found: dict[int, User] = {}
    rows = (
        GroupLeader.objects.filter(group__path__startswith=world.committee.path, until__isnull=True)
        .select_related("resident__user")
        .order_by("position")
    )
    for row in rows:
        user = row.resident.user
        if user is not None and (row.group_id not in found or row.position == LeaderPosition.SECOND):
            found[row.group_id] = user
    return found


def load() -> int:
    """The canteen with a month of lunches; 0 once 天山河畔花园 has a dining point."""
    committee = Area.objects.filter(code=TIANSHAN).select_related("parent__parent").first()
    if committee is None or DiningPoint.objects.filter(area=committee).exists():
        return 0
    rng = random.Random(883)
    today = timezone.localdate()
    world = _point(committee, User.objects.filter(phone=SONG).first(), today)
    _menus(world)
    rules = _rules(world)
    diners, tags = _diners(world, rng)
    by_building = _routes(world, diners)
    leaders = _leaders(world)
    book = Book()

    first = today - timedelta(days=DAYS_BACK)
    days = [first + timedelta(days=n) for n in range(DAYS_BACK + 2)]  # to tomorrow
    services = {
        day: MealService(point=world.point, day=day, meal=MealKind.LUNCH, places=LUNCH_PLACES) for day in days
    }

    # Standing orders: the delivered every day, some regulars on weekdays.
    standing: dict[int, StandingOrder] = {}
    regulars = [d for d in diners if not d.delivery]
    for diner in [d for d in diners if d.delivery] + rng.sample(regulars, min(50, len(regulars))):
        standing[diner.pk] = StandingOrder(
            diner=diner,
            point=world.point,
            meal=MealKind.LUNCH,
            weekdays="1,2,3,4,5" if not diner.delivery and rng.random() < 0.5 else "1,2,3,4,5,6,7",
            label=diner.usual_label,
            mode=diner.usual_mode,
            starts_on=first - timedelta(days=rng.randint(5, 40)),
            created_by=world.song,
            created_at=at(first - timedelta(days=45), 10),
            placed_until=today + timedelta(days=1),
        )
    StandingOrder.objects.bulk_create(standing.values())

    appetite = {d.pk: 1.0 if d.delivery else rng.choice([0.99, 0.98, 0.96, 0.94, 0.9]) for d in diners}
    runs: list[RouteRun] = []
    shifts = {
        timezone.localtime(s.starts_at).date(): s
        for s in Shift.objects.filter(team__area=committee, team__name=NINGJU, title=ROUND).order_by("pk")
    }
    for day in days:
        service, past = services[day], day < today
        routes_today: dict[int, RouteRun] = {}
        eating = [d for d in diners if d.pk in standing and day.isoweekday() in standing[d.pk].weekday_list]
        eating += [d for d in diners if d.pk not in standing and rng.random() < appetite[d.pk]]
        if day > today:  # tomorrow: the standing orders and those who ordered already
            eating = [d for d in eating if d.pk in standing or rng.random() < 0.45]
        rng.shuffle(eating)
        for diner in eating:
            if service.taken >= service.places:
                break  # full: the counter refuses the rest
            label = diner.usual_label if rng.random() < 0.9 else rng.choice(["A", "软食"])
            set_meal = world.set_meals[(day, label)]
            lines = _quote(book, diner, tags[diner.resident_id], rules, set_meal)
            subsidy = sum((a for _r, a in lines), ZERO)
            so = standing.get(diner.pk)
            mode = so.mode if so else diner.usual_mode
            via, by = _who_ordered(world, diner, so, leaders, rng)
            before = timedelta(days=1 if rng.random() < 0.4 else 0)
            ordered = at(day - before, rng.randint(7, 9), rng.randint(0, 29))
            order = Order(
                service=service,
                point=world.point,
                day=day,
                meal=MealKind.LUNCH,
                diner=diner,
                set_meal=set_meal,
                mode=mode,
                price=set_meal.price,
                subsidy=subsidy,
                pays=set_meal.price - subsidy,
                clashes=_clash(world, diner, set_meal),
                ordered_via=via,
                ordered_by=by,
                ordered_at=min(ordered, at(day, 9, 29)),
                standing=so,
            )
            cancelled = rng.random() < 0.02 and day <= today
            if cancelled:
                order.status = OrderStatus.CANCELLED
                order.cancelled_at = at(day, 8, rng.randint(0, 59))
                order.cancelled_by = by
            else:
                service.taken += 1
                for rule, amount in lines:
                    book.spent[(diner.pk, rule.pk, month_bounds(day)[0])] += amount
                if past:
                    _outcome(world, order, diner, day, by_building, routes_today, runs, shifts, rng)
            book.orders.append(order)
            book.lines.append((order, lines))
    # Written once counted (an order takes its service's id from the saved service).
    MealService.objects.bulk_create(services.values())
    RouteRun.objects.bulk_create(runs)
    Order.objects.bulk_create(book.orders, batch_size=2000)
    OrderSubsidy.objects.bulk_create(
        [
            OrderSubsidy(
                order=order,
                rule=rule,
                funder=rule.funder,
                amount=amount,
                day=order.day,
                point=world.point,
                diner=order.diner,
                void=order.status == OrderStatus.CANCELLED,
            )
            for order, lines in book.lines
            for rule, amount in lines
        ],
        batch_size=2000,
    )
    _future_runs(by_building, days[-2:], shifts)
    return len(book.orders)


def _who_ordered(
    world: World, diner: Diner, so: StandingOrder | None, leaders: dict[int, User], rng: random.Random
) -> tuple[str, User | None]:
    if so is not None:
        return OrderedVia.STANDING, None
    user = diner.resident.user
    roll = rng.random()
    if user is not None and roll < 0.55:
        return OrderedVia.SELF, user
    if roll < 0.8:
        return OrderedVia.PHONE, world.song
    group_leader = leaders.get(diner.resident.household.building.parent_id or 0)
    if group_leader is not None:
        return OrderedVia.LEADER, group_leader
    return OrderedVia.STAFF, world.song


def _outcome(
    world: World,
    order: Order,
    diner: Diner,
    day: date,
    by_building: dict[int, Route],
    routes_today: dict[int, RouteRun],
    runs: list[RouteRun],
    shifts: dict[date, Shift],
    rng: random.Random,
) -> None:
    """A past order served, handed over, not at home or not collected; paid when eaten."""
    route = by_building.get(diner.resident.household.building_id)
    if order.mode == Mode.DELIVERED and route is not None:
        run = routes_today.get(route.pk)
        if run is None:
            shift = shifts.pop(day, None) if route.position == 1 else None
            run = RouteRun(
                route=route,
                day=day,
                meal=MealKind.LUNCH,
                deliverer=route.deliverer,
                shift=shift,
                started_at=at(day, 11, 5),
                finished_at=at(day, 11, 50),
            )
            routes_today[route.pk] = run
            runs.append(run)
        if rng.random() < 0.02:
            order.status = OrderStatus.NOT_HOME
            order.delivery_note = "敲门没人应，电话也没接；饭带回会所，已告诉楼组长"
            return
        order.status, order.handed_by = OrderStatus.DELIVERED, run.deliverer
        order.served_at = at(day, 11, rng.randint(10, 45))
    else:
        if order.mode == Mode.DELIVERED:
            order.mode = Mode.TAKE_AWAY  # no route reaches the building: collected instead
        if rng.random() < 0.01:
            order.status = OrderStatus.NOT_COLLECTED
            return
        order.status, order.handed_by = OrderStatus.SERVED, None
        order.served_at = at(day, 11, rng.randint(0, 59))
    order.paid_at = order.served_at
    order.paid_recorded_by = world.song
    if order.pays <= ZERO:
        order.paid_how = PaidHow.NOTHING_DUE
    else:
        order.paid_how = PaidHow.CARD if rng.random() < 0.45 else PaidHow.CASH


def _future_runs(by_building: dict[int, Route], days: list[date], shifts: dict[date, Shift]) -> None:
    """Today's and tomorrow's rounds, given to the usual deliverers, not set out yet."""
    routes = {route.pk: route for route in by_building.values()}
    runs = [
        RouteRun(
            route=route,
            day=day,
            meal=MealKind.LUNCH,
            deliverer=route.deliverer,
            shift=shifts.pop(day, None) if route.position == 1 else None,
        )
        for day in days
        for route in routes.values()
    ]
    RouteRun.objects.bulk_create(runs)
