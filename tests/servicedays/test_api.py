"""The service days' API: the same services as the pages; refusals come back as 422 with
the message, a day the user may not see answers 404, the lobby display is public."""

from __future__ import annotations

import pytest
from django.test import Client

from servicedays.models import ServiceDay, Ticket
from tests.api.conftest import api_client
from tests.servicedays.conftest import opened
from tests.servicedays.test_figures_counts import at, held

pytestmark = pytest.mark.django_db
BASE = "/api/v1/servicedays"


def test_staff_plan_add_a_stall_publish_and_repeat(owner, site, soon, people):
    api = api_client(owner)
    body = {
        "title": "便民服务日",
        "site": site.pk,
        "starts_at": soon.isoformat(),
        "ends_at": soon.replace(hour=11).isoformat(),
    }
    made = api.post(f"{BASE}/days", body, content_type="application/json")
    assert made.status_code == 201, made.json()
    day = made.json()["id"]
    refused = api.post(f"{BASE}/days/{day}/publish")
    assert refused.status_code == 422 and "at least one stall" in refused.json()["detail"]
    stall = api.post(
        f"{BASE}/days/{day}/stalls",
        {"name": "理发", "staff_names": "王师傅", "max_tickets": 20},
        content_type="application/json",
    )
    assert stall.status_code == 201 and stall.json()["max_tickets"] == 20
    assert api.post(f"{BASE}/days/{day}/publish").json()["published"] is True
    repeated = api.post(f"{BASE}/days/{day}/repeat", {"months": 2}, content_type="application/json")
    assert repeated.status_code == 201 and len(repeated.json()["made"]) == 2
    assert [s["name"] for s in api.get(f"{BASE}/sites").json()] == ["一号服务点"]


def test_a_resident_takes_a_number_and_staff_call_it(owner, haircut, people):
    resident = api_client(people.wang_user)
    closed = resident.post(f"{BASE}/stalls/{haircut.pk}/tickets")
    assert closed.status_code == 422 and "not open yet" in closed.json()["detail"]
    staff = api_client(owner)
    assert staff.post(f"{BASE}/stalls/{haircut.pk}/open").json()["is_open"] is True
    paper = staff.post(f"{BASE}/stalls/{haircut.pk}/paper")
    assert paper.status_code == 201 and paper.json()["number"] == 1
    mine = resident.post(f"{BASE}/stalls/{haircut.pk}/tickets").json()
    assert (mine["number"], mine["ahead"]) == (2, 1)
    called = staff.post(f"{BASE}/stalls/{haircut.pk}/call").json()
    assert called["number"] == 1
    assert resident.get(f"{BASE}/tickets/{mine['id']}").json()["now_calling"] == 1
    assert staff.post(f"{BASE}/tickets/{called['id']}/served").json()["served_at"] is not None
    assert resident.post(f"{BASE}/stalls/{haircut.pk}/call").status_code == 404


def test_another_committees_resident_gets_404(haircut, people, owner):
    opened(owner, haircut)
    far = api_client(people.far_user)
    assert far.get(f"{BASE}/days/{haircut.service_day_id}").status_code == 404
    assert far.post(f"{BASE}/stalls/{haircut.pk}/tickets").status_code == 404


def test_the_lobby_is_public_for_a_published_day_only(owner, haircut, day):
    opened(owner, haircut)
    anonymous = Client()
    assert anonymous.get(f"{BASE}/days/{haircut.service_day_id}/lobby").json()["stalls"][0]["name"] == "理发"
    draft = ServiceDay.objects.create(
        area=day.area,
        title="草稿",
        place="x",
        starts_at=day.starts_at.replace(year=2030),
        ends_at=day.ends_at.replace(year=2030),
    )
    assert anonymous.get(f"{BASE}/days/{draft.pk}/lobby").status_code == 404
    assert not Ticket.objects.exists()


def test_figures(tree, owner):
    held(tree, at(2025, 3), 4)
    figures = api_client(owner).get(f"{BASE}/figures", {"year": 2025}).json()
    assert figures["total"]["person_times"] == 4 and figures["served_since_first"] == 4
    assert figures["waits"][0]["stall"] == "理发" and figures["served"][0]["absent"] == 1
