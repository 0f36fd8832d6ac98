"""The kitchen and delivery under /api/v1/meals/: the same services and refusals as the pages."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meals.models import Mode, OrderStatus
from tests.api.conftest import api_client
from tests.meals.conftest import place
from tests.meals.test_delivery import deliverer, round_  # noqa: F401 - fixtures

API = "/api/v1/meals"


def test_kitchen_counts(owner, kitchen, diners, people):
    day = timezone.localdate() + timedelta(days=1)
    place(diners["li"], kitchen.set_meal(day, "B"), mode=Mode.DELIVERED)
    client = api_client(owner)
    found = client.get(f"{API}/points/{kitchen.point.pk}/kitchen?day={day:%Y-%m-%d}").json()
    [lunch] = found["meals"]
    assert lunch["total"] == 1 and lunch["needs"][0]["allergies"] == ["Fish"]
    assert api_client(people.wang_user).get(f"{API}/points/{kitchen.point.pk}/kitchen").status_code == 403


def test_routes_crud_and_reorder(owner, kitchen, tree, building2, people):
    client = api_client(owner)
    made = client.post(
        f"{API}/points/{kitchen.point.pk}/routes", {"name": "东线"}, content_type="application/json"
    )
    assert made.status_code == 201
    route = made.json()["id"]
    twice = client.post(
        f"{API}/points/{kitchen.point.pk}/routes", {"name": "东线"}, content_type="application/json"
    )
    assert twice.status_code == 422 or twice.status_code == 400
    for building in (tree.building, building2):
        assert (
            client.post(
                f"{API}/routes/{route}/stops", {"building": building.pk}, content_type="application/json"
            ).status_code
            == 201
        )
    stops = [s["id"] for s in client.get(f"{API}/routes/{route}").json()["stops"]]
    moved = client.put(f"{API}/routes/{route}/stops", {"stops": stops[::-1]}, content_type="application/json")
    assert [s["id"] for s in moved.json()["stops"]] == stops[::-1]
    renamed = client.patch(f"{API}/routes/{route}", {"name": "东线二"}, content_type="application/json")
    assert renamed.json()["name"] == "东线二"
    assert client.delete(f"{API}/routes/{route}/stops/{stops[0]}").status_code == 200
    assert client.delete(f"{API}/routes/{route}").json()["archived"] is True
    assert api_client(people.wang_user).get(f"{API}/routes/{route}").status_code == 403


def test_rounds_and_hand_overs(round_, deliverer, people):  # noqa: F811
    run, orders = round_
    client = api_client(deliverer)
    assert [r["id"] for r in client.get(f"{API}/rounds").json()] == [run.pk]
    detail = client.get(f"{API}/rounds/{run.pk}").json()
    assert [s["building"] for s in detail["stops"]] == ["64号楼", "62号楼"]
    done = client.post(f"{API}/rounds/{run.pk}/orders/{orders['zhao'].pk}/handed")
    assert done.json()["status"] == OrderStatus.DELIVERED
    again = client.post(f"{API}/rounds/{run.pk}/orders/{orders['zhao'].pk}/handed")
    assert again.status_code in (400, 422), again.content
    assert "送餐员小陈" in str(again.json())
    away = client.post(
        f"{API}/rounds/{run.pk}/orders/{orders['wang'].pk}/not-home",
        {"note": "无人"},
        content_type="application/json",
    )
    assert away.json()["status"] == OrderStatus.NOT_HOME
    assert api_client(people.wang_user).get(f"{API}/rounds/{run.pk}").status_code == 404
