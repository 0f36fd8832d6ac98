"""Races on PostgreSQL, with real threads: 50 people take numbers at one stall at once and
get 50 distinct numbers 1..50; two callers tapping "call next" at once never call the same
ticket."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from servicedays import queue
from servicedays.models import Ticket
from tests.factories import scope_of
from tests.servicedays.conftest import opened

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"),
]


def _together(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results: list = []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # a loser of the race is counted, not raised
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_fifty_at_once_get_fifty_distinct_numbers(owner, haircut):
    haircut.max_tickets = None
    haircut.save(update_fields=["max_tickets"])
    opened(owner, haircut)
    scope = scope_of(owner)
    results = _together(50, lambda: queue.hand_out_paper(owner, haircut, scope=scope).number)
    assert sorted(results) == list(range(1, 51))
    haircut.refresh_from_db()
    assert haircut.last_number == 50


def test_two_callers_at_once_never_call_the_same_ticket(owner, colleague, haircut):
    opened(owner, haircut)
    for _ in range(6):
        queue.hand_out_paper(owner, haircut, scope=scope_of(owner))
    scopes = {owner.pk: scope_of(owner), colleague.pk: scope_of(colleague)}
    callers = [owner, colleague] * 3
    lock = threading.Lock()

    def call():
        with lock:
            who = callers.pop()
        return queue.call_next(who, haircut, scope=scopes[who.pk]).number

    results = _together(6, call)
    assert sorted(results) == [1, 2, 3, 4, 5, 6]
    assert Ticket.objects.filter(called_at__isnull=False).count() == 6
