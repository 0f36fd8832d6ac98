"""Delivery: routes and stops (staff running the point), rounds, the hand-overs confirmed by
the round's deliverer (or its shift's volunteers, or staff), not at home raising a concern on
the elderly watch at once, and the deliverer's rounds today."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from eldercare.models import Alert, Check, Watch
from meals import delivery
from meals.models import Mode, OrderStatus, RouteRun
from notifications.models import Notification
from tests.factories import UserFactory, grant, household, login_verified, scope_of
from tests.factories import resident as make_resident
from tests.meals.conftest import place, register


@pytest.fixture
def deliverer(tree):
    from volunteers.models import Volunteer

    user = UserFactory.create(name="送餐员小陈", phone="13900002001", home_area=tree.committee)
    Volunteer.objects.create(committee=tree.committee, name="小陈", user=user, kind="resident")
    return user


@pytest.fixture
def round_(kitchen, diners, owner, tree, building2, deliverer):
    """东线: 64号楼 then 62号楼, today's lunch, 小陈 delivering to 赵老伯 and 王建国."""
    scope = scope_of(owner)
    route = delivery.create_route(kitchen.point, "东线", scope=scope, deliverer=deliverer)
    delivery.add_stop(route, building2, scope=scope)
    delivery.add_stop(route, tree.building, scope=scope)
    today = timezone.localdate()
    a = kitchen.set_meal(today)
    orders = {
        "zhao": place(diners["zhao"], a, mode=Mode.DELIVERED),
        "wang": place(diners["wang"], a, mode=Mode.DELIVERED),
        "li": place(diners["li"], a),  # eats in: not on the round
    }
    return delivery.run_for(route, today, "lunch"), orders


