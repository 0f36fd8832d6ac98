"""The shift API: the same services and rules as the pages, a shift the user may not see
answers 404, refusals come back as 422 with the message."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import api_client
from tests.volunteers import shift_fixtures
from tests.volunteers.shift_fixtures import backdate, claim_as, post, tomorrow_at
from volunteers.models import ClaimStatus, HoursEntry, Shift, ShiftClaim

english = shift_fixtures.english
immediate_tasks = shift_fixtures.immediate_tasks
world = shift_fixtures.world

BASE = "/api/v1/volunteers"


def payload(**extra):
    day = (timezone.localdate() + timedelta(days=8)).isoformat()
    body = {
        "title": "理发摊",
        "place": "小区广场",
        "starts_at": f"{day}T09:00+08:00",
        "ends_at": f"{day}T11:00+08:00",
        "places": 3,
    }
    body.update(extra)
    return body


def test_staff_post_change_and_cancel(world):
    api = api_client(world.owner)
    made = api.post(f"{BASE}/shifts", payload(team=world.team.pk), content_type="application/json")
    assert made.status_code == 201, made.json()
    shift = made.json()
    assert shift["team_name"] == "民心在线" and shift["places_left"] == 3
    changed = api.put(
        f"{BASE}/shifts/{shift['id']}", payload(places=5, team=world.team.pk), content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["places"] == 5
    listed = api.get(f"{BASE}/shifts/run").json()
    assert [s["id"] for s in listed["items"]] == [shift["id"]]
    refused = api.post(
        f"{BASE}/shifts/{shift['id']}/cancel", {"reason": " "}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Say why it is cancelled: the claimers are told."
    done = api.post(
        f"{BASE}/shifts/{shift['id']}/cancel", {"reason": "下雨"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["cancelled"] is True


def test_bad_input_is_refused_with_the_field(world):
    api = api_client(world.owner)
    ended = api.post(
        f"{BASE}/shifts",
        payload(starts_at="2020-01-01T09:00+08:00", ends_at="2020-01-01T11:00+08:00"),
        content_type="application/json",
    )
    assert ended.status_code == 422
    assert ended.json()["errors"][0]["loc"] == ["body", "ends_at"]
    assert "would already have ended" in ended.json()["detail"]
    unknown = api.post(f"{BASE}/shifts", payload(team=999999), content_type="application/json")
    assert unknown.status_code == 422
    assert not Shift.objects.exists()


def test_a_volunteer_claims_withdraws_and_lists(world):
    shift = post(world.owner, places=1, starts_at=tomorrow_at(9, days=3))
    api = api_client(world.ming.user)
    week = api.get(f"{BASE}/shifts?week={timezone.localtime(shift.starts_at).date()}").json()
    assert [(s["id"], s["my_claim"]) for s in week] == [(shift.pk, None)]
    claimed = api.post(f"{BASE}/shifts/{shift.pk}/claims", {}, content_type="application/json")
    assert claimed.status_code == 201 and claimed.json()["status"] == "claimed"
    full = api_client(world.hong.user).post(
        f"{BASE}/shifts/{shift.pk}/claims", {}, content_type="application/json"
    )
    assert full.status_code == 422 and full.json()["detail"] == "All 1 places of this shift are taken."
    mine = api.get(f"{BASE}/shifts/mine").json()
    assert [c["shift_detail"]["title"] for c in mine] == ["理发摊"]
    claim_id = claimed.json()["id"]
    withdrawn = api.post(f"{BASE}/shift-claims/{claim_id}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert Shift.objects.get(pk=shift.pk).taken == 0


def test_a_member_hands_over_by_the_api(world):
    shift = post(world.owner, team=world.team)
    claim = claim_as(world.ming, shift)
    api = api_client(world.ming.user)
    refused = api.post(
        f"{BASE}/shift-claims/{claim.pk}/swap", {"to": world.loner.pk}, content_type="application/json"
    )
    assert refused.status_code == 422 and refused.json()["detail"] == "This shift is for members of 民心在线."
    done = api.post(
        f"{BASE}/shift-claims/{claim.pk}/swap", {"to": world.hong.pk}, content_type="application/json"
    )
    assert done.status_code == 201 and done.json()["swapped_from"] == claim.pk
    assert ShiftClaim.objects.get(pk=claim.pk).status == ClaimStatus.SWAPPED


def test_the_roster_by_the_api(world):
    with shift_fixtures.in_the_daytime():
        shift = backdate(post(world.owner, team=world.team), starts=timedelta(minutes=-90), hours=3)
        ming, hong = claim_as(world.ming, shift), claim_as(world.hong, shift)
        api = api_client(world.leader.user)
        roster = api.get(f"{BASE}/shifts/{shift.pk}/claims").json()
        assert {c["volunteer_name"] for c in roster} == {"小明", "小红"}
        assert api.post(f"{BASE}/shift-claims/{ming.pk}/check-in").status_code == 200
        ShiftClaim.objects.filter(pk=ming.pk).update(checked_in_at=timezone.now() - timedelta(hours=1))
        out = api.post(f"{BASE}/shift-claims/{ming.pk}/check-out")
        assert out.status_code == 200 and out.json()["hours"] == "1.00"
        assert HoursEntry.objects.get().pk == out.json()["hours_entry"]
        gone = api.post(f"{BASE}/shift-claims/{hong.pk}/no-show")
        assert gone.status_code == 200 and gone.json()["status"] == "no_show"
        member = api_client(world.ming.user)
        assert member.get(f"{BASE}/shifts/{shift.pk}/claims").status_code == 404
        assert member.post(f"{BASE}/shift-claims/{hong.pk}/check-in").status_code == 404


def test_other_committees_and_strangers_get_404(world, outsider):
    shift = post(world.owner)
    api = api_client(outsider)
    assert api.get(f"{BASE}/shifts/{shift.pk}").status_code == 404
    assert (
        api.post(
            f"{BASE}/shifts/{shift.pk}/cancel", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    far = api_client(world.far.user)
    assert far.get(f"{BASE}/shifts/{shift.pk}").status_code == 404
    assert (
        far.post(f"{BASE}/shifts/{shift.pk}/claims", {}, content_type="application/json").status_code == 404
    )
    assert api_client().get(f"{BASE}/shifts").status_code == 401


def test_the_api_lists_read_a_fixed_number_of_queries(world, django_assert_num_queries):
    api = api_client(world.ming.user)
    week = f"{BASE}/shifts?week={(timezone.localdate() + timedelta(days=7)).isoformat()}"
    urls = [week, f"{BASE}/shifts/mine"]

    def add(days):
        for day in days:
            claim_as(world.ming, post(world.owner, starts_at=tomorrow_at(9, days=day)))

    add([7])
    for url in urls:
        api.get(url)  # the token's first use is stamped once
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url).status_code == 200
        counts.append(len(queries))
    add([8, 9, 10])
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            api.get(url)
