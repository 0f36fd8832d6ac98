"""The orders' API under /api/v1/meals/: the same services and refusals as the pages."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meals.models import MealService, Order
from tests.api.conftest import api_client

API = "/api/v1/meals"
JSON = "application/json"


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def test_order_cancel_and_mine(people, kitchen, diners, rules):
    client = api_client(people.daughter)
    body = {"diner": diners["zhao"].pk, "set_meal": kitchen.set_meal(tomorrow()).pk, "mode": "delivered"}
    made = client.post(f"{API}/orders", body, content_type=JSON)
    assert made.status_code == 201, made.content
    data = made.json()
    assert (data["price"], data["subsidy"], data["pays"], data["ordered_via"]) == (
        "20.00",
        "8.00",
        "12.00",
        "family",
    )
    twice = client.post(f"{API}/orders", body, content_type=JSON)
    assert twice.status_code == 422 and "already has" in twice.content.decode()
    assert [o["id"] for o in client.get(f"{API}/orders/mine").json()] == [data["id"]]
    cancelled = client.post(f"{API}/orders/{data['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert MealService.objects.get().taken == 0


def test_strangers_are_refused(people, kitchen, diners):
    client = api_client(people.far_user)
    body = {"diner": diners["zhao"].pk, "set_meal": kitchen.set_meal(tomorrow()).pk, "mode": "eat_in"}
    assert client.post(f"{API}/orders", body, content_type=JSON).status_code == 403
    assert not Order.objects.exists()


def test_staff_list_pay_and_serve(owner, kitchen, diners):
    client = api_client(owner)
    today = timezone.localdate()
    made = client.post(
        f"{API}/orders",
        {
            "diner": diners["wang"].pk,
            "set_meal": kitchen.set_meal(tomorrow()).pk,
            "mode": "eat_in",
            "via": "phone",
        },
        content_type=JSON,
    ).json()
    assert made["ordered_via"] == "phone"
    listed = client.get(
        f"{API}/points/{kitchen.point.pk}/orders?day={tomorrow().isoformat()}&meal=lunch"
    ).json()
    assert [o["id"] for o in listed] == [made["id"]]
    bad = client.post(f"{API}/orders/{made['id']}/payment", {"how": "transfer"}, content_type=JSON)
    assert bad.status_code == 422
    paid = client.post(
        f"{API}/orders/{made['id']}/payment", {"how": "transfer", "reference": "WX1"}, content_type=JSON
    )
    assert paid.status_code == 200 and paid.json()["payment_ref"] == "WX1"
    early = client.post(f"{API}/orders/{made['id']}/served", {"outcome": "served"}, content_type=JSON)
    assert early.status_code == 422 and today < tomorrow()


def test_standing_orders_crud(people, kitchen, diners):
    client = api_client(people.wang_user)
    made = client.post(f"{API}/standing", {"diner": diners["wang"].pk, "weekdays": [1, 2]}, content_type=JSON)
    assert made.status_code == 201, made.content
    sid = made.json()["id"]
    assert [s["id"] for s in client.get(f"{API}/standing").json()] == [sid]
    assert client.get(f"{API}/standing/{sid}").json()["weekdays"] == [1, 2]
    bad = client.post(f"{API}/standing", {"diner": diners["wang"].pk, "weekdays": [9]}, content_type=JSON)
    assert bad.status_code == 422
    assert client.post(f"{API}/standing/{sid}/stop").json()["stopped_at"]
