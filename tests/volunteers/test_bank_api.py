"""The time-bank API: give, donate, ask for a service and see it through, balances for staff."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import fixtures
from tests.api.conftest import api_client
from tests.volunteers import ledger_world
from tests.volunteers.ledger_world import fund
from volunteers import bank
from volunteers.models import CreditEntry

pytestmark = pytest.mark.django_db

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
ledger = ledger_world.ledger
BASE = "/api/v1/volunteers/bank"


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_give_and_donate_and_refusals(ledger, people):
    fund(bank.account_of(ledger.member), "10")
    member = api_client(ledger.member.user)
    assert _post(member, f"{BASE}/give", {"resident": people.li.pk, "amount": "4"}).status_code == 201
    assert _post(member, f"{BASE}/donate", {"amount": "1"}).status_code == 201
    assert Decimal(json.loads(member.get(BASE).content)["balance"]) == 5
    before = CreditEntry.objects.count()
    refused = _post(member, f"{BASE}/give", {"resident": people.li.pk, "amount": "6"})
    assert refused.status_code == 422 and "Only 5 credits are left" in json.loads(refused.content)["detail"]
    refused = _post(member, f"{BASE}/give", {"volunteer": ledger.member.pk, "amount": "1"})
    assert refused.status_code == 422 and "yourself" in json.loads(refused.content)["detail"]
    refused = _post(member, f"{BASE}/donate", {"amount": "0"})
    assert refused.status_code == 422 and "above zero" in json.loads(refused.content)["detail"]
    assert CreditEntry.objects.count() == before
    lines = json.loads(member.get(f"{BASE}/entries").content)
    assert [line["kind"] for line in lines["items"]] == ["donated", "gift_out", "earned"]


def test_a_service_asked_matched_and_done(ledger, people, owner):
    fund(bank.account_of_person(people.zhao), "3")
    daughter = api_client(people.daughter)
    assert Decimal(json.loads(daughter.get(f"{BASE}/family/{people.zhao.pk}").content)["balance"]) == 3
    wanted = (timezone.now() + timedelta(days=1)).isoformat()
    made = _post(
        daughter,
        f"{BASE}/requests",
        {"resident": people.zhao.pk, "service": ledger.haircut.pk, "wanted_at": wanted, "hours": "2"},
    )
    assert made.status_code == 201, made.content
    request_id = json.loads(made.content)["id"]
    staff = api_client(owner)
    assert (
        _post(staff, f"{BASE}/requests/{request_id}/match", {"volunteer": ledger.member.pk}).status_code
        == 200
    )
    member = api_client(ledger.member.user)
    assert [j["id"] for j in json.loads(member.get(f"{BASE}/jobs").content)] == [request_id]
    assert json.loads(_post(member, f"{BASE}/jobs/{request_id}/done").content)["reported_done"]
    done = _post(staff, f"{BASE}/requests/{request_id}/done")
    assert done.status_code == 200 and json.loads(done.content)["status"] == "done"
    assert bank.account_of(ledger.member).balance == 2
    balances = json.loads(staff.get(f"{BASE}/balances").content)
    assert {b["name"]: Decimal(b["balance"]) for b in balances["items"]}["王建国"] == 2


def test_a_request_withdrawn_is_refunded_and_others_may_not(ledger, people, outsider):
    fund(bank.account_of_person(people.zhao), "3")
    daughter = api_client(people.daughter)
    wanted = (timezone.now() + timedelta(days=1)).isoformat()
    made = _post(
        daughter,
        f"{BASE}/requests",
        {"resident": people.zhao.pk, "service": ledger.haircut.pk, "wanted_at": wanted, "hours": "1"},
    )
    request_id = json.loads(made.content)["id"]
    assert (
        _post(api_client(outsider), f"{BASE}/requests/{request_id}/cancel", {"reason": "x"}).status_code
        == 404
    )
    assert _post(daughter, f"{BASE}/requests/{request_id}/withdraw", {"reason": "不用了"}).status_code == 200
    assert bank.account_of_person(people.zhao).balance == 3


def test_settings_through_the_api(owner, ledger):
    staff = api_client(owner)
    put = staff.put(
        f"{BASE}/settings",
        {"credits_per_hour": "2", "min_age": 60, "tags": ["living_alone"], "not_earning": [ledger.meals.pk]},
        content_type="application/json",
    )
    assert put.status_code == 200, put.content
    got = json.loads(staff.get(f"{BASE}/settings").content)
    assert Decimal(got["credits_per_hour"]) == 2 and got["not_earning"] == [ledger.meals.pk]
