"""The balance never goes below zero, on PostgreSQL with real threads: 100 expenses of 100
yuan, each approved once, get their second approval at the same moment against a balance of
1,000 yuan; exactly 10 are paid, the 90 others are refused naming the balance."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import translation

from funds import expenses
from funds.models import Entry, EntryKind, Expense, Fund
from tests.factories import scope_of
from tests.funds.conftest import give, spend

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"),
]

THREADS = 100


def _together(works) -> list:
    barrier = threading.Barrier(len(works))
    results: list = []

    def run(work):
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # a loser of the race is counted, not raised
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in works]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_hundred_approvals_at_once_never_overspend(world, owner, colleague, street_admin):
    give(world.fund, owner, "1000")
    waiting = [spend(world.fund, owner, "100", payee=f"商户{n}") for n in range(THREADS)]
    for expense in waiting:
        expenses.approve(expense, by=colleague, scope=scope_of(colleague))
    scope = scope_of(street_admin)

    def one(expense):
        def approve():
            # The server holds at most 100 connections: a thread that finds none waits its turn.
            for _attempt in range(100):
                try:
                    with translation.override("en"):
                        return expenses.approve(expense, by=street_admin, scope=scope)
                except OperationalError:
                    connection.close()
                    time.sleep(0.05)
            raise AssertionError("no connection")

        return approve

    connection.close()  # the main thread's connection too: 100 threads, 100 connections
    results = _together([one(e) for e in waiting])
    paid = [r for r in results if isinstance(r, Expense)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(paid) == 10, [r for r in results if not isinstance(r, Expense | ValidationError)]
    assert len(refused) == THREADS - 10, [r for r in results if not isinstance(r, Expense | ValidationError)]
    assert all("balance is 0.00 yuan" in " ".join(r.messages) for r in refused)
    fund = Fund.objects.get(pk=world.fund.pk)
    assert fund.balance == 0 and fund.spent == Decimal("1000")
    assert Entry.objects.filter(kind=EntryKind.EXPENSE).count() == 10
    assert Expense.objects.filter(entry__isnull=False).count() == 10
