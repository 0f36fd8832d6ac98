"""The time-bank pages: a volunteer gives and donates, a daughter sees her father's balance and
asks for a service for him, staff match it, mark it done and set the rules; the list of
volunteers with balances runs the same queries over ten volunteers or a thousand lines."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import fixtures
from tests.factories import login_verified
from tests.volunteers import ledger_world
from tests.volunteers.ledger_world import fund, volunteer
from volunteers import bank
from volunteers.models import BankRequest, BankRule, CreditEntry

pytestmark = pytest.mark.django_db

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
ledger = ledger_world.ledger


def test_a_volunteer_gives_to_family_and_donates(client, ledger, people):
    fund(bank.account_of(ledger.member), "10")
    login_verified(client, ledger.member.user)
    url = reverse("volunteers:bank")
    page = client.get(url).content.decode()
    assert "李秀英" in page and "10" in page
    assert client.post(url, {"give": "1", "to": people.li.pk, "amount": "3"}).status_code == 302
    assert client.post(url, {"donate": "1", "amount": "2"}).status_code == 302
    assert bank.account_of(ledger.member).balance == 5
    response = client.post(url, {"donate": "1", "amount": "50"})
    assert "Only 5 credits are left" in response.content.decode()
    assert bank.account_of(ledger.member).balance == 5


def test_a_daughter_sees_her_fathers_balance_and_asks_for_a_service(client, ledger, people, owner):
    fund(bank.account_of_person(people.zhao), "4")
    login_verified(client, people.daughter)
    page = client.get(reverse("volunteers:bank_family", args=[people.zhao.pk])).content.decode()
    assert "赵老伯" in page
    wanted = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("volunteers:bank_ask"),
        {"person": people.zhao.pk, "service": ledger.haircut.pk, "wanted_at": wanted, "hours": "1"},
    )
    assert response.status_code == 302
    request = BankRequest.objects.get()
    assert bank.account_of_person(people.zhao).balance == 3
    # Staff give it to a volunteer who cuts hair and mark it done.
    client.logout()
    login_verified(client, owner)
    url = reverse("volunteers:bank_request", args=[request.pk])
    assert "王建国" in client.get(url).content.decode()
    client.post(url, {"action": "match", "volunteer": ledger.member.pk})
    client.post(url, {"action": "done"})
    request.refresh_from_db()
    assert request.hours_entry is not None and bank.account_of(ledger.member).balance == 1


def test_nobody_else_sees_a_familys_balance(client, people):
    login_verified(client, people.far_user)
    assert client.get(reverse("volunteers:bank_family", args=[people.zhao.pk])).status_code == 404


def test_staff_set_the_rules(owner_client, tree, ledger):
    response = owner_client.post(
        reverse("volunteers:bank_settings"),
        {
            "credits_per_hour": "1.5",
            "min_age": "70",
            "tags": ["living_alone"],
            "not_earning": [ledger.meals.pk],
        },
    )
    assert response.status_code == 302
    rule = BankRule.objects.get(area=tree.committee)
    assert rule.credits_per_hour == Decimal("1.5") and list(rule.not_earning.all()) == [ledger.meals]


def test_staff_grant_from_the_pool(owner_client, tree, people):
    fund(bank.pool_of(tree.committee), "5")
    found = owner_client.post(reverse("volunteers:bank_pool"), {"q": "赵老伯"}).content.decode()
    assert "赵老伯" in found
    owner_client.post(reverse("volunteers:bank_pool"), {"resident": people.zhao.pk, "amount": "2"})
    assert bank.account_of_person(people.zhao).balance == 2


def test_the_balances_list_runs_fixed_queries_however_long_the_ledger(
    owner_client, tree, ledger, django_assert_num_queries
):
    url = reverse("volunteers:bank_balances")
    owner_client.get(url)
    with CaptureQueriesContext(connection) as few:
        owner_client.get(url)
    for n in range(30):
        account = bank.account_of(volunteer(tree.committee, f"志愿者{n:02d}"))
        fund(account, "1")
    account = bank.account_of(ledger.member)
    CreditEntry.objects.bulk_create(
        [
            CreditEntry(account=account, amount=Decimal(1), balance_after=Decimal(n + 1), kind="earned")
            for n in range(500)
        ]
    )
    with django_assert_num_queries(len(few)):
        page = owner_client.get(url).content.decode()
    assert "志愿者00" in page and "33 volunteers" in page


def test_staff_ask_for_a_service_on_a_residents_behalf(owner_client, ledger, people):
    fund(bank.account_of_person(people.zhao), "2")
    url = reverse("volunteers:bank_ask") + f"?resident={people.zhao.pk}"
    assert "赵老伯" in owner_client.get(url).content.decode()
    wanted = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = owner_client.post(
        url, {"person": people.zhao.pk, "service": ledger.haircut.pk, "wanted_at": wanted, "hours": "2"}
    )
    assert response.status_code == 302 and BankRequest.objects.get().requested_by.name == "社工甲"
    assert bank.account_of_person(people.zhao).balance == 0
