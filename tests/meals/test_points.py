"""Dining points: who runs and keeps them, opening and changing one, the meals it serves,
pausing, resuming, closing; the staff landing with today's and tomorrow's counts."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from meals import points
from meals.models import DiningPoint, MealKind, MealService, PointMeal
from meals.rules import keeps, points_for_resident, runs, seen_points, serves_resident
from spaces.models import Site, SiteKind
from tests.factories import UserFactory, grant, login, scope_of
from tests.meals.conftest import make_point, place


@pytest.fixture
def worker(tree):
    user = UserFactory.create(name="社工甲", home_area=tree.committee)
    grant(user, Role.SOCIAL_WORKER, tree.committee)
    return user


@pytest.fixture
def neighbour_worker(tree):
    user = UserFactory.create(name="慧芝湖社工", home_area=tree.neighbour)
    grant(user, Role.SOCIAL_WORKER, tree.neighbour)
    return user


@pytest.fixture
def street_canteen(tree):
    """The street's canteen, serving both committees."""
    return make_point(tree.street, [tree.committee, tree.neighbour], name="大宁街道长者食堂")


def draft(tree, **changes) -> points.PointDraft:
    values: dict[str, Any] = {
        "name": "新食堂",
        "address": "延长路1号",
        "phone": "021-1",
        "serves": [tree.committee],
    }
    return points.PointDraft(**(values | changes))


def lunch(**changes) -> points.MealDraft:
    values: dict[str, Any] = {
        "meal": MealKind.LUNCH,
        "places": 200,
        "serves_from": time(11, 0),
        "serves_until": time(12, 30),
        "cutoff": time(9, 30),
    }
    return points.MealDraft(**(values | changes))


# --- Rules ---------------------------------------------------------------------------------------


def test_committee_staff_run_a_street_canteen_serving_them_but_do_not_keep_it(
    tree, street_canteen, worker, street_admin, neighbour_worker, kitchen
):
    mine = scope_of(worker)
    assert runs(mine, street_canteen) and not keeps(mine, street_canteen)
    assert runs(mine, kitchen.point) and keeps(mine, kitchen.point)
    street = scope_of(street_admin)
    assert runs(street, street_canteen) and keeps(street, street_canteen)
    assert keeps(street, kitchen.point)
    other = scope_of(neighbour_worker)
    assert runs(other, street_canteen) and not runs(other, kitchen.point)
    assert set(seen_points(mine)) == {street_canteen, kitchen.point}
    assert set(seen_points(other)) == {street_canteen}


def test_residents_are_served_by_the_points_serving_their_committee(people, kitchen, street_canteen):
    assert serves_resident(kitchen.point, people.wang)
    assert not serves_resident(kitchen.point, people.far)
    assert list(points_for_resident(people.far)) == [street_canteen]
    assert set(points_for_resident(people.wang)) == {kitchen.point, street_canteen}


def test_a_leader_without_run_meals_runs_nothing(leader, kitchen):
    assert not runs(scope_of(leader), kitchen.point)
    assert not seen_points(scope_of(leader)).exists()


# --- Opening and changing a point -----------------------------------------------------------------


def test_a_social_worker_opens_a_point_for_their_committee(tree, worker):
    site = Site.objects.create(area=tree.committee, name="乐龄空间", kind=SiteKind.SERVICE_POINT)
    made = points.create_point(draft(tree, site=site), scope=scope_of(worker))
    assert made.area == tree.committee and list(made.serves.all()) == [tree.committee]
    assert made.site == site


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"kind": "restaurant"}, "kind"),
        ({"serves": []}, "serves"),
    ],
)
def test_bad_points_are_refused_by_field(tree, worker, changes, field):
    with pytest.raises(ValidationError) as refused:
        points.create_point(draft(tree, **changes), scope=scope_of(worker))
    assert field in refused.value.message_dict
    assert not DiningPoint.objects.exists()


def test_a_point_serves_only_committees_of_its_street(tree, worker):
    with pytest.raises(ValidationError) as refused:
        points.create_point(draft(tree, serves=[tree.far_committee]), scope=scope_of(worker))
    assert "公交新村居委会" in refused.value.message_dict["serves"][0]


def test_a_site_of_another_committee_is_refused(tree, worker):
    elsewhere = Site.objects.create(area=tree.neighbour, name="慧芝湖站", kind=SiteKind.SERVICE_POINT)
    with pytest.raises(ValidationError) as refused:
        points.create_point(draft(tree, site=elsewhere), scope=scope_of(worker))
    assert "site" in refused.value.message_dict


def test_the_same_name_twice_is_refused(tree, worker, kitchen):
    with pytest.raises(ValidationError) as refused:
        points.create_point(draft(tree, name=kitchen.point.name), scope=scope_of(worker))
    assert "already runs" in refused.value.message_dict["name"][0]


def test_committee_staff_cannot_change_the_street_canteen(tree, worker, street_canteen):
    with pytest.raises(PermissionDenied):
        points.change_point(street_canteen, draft(tree, serves=[tree.committee]), scope=scope_of(worker))
    with pytest.raises(PermissionDenied):
        points.pause(street_canteen, "检修", scope=scope_of(worker))


# --- Meals served ---------------------------------------------------------------------------------


