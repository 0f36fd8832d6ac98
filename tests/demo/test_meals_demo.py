"""The demo's meal assistance (issue 20): seed 002's clubhouse canteen and its figures, and
the invariants the services keep, for every row the demo wrote."""

from collections import defaultdict
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum
from django.utils import timezone

from areas.models import Area, AreaLevel
from demo import meals as demo_meals
from meals import pricing
from meals.models import (
    EATEN,
    LIVE_ORDERS,
    Diner,
    DiningPoint,
    MealKind,
    MealService,
    Menu,
    Mode,
    Order,
    OrderStatus,
    OrderSubsidy,
    PaidHow,
    RouteRun,
    RouteStop,
    SetMeal,
    StandingOrder,
    SubsidyRule,
)
from registry import crypto
from registry.models import ResidentTag

# Loaded once for the package, with the other demo tests, on the demo's xdist worker (conftest.py).
pytestmark = [pytest.mark.xdist_group("load_demo"), pytest.mark.django_db]

TIANSHAN = "310105005024"


@pytest.fixture(autouse=True)
def _demo(demo_output):
    """The demo loaded once for the package (tests/demo/conftest.py)."""


def _point() -> DiningPoint:
    return DiningPoint.objects.get(area__code=TIANSHAN, name=demo_meals.CANTEEN)


def test_the_summary_tells_of_the_canteen(demo_output):
    assert "meal orders" in demo_output or "份助餐订单" in demo_output


def test_the_clubhouse_canteen_serves_tianshan_with_300_lunch_places_by_half_past_nine():
    point = _point()
    assert [a.code for a in point.serves.all()] == [TIANSHAN]
    assert point.site is not None and point.site.name == demo_meals.CLUBHOUSE
    meals = {m.meal: m for m in point.meals.all()}
    lunch, breakfast = meals[MealKind.LUNCH], meals[MealKind.BREAKFAST]
    assert (lunch.places, lunch.cutoff, lunch.cutoff_days_before, lunch.delivers) == (
        300,
        time(9, 30),
        0,
        True,
    )
    assert (breakfast.cutoff_days_before, breakfast.delivers) == (1, False)
    assert not point.is_paused


def test_a_published_menu_every_week_from_a_month_ago_to_next_week_with_the_20_yuan_set_meal():
    point, today = _point(), timezone.localdate()
    menus = list(Menu.objects.filter(point=point).order_by("week_start"))
    assert all(m.is_published and m.week_start.weekday() == 0 for m in menus)
    assert menus[0].week_start <= today - timedelta(days=30)
    assert menus[-1].week_start == today - timedelta(days=today.weekday()) + timedelta(days=7)
    lunches = SetMeal.objects.filter(menu__point=point, meal=MealKind.LUNCH)
    assert set(lunches.filter(label="A").values_list("price", flat=True)) == {Decimal("20.00")}
    days = (menus[-1].week_start - menus[0].week_start).days + 7
    assert lunches.filter(label="A").count() == lunches.filter(label="软食").count() == days
    # Seed 002's Tuesday: 红烧大排, 葱油南瓜, 炒空心菜.
    tuesday = lunches.filter(label="A", day=menus[0].week_start + timedelta(days=1)).get()
    assert {d.name for d in tuesday.dishes.all()} == {"红烧大排", "葱油南瓜", "炒空心菜"}
    # The soft set meal is soft and low in salt, every dish of it.
    for set_meal in lunches.filter(label="软食").prefetch_related("dishes")[:14]:
        assert all({"soft", "low_salt"} <= set(d.tag_list) for d in set_meal.dishes.all())


def test_the_elderly_are_diners_some_with_needs_and_encrypted_health_conditions():
    point, today = _point(), timezone.localdate()
    diners = list(Diner.objects.filter(point=point).select_related("resident"))
    assert 300 <= len(diners) <= 400
    assert all((d.resident.age(today) or 0) >= 60 for d in diners)
    assert sum(d.has_special_needs for d in diners) >= 30
    health = [d for d in diners if d.health_cipher]
    assert len(health) >= 10
    for diner in health:
        conditions = crypto.decrypt(diner.health_cipher)
        assert conditions and diner.needs and diner.health_masked != conditions
        assert diner.health_masked[0] == conditions[0] and "*" in diner.health_masked


