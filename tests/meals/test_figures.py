"""Meals in figures (issue 20, item 9): per day and dining point, diners, deliveries, subsidy by
funder, a street rolling up its committees, in a fixed number of queries; the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meals import figures
from meals import statements as st
from meals.models import MealKind, Mode, Order, OrderStatus
from tests.api.conftest import api_client
from tests.factories import login
from tests.meals.conftest import monday, place
from tests.meals.test_statements import cancel

API = "/api/v1/meals"


@pytest.fixture
def month_meals(kitchen, diners, rules):
    """On this week's Monday: 王建国's lunch served, 李秀英's lunch still ordered, 赵老伯's
    lunch delivered and handed over, his breakfast not collected… and a cancelled one."""
    day = monday(timezone.localdate())
    served = place(diners["wang"], kitchen.set_meal(day, "A"))
    place(diners["li"], kitchen.set_meal(day, "B"))
    handed = place(diners["zhao"], kitchen.set_meal(day, "A"), mode=Mode.DELIVERED)
    away = place(diners["zhao"], kitchen.set_meal(day, "早", MealKind.BREAKFAST), mode=Mode.DELIVERED)
    cancel(place(diners["wang"], kitchen.set_meal(day, "早", MealKind.BREAKFAST)))
    Order.objects.filter(pk=served.pk).update(status=OrderStatus.SERVED, served_at=timezone.now())
    Order.objects.filter(pk=handed.pk).update(status=OrderStatus.DELIVERED, served_at=timezone.now())
    Order.objects.filter(pk=away.pk).update(status=OrderStatus.NOT_HOME)
    return day


def test_the_month_in_figures(tree, month_meals, kitchen):
    data = figures.month_figures(tree.committee, month_meals)
    assert data.total == figures.Meals(eaten=2, ordered=4, cancelled=1)
    assert data.by_day == [(month_meals, figures.Meals(2, 4, 1))]
    assert [(p.name, m) for p, m in data.by_point] == [("延长新村长者食堂", figures.Meals(2, 4, 1))]
    assert (data.registered, data.active) == (3, 3)
    assert data.deliveries == figures.Deliveries(ordered=2, handed_over=1, not_home=1)
    assert data.subsidy == [
        ("区民政局", [(month_meals.replace(day=1), Decimal("13.00"))]),
        ("街道", [(month_meals.replace(day=1), Decimal("5.00"))]),
    ]
    assert data.parts == []

    street = figures.month_figures(tree.street, month_meals)
    assert street.total == data.total
    assert [(p.name, m.eaten) for p, m in street.parts] == [("延长新村居委会", 2), ("慧芝湖花园居委会", 0)]
    assert figures.month_figures(tree.neighbour, month_meals).total == figures.Meals(0, 0, 0)


def test_meals_as_beneficiaries(tree, month_meals):
    from datetime import datetime, time, timedelta

    start = timezone.make_aware(datetime.combine(month_meals - timedelta(days=40), time.min))
    end = start + timedelta(days=80)
    assert figures.beneficiaries(tree.street, start, end) == figures.Beneficiaries(1, 2, 2)
    assert figures.beneficiaries_by_month(tree.street, start, end) == [
        (month_meals.replace(day=1), figures.Beneficiaries(1, 2, 2))
    ]
    assert [(a.name, b.person_times) for a, b in figures.beneficiaries_by_part(tree.street, start, end)] == [
        ("延长新村居委会", 2),
        ("慧芝湖花园居委会", 0),
    ]
    assert figures.beneficiaries_by_part(tree.committee, start, end) == []


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
    return len(queries)


def test_the_figures_page_costs_the_same_whatever_the_orders(
    client, street_admin, month_meals, kitchen, diners, english
):
    login(client, street_admin)
    url = reverse("meals:figures") + f"?month={st.month_text(month_meals)}"
    page = client.get(url).content.decode()
    assert "2 meals eaten of 4 ordered; 1 cancelled." in page
    assert "2 to deliver: 1 handed over, 1 not at home." in page and "延长新村居委会" in page
    before = _count(client, url)
    place(diners["li"], kitchen.set_meal(month_meals, "早", MealKind.BREAKFAST))
    assert _count(client, url) == before
    committee = client.get(url + f"&area={kitchen.point.area.code}")
    assert (
        committee.status_code == 200 and "3 registered, 3 ordered this month." in committee.content.decode()
    )
    assert client.get(url + "&area=310110").status_code == 404  # another district
    assert client.get(reverse("meals:figures") + "?month=13").status_code == 400


def test_the_api(owner, outsider, people, month_meals, diners, tree):
    month = st.month_text(month_meals)
    client = api_client(owner)
    got = client.get(f"{API}/figures?month={month}").json()
    assert got["total"] == {"eaten": 2, "ordered": 4, "cancelled": 1} and got["not_home"] == 1
    funder = client.get(f"{API}/statements/funder", {"funder": "区民政局", "month": month}).json()
    assert funder["total"] == {"meals": 2, "amount": "13.00"} and funder["void"] == 0
    assert funder["by_rule"][0]["name"] == "80岁以上助餐补贴"
    diner = client.get(f"{API}/statements/diners/{diners['zhao'].pk}?month={month}").json()
    assert (diner["meals"], diner["pays"], diner["unpaid"]) == (2, "12.00", "12.00")
    assert client.get(f"{API}/statements/diners/{diners['zhao'].pk}?month=2026-13").status_code == 422
    assert client.get(f"{API}/statements/funder?month={month}").status_code == 422  # no funder

    daughter = api_client(people.daughter)
    assert daughter.get(f"{API}/statements/diners/{diners['zhao'].pk}?month={month}").status_code == 200
    assert daughter.get(f"{API}/statements/diners/{diners['wang'].pk}?month={month}").status_code == 404
    assert daughter.get(f"{API}/figures").status_code == 403
    neighbour = api_client(outsider)
    assert neighbour.get(f"{API}/statements/diners/{diners['zhao'].pk}").status_code == 404
    assert neighbour.get(f"{API}/statements/funder", {"funder": "区民政局", "month": month}).json()[
        "total"
    ] == {
        "meals": 0,
        "amount": "0.00",
    }
