"""Meal assistance's world: the residents of ``tests.fixtures.people`` (王建国 64 with an
account, 李秀英 living alone with an account, 赵老伯 86 without an account whose daughter
acts for him, 孙阿姨 76, 钱先生 of 慧芝湖 outside the committee), 延长新村's canteen serving
the committee with lunch (300 places, order by 9:30, delivered) and breakfast (100 places,
order by 17:00 the day before), its dishes, and a published menu for this week and next
with a 20-yuan set meal A and a soft set meal B for lunch every day.

Built on the models directly: each part's tests exercise its own services. ``place`` puts
an order in the way ``meals.ordering`` stores one (priced by ``meals.pricing.quote``) for
tests of the parts downstream of ordering (the kitchen, delivery, statements, figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from meals import needs, pricing
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
    OrderSubsidy,
    PointMeal,
    SetMeal,
    SubsidyRule,
)
from tests import fixtures

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
street_admin = fixtures.street_admin
leader = fixtures.leader


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Kitchen:
    point: DiningPoint
    lunch: PointMeal
    breakfast: PointMeal
    pork: Dish  # 红烧肉: contains soy
    greens: Dish  # 清炒时蔬: soft, low salt, low sugar, vegetarian
    fish: Dish  # 清蒸鱼: soft, low salt, low sugar; contains fish
    congee: Dish  # 白粥: soft, low salt, low sugar, vegetarian
    menus: list[Menu]

    def set_meal(self, day: date, label: str = "A", meal: str = MealKind.LUNCH) -> SetMeal:
        return SetMeal.objects.get(menu__point=self.point, day=day, meal=meal, label=label)


def make_point(area, serves, name="延长新村长者食堂", **extra) -> DiningPoint:
    point = DiningPoint.objects.create(
        area=area, name=name, address="延长路149号", phone="021-56650000", **extra
    )
    point.serves.set(serves)
    return point


def make_menu(point: DiningPoint, week_start: date, dishes: dict[str, list[Dish]], published=True) -> Menu:
    menu = Menu.objects.create(
        point=point, week_start=week_start, published_at=timezone.now() if published else None
    )
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        for label, (meal, price, picked) in {
            "A": (MealKind.LUNCH, Decimal("20.00"), dishes["A"]),
            "B": (MealKind.LUNCH, Decimal("18.00"), dishes["B"]),
            "早": (MealKind.BREAKFAST, Decimal("5.00"), dishes["早"]),
        }.items():
            set_meal = SetMeal.objects.create(menu=menu, day=day, meal=meal, label=label, price=price)
            set_meal.dishes.set(picked)
    return menu


@pytest.fixture
def kitchen(tree) -> Kitchen:
    point = make_point(tree.committee, [tree.committee])
    lunch = PointMeal.objects.create(
        point=point,
        meal=MealKind.LUNCH,
        places=300,
        serves_from=time(11, 0),
        serves_until=time(12, 30),
        cutoff=time(9, 30),
    )
    breakfast = PointMeal.objects.create(
        point=point,
        meal=MealKind.BREAKFAST,
        places=100,
        serves_from=time(7, 0),
        serves_until=time(8, 30),
        cutoff=time(17, 0),
        cutoff_days_before=1,
        delivers=False,
    )
    pork = Dish.objects.create(point=point, name="红烧肉", allergens="soy")
    greens = Dish.objects.create(point=point, name="清炒时蔬", tags="soft,low_salt,low_sugar,vegetarian")
    fish = Dish.objects.create(point=point, name="清蒸鱼", tags="soft,low_salt,low_sugar", allergens="fish")
    congee = Dish.objects.create(point=point, name="白粥", tags="soft,low_salt,low_sugar,vegetarian")
    dishes = {"A": [pork, greens], "B": [fish, greens], "早": [congee]}
    this_week = monday(timezone.localdate())
    menus = [make_menu(point, this_week, dishes), make_menu(point, this_week + timedelta(days=7), dishes)]
    return Kitchen(point, lunch, breakfast, pork, greens, fish, congee, menus)


def register(resident, point: DiningPoint, **extra) -> Diner:
    return Diner.objects.create(
        resident=resident, committee=resident.household.committee, point=point, **extra
    )


@pytest.fixture
def diners(people, kitchen):
    """王建国 (no needs), 李秀英 (soft, low sugar; allergic to fish), 赵老伯 (delivered)."""
    return {
        "wang": register(people.wang, kitchen.point),
        "li": register(people.li, kitchen.point, needs="soft,low_sugar", allergies="fish"),
        "zhao": register(people.zhao, kitchen.point, delivery=True, usual_mode=Mode.DELIVERED),
    }


@pytest.fixture
def rules(tree):
    """The district's 80+ subsidy (8 yuan a meal, 160 a month) and the street's living-alone
    top-up (5 yuan a lunch), both from the start of last month."""
    start = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    return {
        "aged": SubsidyRule.objects.create(
            area=tree.district,
            name="80岁以上助餐补贴",
            funder="区民政局",
            min_age=80,
            amount=Decimal("8.00"),
            monthly_cap=Decimal("160.00"),
            valid_from=start,
        ),
        "alone": SubsidyRule.objects.create(
            area=tree.street,
            name="独居老人午餐补贴",
            funder="街道",
            tags="living_alone",
            meals="lunch",
            amount=Decimal("5.00"),
            valid_from=start,
        ),
    }


def place(
    diner: Diner, set_meal: SetMeal, *, mode: str = Mode.EAT_IN, by=None, via=OrderedVia.STAFF
) -> Order:
    """An order stored as ``meals.ordering`` stores one, for the parts downstream of ordering."""
    point_meal = PointMeal.objects.get(point=set_meal.menu.point, meal=set_meal.meal)
    service, _ = MealService.objects.get_or_create(
        point=set_meal.menu.point,
        day=set_meal.day,
        meal=set_meal.meal,
        defaults={"places": point_meal.places},
    )
    MealService.objects.filter(pk=service.pk).update(taken=F("taken") + 1)
    quote = pricing.quote(diner, set_meal)
    order = Order.objects.create(
        service=service,
        point=service.point,
        day=service.day,
        meal=service.meal,
        diner=diner,
        set_meal=set_meal,
        mode=mode,
        price=quote.price,
        subsidy=quote.subsidy,
        pays=quote.pays,
        clashes=needs.clash_text(diner, set_meal),
        ordered_via=via,
        ordered_by=by,
    )
    for line in quote.lines:
        OrderSubsidy.objects.create(
            order=order,
            rule=line.rule,
            funder=line.funder,
            amount=line.amount,
            day=order.day,
            point=order.point,
            diner=diner,
        )
    return order
