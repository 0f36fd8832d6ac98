"""The kitchen's sheet: counts per set meal and dish, modes, special needs; a fixed number of
queries; only staff running the point open it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meals import kitchen as sheets
from meals.models import Mode
from tests.factories import login_verified
from tests.meals.conftest import place, register


@pytest.fixture
def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def test_counts_per_set_meal_and_dish_and_mode(kitchen, diners, tomorrow):
    a, b = kitchen.set_meal(tomorrow, "A"), kitchen.set_meal(tomorrow, "B")
    place(diners["wang"], a)
    place(diners["li"], b, mode=Mode.TAKE_AWAY)
    place(diners["zhao"], a, mode=Mode.DELIVERED)
    place(diners["wang"], kitchen.set_meal(tomorrow, "早", "breakfast"))
    meals = sheets.sheet(kitchen.point, tomorrow)
    assert [m.meal for m in meals] == ["breakfast", "lunch"]
    lunch = meals[1]
    assert lunch.total == 3
    assert lunch.set_meals == [("A", 2), ("B", 1)]
    # 清炒时蔬 is in both set meals: it counts for every order.
    assert dict(lunch.dishes) == {"清炒时蔬": 3, "红烧肉": 2, "清蒸鱼": 1}
    assert [(code, n) for code, _name, n in lunch.modes] == [
        ("eat_in", 1),
        ("take_away", 1),
        ("delivered", 1),
    ]
    # 李秀英's needs and allergy, and the clash recorded on her order (fish in B).
    [need] = lunch.needs
    assert need.name == "李秀英" and need.label == "B"
    assert need.needs == ["Soft", "Low sugar"] and need.allergies == ["Fish"]
    assert "清蒸鱼" in need.clashes


def test_cancelled_orders_are_not_cooked(kitchen, diners, tomorrow):
    order = place(diners["wang"], kitchen.set_meal(tomorrow))
    order.status = "cancelled"
    order.save()
    assert sheets.sheet(kitchen.point, tomorrow) == []


def test_health_conditions_never_shown(client, owner, kitchen, diners, tomorrow):
    diners["li"].health_masked = "糖*病"
    diners["li"].save()
    place(diners["li"], kitchen.set_meal(tomorrow, "B"))
    login_verified(client, owner)
    page = client.get(reverse("meals:kitchen", args=[kitchen.point.pk]) + f"?day={tomorrow:%Y-%m-%d}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "李秀英" in text and "Fish" in text and "糖*病" not in text


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_reads_a_fixed_number_of_queries(client, owner, kitchen, diners, people, tomorrow):
    login_verified(client, owner)
    url = reverse("meals:kitchen", args=[kitchen.point.pk]) + f"?day={tomorrow:%Y-%m-%d}"
    place(diners["wang"], kitchen.set_meal(tomorrow))
    few = _count(client, url)
    place(diners["li"], kitchen.set_meal(tomorrow, "B"))
    place(diners["zhao"], kitchen.set_meal(tomorrow), mode=Mode.DELIVERED)
    place(register(people.sun, kitchen.point, allergies="soy"), kitchen.set_meal(tomorrow, "早", "breakfast"))
    assert _count(client, url) == few


def test_only_staff_running_the_point(client, kitchen, people, leader, tree):
    from accounts.roles import Role
    from tests.factories import UserFactory, grant

    url = reverse("meals:kitchen", args=[kitchen.point.pk])
    login_verified(client, people.wang_user)
    assert client.get(url).status_code == 403
    login_verified(client, leader)
    assert client.get(url).status_code == 403
    other = UserFactory.create(name="邻居社工", home_area=tree.neighbour)
    grant(other, Role.SOCIAL_WORKER, tree.neighbour)
    login_verified(client, other)
    assert client.get(url).status_code == 404
