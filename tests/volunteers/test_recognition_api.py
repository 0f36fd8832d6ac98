"""The recognition API: figures by month and level, the recognition list, my stars, issuing,
the PDF, revoking, and the public check (no login, forged → 404)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.conftest import api_client
from tests.factories import scope_of
from tests.volunteers.recognition_world import World, entry, street_admin, world
from volunteers import certificates
from volunteers.models import Certificate

__all__ = ["street_admin", "world"]

BASE = "/api/v1/volunteers"


@pytest.fixture
def served(world: World):
    entry(world.zhang, date(2026, 3, 5), "20", team=world.team)
    entry(world.zhang, date(2026, 4, 5), "2.5")
    wrong = entry(world.li, date(2026, 4, 6), "3", team=world.team)
    entry(world.li, date(2026, 5, 1), "-3", reverses=wrong)
    entry(world.li, date(2026, 4, 7), "1", team=world.team)
    entry(world.wang, date(2026, 3, 7), "4")
    return world


def test_figures_per_volunteer_and_by_month(served, owner):
    found = api_client(owner).get(f"{BASE}/recognition/figures", {"year": 2026}).json()
    assert found["by"] == "volunteer" and found["area"] == "310106019001"
    assert found["total"] == {
        "label": "Total",
        "key": None,
        "hours": "23.50",
        "times": 3,
        "people": 2,
        "stars": None,
    }
    assert [(r["label"], r["hours"], r["times"], r["stars"]) for r in found["rows"]] == [
        ("张阿姨", "22.50", 2, 1),
        ("李师傅", "1.00", 1, 0),
    ]
    months = {m["month"]: (m["hours"], m["times"]) for m in found["months"]}
    assert months[3] == ("20.00", 1) and months[4] == ("3.50", 2) and months[5] == ("0.00", 0)


def test_figures_per_team_and_for_one_month(served, owner):
    client = api_client(owner)
    teams = client.get(f"{BASE}/recognition/figures", {"year": "2026", "by": "team"}).json()
    assert [(r["label"], r["hours"], r["key"]) for r in teams["rows"]] == [
        ("健康楼组邻里队", "21.00", str(served.team.pk)),
        ("Not in a team", "2.50", None),
    ]
    april = client.get(f"{BASE}/recognition/figures", {"year": 2026, "month": 4}).json()
    assert april["total"]["hours"] == "3.50" and april["rows"][0]["stars"] is None


def test_a_street_compares_committees_and_may_look_down(served, street_admin, tree):
    client = api_client(street_admin)
    found = client.get(f"{BASE}/recognition/figures", {"year": 2026}).json()
    assert found["by"] == "committee"
    assert [(r["key"], r["hours"]) for r in found["rows"]] == [
        (tree.committee.code, "23.50"),
        (tree.neighbour.code, "4.00"),
    ]
    down = client.get(f"{BASE}/recognition/figures", {"year": 2026, "area": tree.neighbour.code}).json()
    assert [r["label"] for r in down["rows"]] == ["王同学"]
    listed = client.get(f"{BASE}/recognition/list", {"year": 2026, "area": tree.street.code}).json()
    assert [h["name"] for h in listed] == ["张阿姨", "王同学", "李师傅"]


def test_outside_the_scope_is_refused(served, owner, resident, tree):
    far = api_client(owner).get(f"{BASE}/recognition/figures", {"area": tree.far_committee.code})
    assert far.status_code == 404
    assert api_client(resident).get(f"{BASE}/recognition/figures").status_code == 403
    assert api_client().get(f"{BASE}/recognition/list").status_code == 401


def test_the_recognition_list(served, owner):
    listed = api_client(owner).get(f"{BASE}/recognition/list", {"year": 2026}).json()
    assert listed[0] == {
        "rank": 1,
        "volunteer": served.zhang.pk,
        "name": "张阿姨",
        "stars": 1,
        "hours": "22.50",
        "times": 2,
        "teams": ["健康楼组邻里队"],
    }
    assert len(listed) == 2


def test_my_stars(served):
    mine = api_client(served.zhang_user).get(f"{BASE}/recognition/mine").json()
    assert mine["year"] >= 2026 and set(mine) == {"year", "hours", "times", "stars", "to_next_star"}


def test_issue_get_pdf_revoke_and_check(served, owner):
    staff = api_client(owner)
    made = staff.post(
        f"{BASE}/certificates",
        {"volunteer": served.zhang.pk, "period_from": "2026-01-01", "period_to": "2026-11-30"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["name"], body["hours"], body["times"], body["revoked"]) == ("张阿姨", "22.50", 2, False)
    one = staff.get(f"{BASE}/certificates/{body['id']}").json()
    assert one["number"] == body["number"]
    pdf = staff.get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    token = body["check_url"].rstrip("/").rsplit("/", 1)[1]
    public = api_client().get(f"{BASE}/certificates/check/{token}")
    assert public.status_code == 200
    assert set(public.json()) == {
        "number",
        "name",
        "period_from",
        "period_to",
        "hours",
        "times",
        "committee",
        "issued_on",
        "revoked",
    }
    revoked = staff.post(
        f"{BASE}/certificates/{body['id']}/revoke", {"reason": "录入有误"}, content_type="application/json"
    )
    assert revoked.json()["revoked"] is True
    assert api_client().get(f"{BASE}/certificates/check/{token}").json()["revoked"] is True
    assert staff.get(body["pdf_url"]).status_code == 404  # a revoked certificate prints no more


def test_a_volunteer_issues_their_own_and_nobody_elses(served):
    client = api_client(served.zhang_user)
    own = client.post(
        f"{BASE}/certificates",
        {"period_from": "2026-03-01", "period_to": "2026-03-31"},
        content_type="application/json",
    )
    assert own.status_code == 201 and own.json()["hours"] == "20.00"
    other = client.post(
        f"{BASE}/certificates",
        {"volunteer": served.li.pk, "period_from": "2026-03-01", "period_to": "2026-03-31"},
        content_type="application/json",
    )
    assert other.status_code == 403
    assert Certificate.objects.count() == 1


def test_bad_input_says_which_field(served, owner):
    staff = api_client(owner)
    empty = staff.post(
        f"{BASE}/certificates",
        {"volunteer": served.zhang.pk, "period_from": "2026-06-01", "period_to": "2026-06-30"},
        content_type="application/json",
    )
    assert empty.status_code in (400, 422) and "no confirmed hours" in empty.json()["detail"]
    assert not Certificate.objects.exists()


def test_another_committee_and_a_forged_token(served, owner, outsider):
    made = certificates.issue(
        served.zhang, date(2026, 1, 1), date(2026, 11, 30), by=owner, scope=scope_of(owner)
    )
    other = api_client(outsider)
    assert other.get(f"{BASE}/certificates/{made.pk}").status_code == 404
    assert other.get(f"{BASE}/certificates/{made.pk}/pdf").status_code == 404
    revoke = other.post(
        f"{BASE}/certificates/{made.pk}/revoke", {"reason": "x"}, content_type="application/json"
    )
    assert revoke.status_code == 404
    token = certificates.token_for(made)
    forged = api_client().get(f"{BASE}/certificates/check/{token[:-2]}zz")
    assert forged.status_code == 404 and "not a certificate" in forged.json()["detail"]
