"""The hours API: the same rules as the pages, scoped, JSON answers with specific refusals."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import fixtures
from tests.api.conftest import api_client
from tests.volunteers import ledger_world
from volunteers import bank
from volunteers.models import HoursEntry

pytestmark = pytest.mark.django_db

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
ledger = ledger_world.ledger
BASE = "/api/v1/volunteers/hours"


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_log_confirm_and_correct_through_the_api(ledger, owner):
    member = api_client(ledger.member.user)
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    made = _post(
        member, BASE, {"day": day, "hours": "2.5", "team": ledger.team.pk, "service": ledger.haircut.pk}
    )
    assert made.status_code == 201, made.content
    line = json.loads(made.content)
    assert line["state"] == "Waiting for confirmation" and Decimal(line["hours"]) == Decimal("2.5")
    leader = api_client(ledger.leader_user)
    waiting = json.loads(leader.get(f"{BASE}/to-confirm").content)
    assert [w["id"] for w in waiting["items"]] == [line["id"]]
    confirmed = _post(leader, f"{BASE}/confirm", {"lines": [line["id"]]})
    assert confirmed.status_code == 200 and json.loads(confirmed.content)[0]["confirmed"]
    assert bank.account_of(ledger.member).balance == Decimal("2.5")
    staff = api_client(owner)
    reversed_ = _post(staff, f"{BASE}/{line['id']}/reverse", {"reason": "记错了"})
    assert reversed_.status_code == 201 and Decimal(json.loads(reversed_.content)["hours"]) == Decimal("-2.5")
    assert bank.account_of(ledger.member).balance == 0
    mine = json.loads(member.get(BASE).content)
    assert mine["count"] == 2


def test_refusals_are_specific_and_write_nothing(ledger):
    member = api_client(ledger.member.user)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = _post(member, BASE, {"day": tomorrow, "hours": "2"})
    assert refused.status_code == 422 and "future" in json.loads(refused.content)["detail"]
    refused = _post(member, BASE, {"day": timezone.localdate().isoformat(), "hours": "-1"})
    assert refused.status_code == 422 and "more than zero" in json.loads(refused.content)["detail"]
    assert not HoursEntry.objects.exists()


def test_staff_log_for_a_volunteer_and_the_neighbour_may_not(ledger, owner, outsider):
    payload = {"volunteer": ledger.elder.pk, "day": timezone.localdate().isoformat(), "hours": "1"}
    assert _post(api_client(outsider), f"{BASE}/log-for", payload).status_code == 404
    made = _post(api_client(owner), f"{BASE}/log-for", payload)
    assert made.status_code == 201 and json.loads(made.content)["confirmed"]
    line = json.loads(made.content)["id"]
    assert _post(api_client(outsider), f"{BASE}/{line}/reverse", {"reason": "x"}).status_code == 404
