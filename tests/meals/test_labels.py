"""Bag labels: delivered and take-away orders, sorted by route, stop, room; no route last."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from meals import delivery, labels
from meals.models import Mode
from tests.factories import household, login_verified, scope_of
from tests.factories import resident as make_resident
from tests.meals.conftest import place, register


def test_labels_by_route_then_stop_then_room(kitchen, diners, people, owner, tree, building2):
    day = timezone.localdate() + timedelta(days=1)
    scope = scope_of(owner)
    route = delivery.create_route(kitchen.point, "东线", scope=scope)
    delivery.add_stop(route, building2, scope=scope)  # stop 1: 64号楼
    delivery.add_stop(route, tree.building, scope=scope)  # stop 2: 62号楼
    a = kitchen.set_meal(day)
    place(diners["wang"], a, mode=Mode.DELIVERED)  # 62号楼 301
    low = make_resident(household(tree.building, "101"), "周奶奶")
    place(register(low, kitchen.point), a, mode=Mode.TAKE_AWAY)  # 62号楼 101
    place(diners["zhao"], a, mode=Mode.DELIVERED)  # 64号楼 502
    place(diners["li"], a)  # eats in: no label
    found = labels.labels_for(kitchen.point, day, "lunch")
    assert [(lab.name, lab.stop) for lab in found] == [("赵老伯", 1), ("周奶奶", 2), ("王建国", 2)]
    # Off the route: last, under "no route".
    delivery.remove_stop(route.stops.get(building=building2), scope=scope)
    found = labels.labels_for(kitchen.point, day, "lunch")
    assert [lab.name for lab in found][-1] == "赵老伯"
    assert found[-1].route == "no route" and found[-1].stop is None


def test_needs_on_the_label_and_the_pdf(client, owner, kitchen, diners):
    day = timezone.localdate() + timedelta(days=1)
    place(diners["li"], kitchen.set_meal(day, "B"), mode=Mode.DELIVERED)
    [label] = labels.labels_for(kitchen.point, day, "lunch")
    assert label.needs == "Soft、Low sugar、no Fish"
    login_verified(client, owner)
    response = client.get(
        reverse("meals:labels", args=[kitchen.point.pk]) + f"?day={day:%Y-%m-%d}&meal=lunch"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
