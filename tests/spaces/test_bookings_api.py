"""The API of bookings and places: the same services and refusals as the pages."""

from __future__ import annotations

import json

import pytest

from spaces.models import Booking, BookingStatus, OpeningHours, Space
from tests.factories import login
from tests.spaces.conftest import FIELD_RULE, at

pytestmark = pytest.mark.django_db
API = "/api/v1/spaces"


def post(client, url: str, body: dict, method: str = "post"):
    return getattr(client, method)(url, json.dumps(body, default=str), content_type="application/json")


def test_the_public_data_of_a_committee(client, world, people, tree):
    login(client, people.far_user)  # any login: the public page needs none
    response = client.get(f"{API}/public/{tree.committee.code}")
    assert response.status_code == 200
    sites = response.json()
    assert [s["site"]["name"] if s["site"] else None for s in sites] == ["党群服务站", None]
    outdoor, room = sites[0]["spaces"]
    assert outdoor["name"] == "乐动空间" and outdoor["bookable"] is False
    assert room["name"] == "乐活空间" and room["capacity"] == 20
    assert {"weekday": 0, "opens": "08:00", "closes": "11:30"} in room["hours"]
    assert len(room["days"]) == 7
    field = sites[1]["spaces"][0]
    assert field["audience_rules"][0]["note"] == FIELD_RULE
    assert field["priority_slots"][0]["team_name"] == "太极拳队"
    assert client.get(f"{API}/spaces/{world.room.pk}").json()["name"] == "乐活空间"


def test_book_and_a_clash_refused_naming_it(client, world, people):
    login(client, world.team_leader)
    made = post(
        client,
        f"{API}/bookings",
        {
            "space": world.room.pk,
            "starts_at": at(1, 9),
            "ends_at": at(1, 10),
            "purpose": "太极拳",
            "team": world.team.pk,
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["holder"] == "太极拳队"
    client.logout()
    login(client, people.wang_user)
    refused = post(
        client,
        f"{API}/bookings",
        {
            "space": world.room.pk,
            "starts_at": at(1, 9, 30),
            "ends_at": at(1, 10, 30),
            "purpose": "康复",
            "for_resident": people.wang.pk,
        },
    )
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["loc"] == ["body", "starts_at"]
    # The API answers in the user's language: Chinese first.
    assert error["msg"].startswith("与太极拳队的“太极拳”冲突，")
    mine = client.get(f"{API}/bookings/mine").json()
    assert mine["count"] == 0


def test_choices_mine_and_cancel(client, world, people):
    login(client, people.daughter)
    assert client.get(f"{API}/bookings/choices").json()["people"] == [
        {"id": people.zhao.pk, "name": "赵老伯"}
    ]
    made = post(
        client,
        f"{API}/bookings",
        {
            "space": world.room.pk,
            "starts_at": at(1, 9),
            "ends_at": at(1, 10),
            "purpose": "康复",
            "for_resident": people.zhao.pk,
        },
    ).json()
    assert client.get(f"{API}/bookings/mine").json()["items"][0]["id"] == made["id"]
    cancelled = post(client, f"{API}/bookings/{made['id']}/cancel", {})
    assert cancelled.json()["status"] == "cancelled"


def test_staff_list_pending_approve_and_decline(client, world, people, owner, outsider):
    world.room.needs_approval = True
    world.room.save()
    login(client, people.wang_user)
    first = post(
        client,
        f"{API}/bookings",
        {
            "space": world.room.pk,
            "starts_at": at(1, 9),
            "ends_at": at(1, 10),
            "purpose": "康复",
            "for_resident": people.wang.pk,
        },
    ).json()
    assert first["status"] == "pending"
    client.logout()
    login(client, outsider)
    assert client.post(f"{API}/bookings/{first['id']}/approve").status_code == 404
    client.logout()
    login(client, owner)
    assert [b["id"] for b in client.get(f"{API}/bookings/pending").json()] == [first["id"]]
    assert client.post(f"{API}/bookings/{first['id']}/approve").json()["status"] == "confirmed"
    listed = client.get(f"{API}/bookings", {"status": "confirmed"}).json()
    assert listed["items"][0]["holder"] == "王建国"
    no_reason = post(client, f"{API}/bookings/{first['id']}/decline", {"reason": "x"})
    assert no_reason.status_code == 422  # no longer pending
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def test_staff_keep_a_space_through_the_api(client, world, owner, tree):
    login(client, owner)
    made = post(
        client,
        f"{API}/spaces",
        {"name": "乐影空间", "kind": "outdoor", "capacity": 80, "site": world.site.pk, "map_x": 55.5},
    )
    assert made.status_code == 201, made.content
    space_id = made.json()["id"]
    hours = post(
        client,
        f"{API}/spaces/{space_id}/hours",
        {"hours": [{"weekday": 5, "opens": "18:00", "closes": "21:00"}]},
        method="put",
    )
    assert hours.json() == [{"weekday": 5, "opens": "18:00", "closes": "21:00"}]
    assert OpeningHours.objects.filter(space_id=space_id).count() == 1
    rule = post(
        client,
        f"{API}/spaces/{space_id}/audience-rules",
        {"weekdays": [5], "starts": "18:00", "ends": "19:00", "tags": ["no_such_tag"], "note": "x"},
    )
    assert rule.status_code == 422 and "Not a tag of the registry" in rule.json()["detail"]
    slot = post(
        client,
        f"{API}/spaces/{space_id}/priority-slots",
        {"weekdays": [5], "starts": "18:00", "ends": "19:00", "team": world.team.pk},
    )
    assert slot.status_code == 201
    assert client.delete(f"{API}/priority-slots/{slot.json()['id']}").status_code == 204
    archived = client.post(f"{API}/spaces/{space_id}/archive")
    assert archived.json()["archived"] is True
    assert Space.objects.get(pk=space_id).archived_at is not None
