"""The API under /api/v1/meals/ for dining points, meals served, dishes, menus and the
residents' week: the same services and refusals as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.roles import Role
from meals.models import DiningPoint, Menu
from notifications.models import Notification
from tests.api.conftest import api_client
from tests.factories import UserFactory, grant
from tests.meals.conftest import make_point

API = "/api/v1/meals"
JSON = "application/json"


@pytest.fixture
def worker(tree):
    user = UserFactory.create(name="社工甲", home_area=tree.committee)
    grant(user, Role.SOCIAL_WORKER, tree.committee)
    return user


def test_staff_open_a_point_and_serve_lunch(tree, worker):
    client = api_client(worker)
    made = client.post(
        f"{API}/points",
        {"name": "新食堂", "address": "延长路1号", "serves": [tree.committee.code]},
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    point = made.json()
    assert point["serves"][0]["name"] == "延长新村居委会" and point["paused"] is False
    meal = {
        "meal": "lunch",
        "places": 120,
        "serves_from": "11:00",
        "serves_until": "12:30",
        "cutoff": "09:30",
    }
    served = client.post(f"{API}/points/{point['id']}/meals", meal, content_type=JSON)
    assert served.status_code == 200, served.content
    assert served.json()["cutoff"] == "09:30"
    overlap = client.post(
        f"{API}/points/{point['id']}/meals",
        meal | {"meal": "dinner", "serves_from": "12:00", "serves_until": "13:00"},
        content_type=JSON,
    )
    assert overlap.status_code == 422 and "Overlaps Lunch" in overlap.content.decode()
    too_many = client.post(f"{API}/points/{point['id']}/meals", meal | {"places": 5001}, content_type=JSON)
    assert too_many.status_code == 422
    assert [m["meal"] for m in client.get(f"{API}/points/{point['id']}/meals").json()] == ["lunch"]


def test_a_committee_outside_the_street_is_refused(tree, worker):
    answer = api_client(worker).post(
        f"{API}/points", {"name": "新食堂", "serves": [tree.far_committee.code]}, content_type=JSON
    )
    assert answer.status_code == 422 and not DiningPoint.objects.exists()


def test_pause_and_resume(kitchen, worker):
    client = api_client(worker)
    paused = client.post(f"{API}/points/{kitchen.point.pk}/pause", {"reason": "厨房检修"}, content_type=JSON)
    assert (
        paused.status_code == 200 and paused.json()["paused"] and paused.json()["pause_reason"] == "厨房检修"
    )
    again = client.post(f"{API}/points/{kitchen.point.pk}/pause", {"reason": "x"}, content_type=JSON)
    assert again.status_code == 422
    resumed = client.post(f"{API}/points/{kitchen.point.pk}/resume")
    assert resumed.status_code == 200 and not resumed.json()["paused"]


def test_committee_staff_see_the_street_canteen_but_do_not_change_it(tree, worker):
    canteen = make_point(tree.street, [tree.committee], name="街道食堂")
    client = api_client(worker)
    assert client.get(f"{API}/points/{canteen.pk}").status_code == 200
    changed = client.put(
        f"{API}/points/{canteen.pk}", {"name": "改名", "serves": [tree.committee.code]}, content_type=JSON
    )
    assert changed.status_code == 403
    assert (
        client.post(f"{API}/points/{canteen.pk}/pause", {"reason": "x"}, content_type=JSON).status_code == 403
    )


def test_another_committees_point_is_not_found(tree, kitchen):
    other = UserFactory.create(name="慧芝湖社工", home_area=tree.neighbour)
    grant(other, Role.SOCIAL_WORKER, tree.neighbour)
    client = api_client(other)
    assert client.get(f"{API}/points/{kitchen.point.pk}").status_code == 404
    assert client.get(f"{API}/menus/{kitchen.menus[0].pk}").status_code == 404
    assert client.get(f"{API}/points").json() == []


def test_residents_cannot_run_points(people, kitchen):
    assert api_client(people.wang_user).get(f"{API}/points").status_code == 403


def test_dishes_and_a_menu_published(kitchen, worker, people, django_capture_on_commit_callbacks):
    client = api_client(worker)
    dish = client.post(
        f"{API}/points/{kitchen.point.pk}/dishes",
        {"name": "豆腐羹", "tags": ["soft", "vegetarian"], "allergens": ["soy"]},
        content_type=JSON,
    )
    assert dish.status_code == 201 and dish.json()["tags"] == ["soft", "vegetarian"]
    bad_tag = client.post(
        f"{API}/points/{kitchen.point.pk}/dishes", {"name": "辣子鸡", "tags": ["spicy"]}, content_type=JSON
    )
    assert bad_tag.status_code == 422
    week = kitchen.menus[1].week_start + timedelta(days=7)
    menu = client.post(
        f"{API}/points/{kitchen.point.pk}/menus", {"week_start": week.isoformat()}, content_type=JSON
    )
    assert menu.status_code == 201, menu.content
    menu_id = menu.json()["id"]
    empty = client.post(f"{API}/menus/{menu_id}/publish")
    assert empty.status_code == 422 and "no set meals" in empty.content.decode()
    set_meal = {
        "day": week.isoformat(),
        "meal": "lunch",
        "label": "A",
        "price": "20.00",
        "dishes": [dish.json()["id"], kitchen.greens.pk],
    }
    added = client.post(f"{API}/menus/{menu_id}/set-meals", set_meal, content_type=JSON)
    assert added.status_code == 201, added.content
    assert added.json()["price"] == "20.00" and len(added.json()["dishes"]) == 2
    dinner = client.post(f"{API}/menus/{menu_id}/set-meals", set_meal | {"meal": "dinner"}, content_type=JSON)
    assert dinner.status_code == 422 and "does not serve Dinner" in dinner.content.decode()
    dear = client.post(f"{API}/menus/{menu_id}/set-meals", set_meal | {"price": "1000"}, content_type=JSON)
    assert dear.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(f"{API}/menus/{menu_id}/publish")
    assert published.status_code == 200 and published.json()["published"]
    assert Notification.objects.count() == 2
    listed = client.get(f"{API}/points/{kitchen.point.pk}/menus").json()
    assert listed[0]["week_start"] == week.isoformat()


def test_copy_a_week_and_change_remove_set_meals(kitchen, worker):
    client = api_client(worker)
    week = kitchen.menus[1].week_start + timedelta(days=7)
    copied = client.post(
        f"{API}/points/{kitchen.point.pk}/menus",
        {"week_start": week.isoformat(), "copy_from": kitchen.menus[1].pk},
        content_type=JSON,
    )
    assert copied.status_code == 201 and len(copied.json()["set_meals"]) == 21
    first = copied.json()["set_meals"][0]
    changed = client.put(
        f"{API}/set-meals/{first['id']}",
        {
            "day": first["day"],
            "meal": first["meal"],
            "label": first["label"],
            "price": "6.00",
            "dishes": [kitchen.congee.pk],
        },
        content_type=JSON,
    )
    assert changed.status_code == 200 and changed.json()["price"] == "6.00"
    assert client.delete(f"{API}/set-meals/{first['id']}").status_code == 204
    assert Menu.objects.get(pk=copied.json()["id"]).set_meals.count() == 20


def test_a_resident_reads_the_week(kitchen, people):
    answer = api_client(people.wang_user).get(f"{API}/week")
    assert answer.status_code == 200
    menus = answer.json()
    assert len(menus) == 2 and menus[0]["point_name"] == "延长新村长者食堂"
    assert {s["label"] for s in menus[0]["set_meals"]} == {"A", "B", "早"}
    assert api_client(people.far_user).get(f"{API}/week").json() == []