def test_a_month_of_about_300_lunches_a_day():
    point, today = _point(), timezone.localdate()
    past = Order.objects.filter(point=point, day__lt=today, day__gte=today - timedelta(days=30))
    days = past.values("day").annotate(n=Count("pk", filter=Q(status__in=LIVE_ORDERS)))
    per_day = [row["n"] for row in days]
    assert len(per_day) == 30
    assert 270 <= sum(per_day) / len(per_day) <= 300
    assert 8_000 <= past.count() <= 9_500
    # Most were eaten; a few cancelled before the cutoff, a few not at home.
    statuses = dict(past.values_list("status").annotate(n=Count("pk")))
    assert statuses[OrderStatus.SERVED] + statuses[OrderStatus.DELIVERED] > 0.95 * past.count()
    assert statuses[OrderStatus.CANCELLED] > 50 and statuses.get(OrderStatus.NOT_HOME, 0) >= 1
    assert not past.filter(status=OrderStatus.ORDERED).exists()


def test_todays_and_tomorrows_orders_are_open_for_the_kitchen():
    point, today = _point(), timezone.localdate()
    for day, at_least in ((today, 250), (today + timedelta(days=1), 80)):
        live = Order.objects.filter(point=point, day=day).exclude(status=OrderStatus.CANCELLED)
        assert live.count() >= at_least
        assert set(live.values_list("status", flat=True)) == {OrderStatus.ORDERED}
        assert live.filter(mode=Mode.DELIVERED).exists()
        assert RouteRun.objects.filter(route__point=point, day=day, finished_at__isnull=True).count() == 3


def test_taken_counts_the_live_orders_and_never_passes_the_places():
    services = MealService.objects.filter(point=_point()).annotate(
        live=Count("orders", filter=Q(orders__status__in=LIVE_ORDERS))
    )
    assert services.count() == 32
    for service in services:
        assert service.taken == service.live <= service.places


def test_every_order_pays_its_price_less_its_subsidy_which_its_lines_add_up_to():
    orders = Order.objects.filter(point=_point()).annotate(lines=Sum("subsidies__amount"))
    for price, subsidy, pays, lines in orders.values_list("price", "subsidy", "pays", "lines"):
        assert pays == price - subsidy
        assert (lines or Decimal(0)) == subsidy
    # A cancelled order's lines are void, and only theirs.
    lines = OrderSubsidy.objects.filter(point=_point())
    assert lines.filter(void=True).exclude(order__status=OrderStatus.CANCELLED).count() == 0
    assert lines.filter(void=False, order__status=OrderStatus.CANCELLED).count() == 0
    assert lines.filter(void=True).exists()


def test_subsidies_go_only_to_80_plus_and_living_alone_diners_within_the_caps():
    point = _point()
    aged = SubsidyRule.objects.get(name=demo_meals.AGED)
    alone = SubsidyRule.objects.get(name=demo_meals.ALONE)
    assert aged.area.level == AreaLevel.DISTRICT and alone.area.level == AreaLevel.STREET
    assert aged.valid_from < timezone.localdate() - timedelta(days=31)
    living_alone = set(ResidentTag.objects.filter(tag="living_alone").values_list("resident_id", flat=True))
    lines = OrderSubsidy.objects.filter(point=point).select_related("diner__resident")
    assert lines.count() > 1000
    for line in lines:
        assert line.funder == (aged.funder if line.rule_id == aged.pk else alone.funder)
        if line.rule_id == aged.pk:
            assert (line.diner.resident.age(line.day) or 0) >= 80 and line.amount <= aged.amount
        else:
            assert line.rule_id == alone.pk and line.diner.resident_id in living_alone
            assert line.amount == alone.amount
    spent: dict[tuple, Decimal] = defaultdict(Decimal)
    for line in lines.filter(void=False, rule=aged):
        spent[(line.diner_id, line.day.replace(day=1))] += line.amount
    assert aged.monthly_cap is not None and spent and max(spent.values()) <= aged.monthly_cap
    # Diners neither 80+ nor living alone have no subsidy at all.
    others = Order.objects.filter(point=point, subsidy__gt=0).exclude(diner__resident_id__in=living_alone)
    assert all((o.diner.resident.age(o.day) or 0) >= 80 for o in others.select_related("diner__resident"))