def test_a_point_serves_lunch_and_changes_its_places(tree, worker):
    point = points.create_point(draft(tree), scope=scope_of(worker))
    points.set_meal_served(point, lunch(), scope=scope_of(worker))
    points.set_meal_served(point, lunch(places=250), scope=scope_of(worker))
    assert PointMeal.objects.get(point=point).places == 250


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"places": 0}, "places"),
        ({"places": 5001}, "places"),
        ({"cutoff_days_before": 8}, "cutoff_days_before"),
        ({"serves_until": time(17, 0)}, "serves_until"),
        ({"cutoff": time(17, 30)}, "cutoff"),
        ({"meal": "supper"}, "meal"),
    ],
)
def test_bad_meals_are_refused_by_field(kitchen, worker, changes, field):
    with pytest.raises(ValidationError) as refused:
        dinner = {
            "meal": MealKind.DINNER,
            "serves_from": time(17),
            "serves_until": time(18),
            "cutoff": time(15),
        }
        points.set_meal_served(kitchen.point, lunch(**(dinner | changes)), scope=scope_of(worker))
    assert field in refused.value.message_dict
    assert not PointMeal.objects.filter(meal=MealKind.DINNER).exists()


def test_overlapping_serve_times_are_refused(kitchen, worker):
    with pytest.raises(ValidationError) as refused:
        points.set_meal_served(
            kitchen.point,
            lunch(
                meal=MealKind.DINNER, serves_from=time(12, 0), serves_until=time(13, 0), cutoff=time(10, 0)
            ),
            scope=scope_of(worker),
        )
    assert "Overlaps Lunch, served 11:00–12:30." in refused.value.message_dict["serves_from"]


def test_places_cannot_go_below_what_is_taken(kitchen, worker, diners):
    tomorrow = timezone.localdate() + timedelta(days=1)
    place(diners["wang"], kitchen.set_meal(tomorrow))
    place(diners["li"], kitchen.set_meal(tomorrow))
    with pytest.raises(ValidationError) as refused:
        points.set_meal_served(kitchen.point, lunch(places=1), scope=scope_of(worker))
    assert "2 places are already taken" in refused.value.message_dict["places"][0]
    points.set_meal_served(kitchen.point, lunch(places=2), scope=scope_of(worker))
    assert MealService.objects.get(day=tomorrow).places == 2


def test_a_meal_with_orders_ahead_is_still_served(kitchen, worker, diners):
    place(diners["wang"], kitchen.set_meal(timezone.localdate() + timedelta(days=1)))
    with pytest.raises(ValidationError):
        points.stop_serving(kitchen.lunch, scope=scope_of(worker))
    points.stop_serving(kitchen.breakfast, scope=scope_of(worker))
    assert list(kitchen.point.meals.all()) == [kitchen.lunch]


# --- Pause, resume, close ------------------------------------------------------------------------


def test_pause_and_resume(kitchen, worker):
    with pytest.raises(ValidationError) as refused:
        points.pause(kitchen.point, "  ", scope=scope_of(worker))
    assert "reason" in refused.value.message_dict
    paused = points.pause(kitchen.point, "厨房检修", scope=scope_of(worker))
    assert paused.is_paused and paused.pause_reason == "厨房检修"
    with pytest.raises(ValidationError):
        points.pause(kitchen.point, "again", scope=scope_of(worker))
    resumed = points.resume(kitchen.point, scope=scope_of(worker))
    assert not resumed.is_paused and resumed.pause_reason == ""
    with pytest.raises(ValidationError):
        points.resume(kitchen.point, scope=scope_of(worker))


def test_closing_waits_for_the_orders_ahead(kitchen, worker, diners):
    order = place(diners["wang"], kitchen.set_meal(timezone.localdate() + timedelta(days=1)))
    with pytest.raises(ValidationError) as refused:
        points.close(kitchen.point, scope=scope_of(worker))
    assert "1 orders are still to be served" in refused.value.messages[0]
    order.status = "cancelled"
    order.save()
    assert points.close(kitchen.point, scope=scope_of(worker)).is_closed
    assert not seen_points(scope_of(worker)).exists()


# --- The landing ---------------------------------------------------------------------------------


def test_the_landing_counts_today_and_tomorrow(client, kitchen, worker, diners):
    tomorrow = timezone.localdate() + timedelta(days=1)
    place(diners["wang"], kitchen.set_meal(tomorrow))
    place(diners["li"], kitchen.set_meal(tomorrow, "B"))
    login(client, worker)
    page = client.get(reverse("meals:index")).content.decode()
    assert "延长新村长者食堂" in page
    assert "0 of 300 taken" in page and "2 of 300 taken" in page and "0 of 100 taken" in page


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_landing_reads_a_fixed_number_of_queries(client, tree, kitchen, worker, street_canteen):
    login(client, worker)
    url = reverse("meals:index")
    before = _count(client, url)
    for n in range(3):
        point = make_point(tree.committee, [tree.committee], name=f"助餐点{n}")
        PointMeal.objects.create(
            point=point, meal=MealKind.LUNCH, places=50, serves_from=time(11), serves_until=time(12)
        )
        MealService.objects.create(point=point, day=timezone.localdate(), meal=MealKind.LUNCH, places=50)
    assert _count(client, url) == before