def test_routes_and_stops(kitchen, owner, tree, building2):
    scope = scope_of(owner)
    route = delivery.create_route(kitchen.point, "东线", scope=scope)
    with pytest.raises(ValidationError) as refused:
        delivery.create_route(kitchen.point, " 东线 ", scope=scope)
    assert "name" in refused.value.message_dict
    first = delivery.add_stop(route, tree.building, scope=scope)
    second = delivery.add_stop(route, building2, scope=scope)
    other = delivery.create_route(kitchen.point, "西线", scope=scope)
    with pytest.raises(ValidationError) as refused:
        delivery.add_stop(other, tree.building, scope=scope)
    assert "东线" in refused.value.message_dict["building"][0]
    far = tree.neighbour_group.children.first() or tree.neighbour_group
    with pytest.raises(ValidationError):
        delivery.add_stop(other, far, scope=scope)
    delivery.move_stop(second, up=True, scope=scope)
    assert list(route.stops.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    delivery.set_order(route, [first.pk, second.pk], scope=scope)
    assert list(route.stops.order_by("position").values_list("pk", flat=True)) == [first.pk, second.pk]
    with pytest.raises(ValidationError):
        delivery.set_order(route, [first.pk], scope=scope)
    delivery.change_route(route, scope=scope, name="东线（早）")
    route.refresh_from_db()
    assert route.name == "东线（早）"
    delivery.archive_route(route, scope=scope)
    assert route.archived_at is not None and not route.stops.exists()
    # The building is free again for another route.
    delivery.add_stop(other, tree.building, scope=scope)


def test_only_staff_change_routes(kitchen, leader, people, owner, deliverer):
    route = delivery.create_route(kitchen.point, "东线", scope=scope_of(owner))
    with pytest.raises(PermissionDenied):
        delivery.create_route(kitchen.point, "西线", scope=scope_of(leader))
    with pytest.raises(PermissionDenied):
        delivery.change_route(route, scope=scope_of(deliverer), name="x")
    with pytest.raises(ValidationError):
        delivery.change_route(route, scope=scope_of(owner), deliverer=people.far_user)


def test_the_round_sheet_in_route_order(round_):
    run, orders = round_
    stops = delivery.round_sheet(run)
    assert [s.building.name for s in stops] == ["64号楼", "62号楼"]
    assert [[o.pk for o in s.orders] for s in stops] == [[orders["zhao"].pk], [orders["wang"].pk]]


def test_hand_over_once(round_, deliverer, owner):
    run, orders = round_
    done = delivery.hand_over(deliverer, run, orders["zhao"].pk, scope=scope_of(deliverer))
    assert done.status == OrderStatus.DELIVERED and done.handed_by == deliverer and done.served_at
    with pytest.raises(ValidationError) as refused:
        delivery.hand_over(owner, run, orders["zhao"].pk, scope=scope_of(owner))
    assert "送餐员小陈" in refused.value.messages[0]
    # An order of another round, or eaten in, is not on this one.
    with pytest.raises(ValidationError):
        delivery.hand_over(deliverer, run, orders["li"].pk, scope=scope_of(deliverer))
    run.refresh_from_db()
    assert run.started_at is not None


def test_only_the_deliverer_volunteers_or_staff(round_, people, owner, tree):
    run, orders = round_
    with pytest.raises(PermissionDenied):
        delivery.hand_over(people.wang_user, run, orders["zhao"].pk, scope=scope_of(people.wang_user))
    stranger = UserFactory.create(name="邻居社工", home_area=tree.neighbour)
    grant(stranger, Role.SOCIAL_WORKER, tree.neighbour)
    with pytest.raises(PermissionDenied):
        delivery.hand_over(stranger, run, orders["zhao"].pk, scope=scope_of(stranger))
    delivery.hand_over(owner, run, orders["zhao"].pk, scope=scope_of(owner))


def test_a_shift_claimant_delivers(round_, owner, tree):
    from volunteers.models import ShiftClaim, Volunteer

    run, _orders = round_
    tomorrow_run = delivery.run_for(run.route, date.fromordinal(run.day.toordinal() + 1), "lunch")
    shift = delivery.post_round_shift(owner, tomorrow_run, scope=scope_of(owner))
    assert "东线" in shift.title
    helper = UserFactory.create(name="志愿者小林", home_area=tree.committee)
    volunteer = Volunteer.objects.create(committee=tree.committee, name="小林", user=helper, kind="resident")
    ShiftClaim.objects.create(shift=shift, volunteer=volunteer)
    tomorrow_run.refresh_from_db()
    assert delivery.may_deliver(helper, scope_of(helper), tomorrow_run)
    assert not delivery.may_deliver(helper, scope_of(helper), run)
    assert tomorrow_run in delivery.my_rounds(helper, tomorrow_run.day)


def test_not_at_home_on_the_watch_raises_a_concern_at_once(round_, deliverer, owner, tree, people):
    run, orders = round_
    watch = Watch.objects.create(resident=people.zhao, committee=tree.committee, checks_from=date(2026, 1, 1))
    done = delivery.not_at_home(
        deliverer, run, orders["zhao"].pk, scope=scope_of(deliverer), note="敲门无人应"
    )
    assert done.status == OrderStatus.NOT_HOME and done.delivery_note == "敲门无人应"
    alert = Alert.objects.get(watch=watch)
    assert alert.is_concern and alert.workers_told_at is not None
    check = Check.objects.get(watch=watch)
    assert check.by == deliverer and check.note.startswith("Meal delivery") and "敲门无人应" in check.note
    assert Notification.objects.filter(user=owner).exists()
    # Not at home twice is refused; handed over later (they came back) is not.
    with pytest.raises(ValidationError):
        delivery.not_at_home(deliverer, run, orders["zhao"].pk, scope=scope_of(deliverer))
    delivery.hand_over(deliverer, run, orders["zhao"].pk, scope=scope_of(deliverer))


def test_not_at_home_off_the_watch_raises_nothing(round_, deliverer):
    run, orders = round_
    delivery.not_at_home(deliverer, run, orders["wang"].pk, scope=scope_of(deliverer))
    assert not Alert.objects.exists()


def test_the_deliverer_confirms_on_the_page(client, round_, deliverer):
    run, orders = round_
    login_verified(client, deliverer)
    mine = client.get(reverse("meals:deliver"))
    assert reverse("meals:round", args=[run.pk]) in mine.content.decode()
    url = reverse("meals:round", args=[run.pk])
    page = client.get(url)
    assert "赵老伯" in page.content.decode() and "139****2001" not in page.content.decode()
    client.post(url, {"action": "handed", "order": orders["zhao"].pk})
    orders["zhao"].refresh_from_db()
    assert orders["zhao"].status == OrderStatus.DELIVERED
    # Not theirs to assign.
    assert client.post(url, {"action": "assign", "deliverer": ""}).status_code == 403


def test_a_stranger_does_not_see_the_round(client, round_, people):
    run, _orders = round_
    login_verified(client, people.wang_user)
    assert client.get(reverse("meals:round", args=[run.pk])).status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_read_a_fixed_number_of_queries(client, round_, owner, kitchen, tree):
    run, _orders = round_
    login_verified(client, owner)
    urls = [
        reverse("meals:round", args=[run.pk]),
        reverse("meals:routes", args=[kitchen.point.pk]),
        reverse("meals:route", args=[run.route.pk]),
    ]
    before = [_count(client, url) for url in urls]
    a = kitchen.set_meal(run.day)
    for i in range(3):
        person = make_resident(household(tree.building, f"40{i}"), f"新住户{i}")
        place(register(person, kitchen.point), a, mode=Mode.DELIVERED)
    delivery.create_route(kitchen.point, "西线", scope=scope_of(owner))
    delivery.ensure_runs(kitchen.point, run.day, "lunch")
    assert RouteRun.objects.count() == 2
    assert [_count(client, url) for url in urls] == before


def test_staff_pages(client, kitchen, owner, tree, building2):
    login_verified(client, owner)
    url = reverse("meals:routes", args=[kitchen.point.pk])
    response = client.post(url, {"name": "北线"})
    route = kitchen.point.routes.get()
    assert response.url == reverse("meals:route", args=[route.pk])
    route_url = reverse("meals:route", args=[route.pk])
    client.post(route_url, {"action": "add", "building": building2.pk})
    client.post(route_url, {"action": "add", "building": tree.building.pk})
    first = route.stops.get(building=building2)
    client.post(route_url, {"action": "down", "stop": first.pk})
    assert list(route.stops.order_by("position").values_list("building_id", flat=True)) == [
        tree.building.pk,
        building2.pk,
    ]
    client.post(url, {"action": "rounds", "meal": "lunch"})
    assert RouteRun.objects.filter(route=route, day=timezone.localdate()).exists()
    assert client.get(route_url).status_code == 200
