"""The API of repeating bookings, seasons, attendance, figures and calendars: the same rules
as the services, answered as JSON."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from notifications.models import Notification
from spaces.models import BookingSeries, BookingStatus
from tests.api.conftest import api_client
from tests.spaces.series_fixtures import *  # noqa: F403
from tests.spaces.series_fixtures import at, book

BASE = "/api/v1/spaces"


def series_payload(space, monday, **extra):
    return {
        "space": space.pk,
        "weekdays": [1, 3],
        "starts": "07:00",
        "ends": "09:00",
        "first_day": monday.isoformat(),
        "last_day": (monday + timedelta(days=27)).isoformat(),
        "purpose": "太极拳",
        "people": 12,
        **extra,
    }


def test_preview_then_create_skipping_the_clash_then_cancel(owner, space, taiji, taiji_leader, monday):
    api = api_client(owner)
    book(space, at(monday + timedelta(days=1), 8), purpose="书法班")
    body = series_payload(space, monday, team=taiji.pk)
    checks = api.post(f"{BASE}/series/preview", body, content_type="application/json").json()
    assert len(checks) == 8 and [c["ok"] for c in checks].count(False) == 1
    assert "书法班" in checks[0]["problem"] and checks[0]["clash"] is not None
    refused = api.post(f"{BASE}/series", body, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "skip_clashes"]
    made = api.post(f"{BASE}/series", {**body, "skip_clashes": True}, content_type="application/json")
    assert made.status_code == 201, made.json()
    made = made.json()
    assert len(made["dates"]) == 7 and made["skipped"] == [(monday + timedelta(days=1)).isoformat()]
    one = made["dates"][0]["id"]
    cancelled = api.post(
        f"{BASE}/series-dates/{one}/cancel", {"reason": "活动"}, content_type="application/json"
    )
    assert cancelled.status_code == 200
    rest = api.post(f"{BASE}/series/{made['id']}/cancel", {"reason": "暂停"}, content_type="application/json")
    assert rest.json() == {"dates": 6}
    assert Notification.objects.filter(user=taiji_leader).count() == 3


def test_a_leader_sees_only_their_series_and_cannot_approve(
    owner, outsider, space, taiji, taiji_leader, monday
):
    space.needs_approval = True
    space.save()
    leader_api = api_client(taiji_leader)
    made = leader_api.post(
        f"{BASE}/series", series_payload(space, monday, team=taiji.pk), content_type="application/json"
    ).json()
    assert {d["status"] for d in made["dates"]} == {BookingStatus.PENDING}
    assert [s["id"] for s in leader_api.get(f"{BASE}/series").json()] == [made["id"]]
    assert leader_api.post(f"{BASE}/series/{made['id']}/approve").status_code == 403
    assert api_client(outsider).get(f"{BASE}/series/{made['id']}").status_code == 404
    assert api_client(owner).post(f"{BASE}/series/{made['id']}/approve").json() == {"dates": 8}


def test_extend_by_the_api(owner, space, monday):
    api = api_client(owner)
    made = api.post(f"{BASE}/series", series_payload(space, monday), content_type="application/json").json()
    longer = api.post(
        f"{BASE}/series/{made['id']}/last-day",
        {"last_day": (monday + timedelta(days=34)).isoformat()},
        content_type="application/json",
    )
    assert longer.status_code == 200 and len(longer.json()["dates"]) == 10


def test_a_season_from_opening_to_allocation(tree, owner, space, taiji, taiji_leader):
    api = api_client(owner)
    today = timezone.localdate()
    season = api.post(
        f"{BASE}/seasons",
        {
            "name": "2027 春季",
            "applications_open": today.isoformat(),
            "applications_close": (today + timedelta(days=5)).isoformat(),
            "starts_on": (today + timedelta(days=10)).isoformat(),
            "ends_on": (today + timedelta(days=40)).isoformat(),
        },
        content_type="application/json",
    )
    assert season.status_code == 201, season.json()
    season_id = season.json()["id"]
    leader_api = api_client(taiji_leader)
    assert [s["id"] for s in leader_api.get(f"{BASE}/seasons").json()] == [season_id]
    applied = leader_api.post(
        f"{BASE}/seasons/{season_id}/applications",
        {
            "team": taiji.pk,
            "space": space.pk,
            "weekdays": [1],
            "starts": "07:00",
            "ends": "09:00",
            "purpose": "太极拳",
        },
        content_type="application/json",
    )
    assert applied.status_code == 201, applied.json()
    board = api.get(f"{BASE}/seasons/{season_id}/applications").json()
    assert board[0]["rivals"] == [] and board[0]["dates"] >= 4
    series = api.post(
        f"{BASE}/slot-applications/{applied.json()['id']}/allocate", {}, content_type="application/json"
    )
    assert series.status_code == 200, series.json()
    assert BookingSeries.objects.get().team == taiji
    assert api.post(f"{BASE}/seasons/{season_id}/finish").json() == {"messages": 1}


def test_attendance_figures_and_calendars(tree, owner, outsider, space, monday):
    api = api_client(owner)
    now = timezone.now()
    found = book(space, now - timedelta(minutes=10))
    came = api.post(f"{BASE}/bookings/{found.pk}/came")
    assert came.status_code == 200 and came.json()["checked_in_at"] is not None
    again = api.post(f"{BASE}/bookings/{found.pk}/no-show")
    assert again.status_code == 422 and "Already marked" in again.json()["detail"]
    assert api_client(outsider).post(f"{BASE}/bookings/{found.pk}/no-show").status_code == 404
    later = book(space, at(monday, 9))
    assert api.post(f"{BASE}/bookings/{later.pk}/came").status_code == 422
    week = api.get(f"{BASE}/{space.pk}/calendar", {"week": monday.isoformat()}).json()
    assert len(week) == 7 and week[0]["bookings"][0]["id"] == later.pk
    day = api.get(f"{BASE}/calendar", {"day": monday.isoformat()}).json()
    assert [b["id"] for b in day[0]["bookings"]] == [later.pk]
    figures = api.get(f"{BASE}/figures", {"month": monday.isoformat()}).json()
    assert figures["rows"][0]["space_name"] == "乐活空间"
    assert api.get(f"{BASE}/idle").json() == []
    assert api_client(outsider).get(f"{BASE}/{space.pk}/calendar").status_code == 404
