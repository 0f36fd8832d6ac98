"""An item is never lent twice at once, on PostgreSQL with real threads (each its own
connection): staff at two desks lending one wheelchair to different residents at the same
moment get one loan; the others are told who has it. And the database's own guard, the
partial unique constraint ``item_lent_once``, under the same race without the service."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone, translation

from aids import lending
from aids.models import Condition, Loan
from tests.factories import household, id_number, resident, scope_of

THREADS = 12


def run_at_once(work, shares) -> list[BaseException]:
    start = threading.Barrier(len(shares))
    errors: list[BaseException] = []

    def run(share):
        try:
            start.wait()
            with translation.override("en"):
                work(share)
        except BaseException as error:  # every failure, of any kind, fails the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def elders(tree, count: int):
    return [
        resident(household(tree.building, f"{500 + n}"), f"老人{n}", number=id_number("1945-06-01"))
        for n in range(count)
    ]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_threads_lending_one_item_make_exactly_one_loan(owner, tree, wheelchair):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: there is no race to lose")
    item = wheelchair.items.order_by("code").first()
    people = elders(tree, THREADS)
    scope = scope_of(owner)
    refused: list[str] = []

    def lend(person) -> None:
        try:
            lending.lend(owner, item, person, scope=scope)
        except ValidationError as error:
            refused.extend(error.messages)

    assert run_at_once(lend, people) == []
    loan = Loan.objects.get(item=item)
    assert len(refused) == THREADS - 1
    assert all(text.startswith(f"轮椅 LY-01 is already lent, to {loan.resident.name}") for text in refused)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_constraint_alone_lets_one_open_loan_through(owner, tree, wheelchair):
    """No lock, no check: inserts racing on the partial unique index, one commits."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: there is no race to lose")
    item = wheelchair.items.order_by("code").first()
    people = elders(tree, THREADS)
    won: list[int] = []
    lost: list[int] = []

    def insert(person) -> None:
        try:
            with transaction.atomic():
                Loan.objects.create(
                    item=item, resident=person, due_on=timezone.localdate(), condition_out=Condition.GOOD
                )
            won.append(person.pk)
        except IntegrityError:
            lost.append(person.pk)

    assert run_at_once(insert, people) == []
    assert len(won) == 1 and len(lost) == THREADS - 1
    assert Loan.objects.out().filter(item=item).count() == 1