def test_subsidies_are_what_the_pricing_rules_give():
    """For a sample of diners, every order's lines are ``meals.pricing``'s: the rules that
    apply that day, each the rule's amount within the price and what is left of its cap."""
    point = _point()
    diners = Diner.objects.filter(point=point, orders__subsidy__gt=0).distinct().order_by("pk")[:25]
    for diner in diners.select_related("resident__household__building"):
        spent: dict = defaultdict(Decimal)
        orders = diner.orders.order_by("day").prefetch_related("subsidies__rule")
        for order in orders:
            rules = pricing.rules_for(diner.resident, order.meal, order.day)
            left, expected = order.price, []
            for rule in rules:
                key = (rule.pk, order.day.replace(day=1))
                amount = min(rule.amount, left)
                if rule.monthly_cap is not None:
                    amount = min(amount, max(rule.monthly_cap - spent[key], Decimal(0)))
                if amount > 0:
                    expected.append((rule.pk, amount))
                    left -= amount
            got = sorted((line.rule_id, line.amount) for line in order.subsidies.all())
            assert got == sorted(expected), order
            if not order.is_cancelled:
                for rule_id, amount in got:
                    spent[(rule_id, order.day.replace(day=1))] += amount


def test_deliveries_go_only_to_diners_who_need_delivery_on_their_buildings_route():
    point, today = _point(), timezone.localdate()
    delivered = Order.objects.filter(point=point, mode=Mode.DELIVERED)
    assert delivered.count() > 500
    assert not delivered.filter(diner__delivery=False).exists()
    found = Diner.objects.filter(point=point, delivery=True)
    assert 15 <= found.count() <= 40 and sum(bool(d.delivery_note) for d in found) >= 10
    buildings = set(
        Area.objects.filter(path__startswith=point.area.path, level=AreaLevel.BUILDING).values_list(
            "pk", flat=True
        )
    )
    stops = list(RouteStop.objects.filter(point=point).order_by("route", "position"))
    assert {s.building_id for s in stops} == buildings and len(stops) == len(buildings)
    for _route, positions in _grouped((s.route_id, s.position) for s in stops).items():
        assert positions == list(range(1, len(positions) + 1))
    runs = {(r.route_id, r.day): r for r in RouteRun.objects.filter(route__point=point)}
    route_of = {s.building_id: s.route_id for s in stops}
    handed = delivered.filter(status=OrderStatus.DELIVERED, day__lt=today).select_related(
        "diner__resident__household"
    )
    for order in handed:
        run = runs[(route_of[order.diner.resident.household.building_id], order.day)]
        assert run.is_finished and order.handed_by_id == run.deliverer_id is not None
    # 宁聚883's 为老送餐 shifts carry some of the rounds.
    assert RouteRun.objects.filter(route__point=point, shift__team__name="宁聚883").count() >= 20


def _grouped(pairs) -> dict:
    found: dict = defaultdict(list)
    for key, value in pairs:
        found[key].append(value)
    return found


def test_eaten_meals_are_paid_in_cash_or_by_card():
    point, today = _point(), timezone.localdate()
    eaten = Order.objects.filter(point=point, status__in=EATEN, day__lt=today)
    assert not eaten.filter(paid_at__isnull=True).exists()
    assert set(eaten.values_list("paid_how", flat=True)) <= {PaidHow.CASH, PaidHow.CARD, PaidHow.NOTHING_DUE}
    assert not eaten.filter(paid_how=PaidHow.NOTHING_DUE).exclude(pays=0).exists()
    assert not eaten.filter(pays=0).exclude(paid_how=PaidHow.NOTHING_DUE).exists()
    assert not Order.objects.filter(point=point, status=OrderStatus.CANCELLED, paid_at__isnull=False).exists()


def test_standing_orders_place_the_delivered_diners_every_day():
    point = _point()
    standing = StandingOrder.objects.filter(point=point).select_related("diner")
    assert standing.count() >= 60
    assert all(s.weekday_list == [1, 2, 3, 4, 5, 6, 7] for s in standing if s.diner.delivery)
    assert Order.objects.filter(point=point, standing__isnull=False).count() > 1000
