"""Dishes and weekly menus: adding set meals, copying a week, publishing once to the residents
served, corrections after publishing, what ordering asks (``set_meal_for``, ``menu_problem``),
the staff pages, the residents' week and the A4 poster."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.roles import Role
from meals import menus
from meals.menus import DishDraft, SetMealDraft, monday_of
from meals.models import Dish, MealKind, Menu, SetMeal
from meals.poster import order_url, render_poster
from notifications.models import Notification
from tests.factories import UserFactory, grant, login, scope_of
from tests.meals.conftest import make_menu, make_point, place


@pytest.fixture
def worker(tree):
    user = UserFactory.create(name="社工甲", home_area=tree.committee)
    grant(user, Role.SOCIAL_WORKER, tree.committee)
    return user


@pytest.fixture
def week3(kitchen):
    """An empty week, the one after next."""
    return Menu.objects.create(
        point=kitchen.point, week_start=kitchen.menus[1].week_start + timedelta(days=7)
    )


def draft(week, kitchen, **changes) -> SetMealDraft:
    values = {
        "day": week.week_start,
        "meal": MealKind.LUNCH,
        "label": "A",
        "price": Decimal("20.00"),
        "dishes": [kitchen.pork, kitchen.greens],
    }
    return SetMealDraft(**(values | changes))


# --- Dishes ---------------------------------------------------------------------------------------


def test_a_dish_with_tags_and_allergens(kitchen, worker):
    made = menus.create_dish(
        kitchen.point,
        DishDraft("豆腐羹", tags=("vegetarian", "soft"), allergens=("soy",)),
        scope=scope_of(worker),
    )
    assert made.tags == "soft,vegetarian" and made.allergens == "soy"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"name": ""}, "name"), ({"tags": ("spicy",)}, "tags"), ({"allergens": ("gold",)}, "allergens")],
)
def test_bad_dishes_are_refused(kitchen, worker, changes, field):
    values = {"name": "豆腐羹"} | changes
    with pytest.raises(ValidationError) as refused:
        menus.create_dish(kitchen.point, DishDraft(**values), scope=scope_of(worker))
    assert field in refused.value.message_dict
    assert not Dish.objects.filter(name="豆腐羹").exists()


def test_a_dish_name_twice_is_refused(kitchen, worker):
    with pytest.raises(ValidationError) as refused:
        menus.create_dish(kitchen.point, DishDraft("红烧肉"), scope=scope_of(worker))
    assert "already has a dish named 红烧肉" in refused.value.message_dict["name"][0]


def test_an_archived_dish_may_be_named_again(kitchen, worker):
    menus.archive_dish(kitchen.pork, scope=scope_of(worker))
    assert menus.create_dish(kitchen.point, DishDraft("红烧肉"), scope=scope_of(worker)).pk != kitchen.pork.pk


# --- Weeks and set meals --------------------------------------------------------------------------


def test_a_week_starts_on_a_monday_and_not_twice(kitchen, worker):
    scope = scope_of(worker)
    with pytest.raises(ValidationError) as refused:
        menus.create_menu(kitchen.point, kitchen.menus[1].week_start + timedelta(days=8), scope=scope)
    assert "Monday" in refused.value.message_dict["week_start"][0]
    with pytest.raises(ValidationError) as refused:
        menus.create_menu(kitchen.point, kitchen.menus[1].week_start, scope=scope)
    assert "already has a menu" in refused.value.message_dict["week_start"][0]
    with pytest.raises(ValidationError):
        menus.create_menu(kitchen.point, kitchen.menus[0].week_start - timedelta(days=7), scope=scope)


def test_set_meals_are_added_to_a_week(kitchen, worker, week3):
    made = menus.add_set_meal(week3, draft(week3, kitchen), scope=scope_of(worker))
    assert made.price == Decimal("20.00") and set(made.dishes.all()) == {kitchen.pork, kitchen.greens}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"meal": MealKind.DINNER}, "meal"),
        ({"price": Decimal("1000")}, "price"),
        ({"price": Decimal("-1")}, "price"),
        ({"label": " "}, "label"),
        ({"dishes": []}, "dishes"),
    ],
)
def test_bad_set_meals_are_refused(kitchen, worker, week3, changes, field):
    with pytest.raises(ValidationError) as refused:
        menus.add_set_meal(week3, draft(week3, kitchen, **changes), scope=scope_of(worker))
    assert field in refused.value.message_dict
    assert not week3.set_meals.exists()


def test_a_meal_the_point_does_not_serve_is_named(kitchen, worker, week3):
    with pytest.raises(ValidationError) as refused:
        menus.add_set_meal(week3, draft(week3, kitchen, meal=MealKind.DINNER), scope=scope_of(worker))
    assert refused.value.message_dict["meal"] == ["延长新村长者食堂 does not serve Dinner."]


def test_a_day_outside_the_week_and_another_points_dish_are_refused(tree, kitchen, worker, week3):
    other = make_point(tree.committee, [tree.committee], name="别的食堂")
    theirs = Dish.objects.create(point=other, name="他们的菜")
    with pytest.raises(ValidationError) as refused:
        menus.add_set_meal(
            week3,
            draft(week3, kitchen, day=week3.week_start + timedelta(days=7), dishes=[theirs]),
            scope=scope_of(worker),
        )
    assert set(refused.value.message_dict) == {"day", "dishes"}


def test_the_same_label_twice_is_refused(kitchen, worker, week3):
    menus.add_set_meal(week3, draft(week3, kitchen), scope=scope_of(worker))
    with pytest.raises(ValidationError) as refused:
        menus.add_set_meal(week3, draft(week3, kitchen), scope=scope_of(worker))
    assert "already a set meal A" in refused.value.message_dict["label"][0]


def test_committee_staff_cannot_change_a_street_canteens_menu(tree, worker):
    canteen = make_point(tree.street, [tree.committee], name="街道食堂")
    with pytest.raises(PermissionDenied):
        menus.create_menu(
            canteen, monday_of(timezone.localdate()) + timedelta(days=7), scope=scope_of(worker)
        )


def test_copying_last_week_leaves_out_dishes_no_longer_cooked(kitchen, worker):
    scope = scope_of(worker)
    menus.archive_dish(kitchen.congee, scope=scope)
    source = kitchen.menus[1]
    copy = menus.copy_menu(source, source.week_start + timedelta(days=7), scope=scope)
    assert not copy.is_published
    # Breakfast had only congee: not copied; both lunches are, a week later.
    assert copy.set_meals.count() == 14
    first = copy.set_meals.get(day=copy.week_start, label="A")
    assert set(first.dishes.all()) == {kitchen.pork, kitchen.greens} and first.price == Decimal("20.00")


# --- Publishing ---------------------------------------------------------------------------------


def test_publishing_tells_the_residents_served_once(
    kitchen, worker, people, week3, django_capture_on_commit_callbacks
):
    scope = scope_of(worker)
    with pytest.raises(ValidationError) as refused:
        menus.publish(week3, scope=scope)
    assert "no set meals" in refused.value.messages[0]
    menus.add_set_meal(week3, draft(week3, kitchen), scope=scope)
    with django_capture_on_commit_callbacks(execute=True):
        published = menus.publish(week3, scope=scope, by=worker)
    assert published.is_published and published.published_by == worker
    told = set(Notification.objects.values_list("user__name", flat=True))
    assert told == {"王建国", "李秀英"}  # 钱先生 lives in another committee; 赵老伯 has no account
    with pytest.raises(ValidationError):
        menus.publish(week3, scope=scope)
    assert Notification.objects.count() == 2


def test_a_set_meal_with_orders_keeps_its_price_and_stays(kitchen, worker, diners):
    scope = scope_of(worker)
    tomorrow = timezone.localdate() + timedelta(days=1)
    ordered = kitchen.set_meal(tomorrow)
    place(diners["wang"], ordered)
    menu = ordered.menu
    with pytest.raises(ValidationError) as refused:
        menus.change_set_meal(ordered, draft(menu, kitchen, day=tomorrow, price=Decimal("25")), scope=scope)
    assert "the price stays 20.00" in refused.value.message_dict["price"][0]
    with pytest.raises(ValidationError):
        menus.remove_set_meal(ordered, scope=scope)
    # Dishes may still be corrected.
    menus.change_set_meal(ordered, draft(menu, kitchen, day=tomorrow, dishes=[kitchen.fish]), scope=scope)
    assert list(SetMeal.objects.get(pk=ordered.pk).dishes.all()) == [kitchen.fish]
    # One without orders goes.
    menus.remove_set_meal(kitchen.set_meal(tomorrow, "B"), scope=scope)
    assert not SetMeal.objects.filter(menu=menu, day=tomorrow, label="B").exists()


# --- What ordering asks ----------------------------------------------------------------------------


def test_set_meal_for_and_menu_problem(kitchen, worker, week3):
    today = timezone.localdate()
    assert menus.set_meal_for(kitchen.point, today, MealKind.LUNCH, "B") == kitchen.set_meal(today, "B")
    assert menus.set_meal_for(kitchen.point, today, MealKind.LUNCH) == kitchen.set_meal(today, "A")
    assert menus.menu_problem(kitchen.point, today, MealKind.LUNCH) is None
    assert (
        menus.menu_problem(kitchen.point, today, MealKind.DINNER) == "延长新村长者食堂 does not serve Dinner."
    )
    wednesday = week3.week_start + timedelta(days=2)
    assert menus.set_meal_for(kitchen.point, wednesday, MealKind.LUNCH) is None
    with translation.override("zh-hans"):
        problem = menus.menu_problem(kitchen.point, wednesday, MealKind.LUNCH)
    assert problem is not None and "星期三" in problem and "午餐" in problem
    menus.add_set_meal(week3, draft(week3, kitchen), scope=scope_of(worker))
    menus.publish(week3, scope=scope_of(worker))
    assert "no Lunch on" in (menus.menu_problem(kitchen.point, wednesday, MealKind.LUNCH) or "")


# --- Pages ---------------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_staff_add_a_set_meal_on_the_page_and_publish(client, kitchen, worker, week3):
    login(client, worker)
    url = reverse("meals:menu", args=[week3.pk])
    answer = client.post(
        url,
        {
            "day": week3.week_start.isoformat(),
            "meal": "lunch",
            "label": "A",
            "price": "20",
            "dishes": [kitchen.pork.pk],
        },
    )
    assert answer.status_code == 302
    answer = client.post(
        url,
        {
            "day": week3.week_start.isoformat(),
            "meal": "lunch",
            "label": "A",
            "price": "20",
            "dishes": [kitchen.pork.pk],
        },
    )
    assert "already a set meal A" in answer.content.decode()
    client.post(reverse("meals:menu_publish", args=[week3.pk]))
    week3.refresh_from_db()
    assert week3.is_published


def test_a_week_is_copied_on_the_page(client, kitchen, worker):
    login(client, worker)
    start = kitchen.menus[1].week_start + timedelta(days=7)
    answer = client.post(
        reverse("meals:menus", args=[kitchen.point.pk]),
        {"week_start": start.isoformat(), "copy_from": kitchen.menus[1].pk},
    )
    made = Menu.objects.get(week_start=start)
    assert answer.url == made.get_absolute_url() and made.set_meals.count() == 21


def test_the_menu_page_reads_a_fixed_number_of_queries(client, kitchen, worker, week3):
    login(client, worker)
    url = reverse("meals:menu", args=[week3.pk])
    menus.add_set_meal(week3, draft(week3, kitchen, label="B"), scope=scope_of(worker))
    before = _count(client, url)
    for offset in range(7):
        set_meal = SetMeal.objects.create(
            menu=week3, day=week3.week_start + timedelta(days=offset), meal="lunch", label="A", price=20
        )
        set_meal.dishes.set([kitchen.pork, kitchen.greens])
    assert _count(client, url) == before


def test_the_residents_week_shows_dishes_tags_and_prices(client, kitchen, people, english):
    login(client, people.wang_user)
    page = client.get(reverse("meals:week")).content.decode()
    assert "延长新村长者食堂" in page and "20.00 yuan" in page and "清蒸鱼" in page
    assert "Low sugar" in page and "contains Fish" in page
    # From the menu to ordering: the point chosen, as the poster's QR code does.
    assert f'href="{reverse("meals:mine")}?point={kitchen.point.pk}"' in page


def test_a_daughter_sees_her_fathers_menus_and_a_stranger_none(client, kitchen, people):
    login(client, people.daughter)
    assert "延长新村长者食堂" in client.get(reverse("meals:week")).content.decode()
    login(client, people.far_user)
    assert "延长新村长者食堂" not in client.get(reverse("meals:week")).content.decode()


def test_unpublished_menus_are_not_shown_to_residents(client, kitchen, people):
    Menu.objects.update(published_at=None)
    login(client, people.wang_user)
    assert "清蒸鱼" not in client.get(reverse("meals:week")).content.decode()


def test_the_week_reads_a_fixed_number_of_queries(client, tree, kitchen, people):
    login(client, people.wang_user)
    url = reverse("meals:week")
    before = _count(client, url)
    other = make_point(tree.committee, [tree.committee], name="第二食堂")
    make_menu(
        other,
        kitchen.menus[0].week_start,
        {"A": [kitchen.pork], "B": [kitchen.greens], "早": [kitchen.congee]},
    )
    assert _count(client, url) == before


def test_the_week_in_elderly_mode(client, kitchen, people):
    client.cookies["mulin_elderly"] = "1"
    login(client, people.wang_user)
    assert client.get(reverse("meals:week")).status_code == 200


# --- The poster ----------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_the_poster_is_a_pdf_with_the_week_in_chinese(client, kitchen, worker, settings):
    settings.MULIN_BASE_URL = "https://mulin.example.cn"
    login(client, worker)
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "zh-hans"
    answer = client.get(reverse("meals:poster", args=[kitchen.menus[0].pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer["Content-Type"] == "application/pdf" and answer.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in answer["Content-Disposition"]
    assert len(PdfReader(io.BytesIO(answer.content)).pages) == 1  # a week of three set meals a day
    text = _text(answer.content)
    for expected in ("延长新村长者食堂", "红烧肉", "清蒸鱼", "白粥", "20.00", "延长路149号", "021-56650000"):
        assert expected in text
    assert order_url(kitchen.menus[0]) == f"https://mulin.example.cn/meals/mine/?point={kitchen.point.pk}"


def test_the_poster_of_an_empty_week(kitchen, week3):
    week3 = menus.with_set_meals(Menu.objects.filter(pk=week3.pk)).get()
    with translation.override("zh-hans"):
        assert render_poster(week3).startswith(b"%PDF")
