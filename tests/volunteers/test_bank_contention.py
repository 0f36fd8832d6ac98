"""Under contention a balance never goes below zero: forty threads on PostgreSQL spend, give and
donate from one volunteer's 100 credits at once, three credits at a time; exactly 33 moves
succeed, the others are refused with a message, and the ledger's lines add up to every
balance."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum
from django.utils import timezone

from common.scope import NO_SCOPE
from tests import fixtures
from tests.volunteers import ledger_world
from tests.volunteers.ledger_world import fund
from volunteers import bank, spending
from volunteers.models import CreditAccount, CreditEntry

THREADS = 40
TRIES = 3  # each thread tries three moves: 120 tries of 3 credits on 100

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
ledger = ledger_world.ledger


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_many_moves_from_one_balance_at_once_never_overdraw(ledger, people):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: there is no race to lose")
    giver = ledger.member.user
    fund(bank.account_of(ledger.member), "100")
    # 王建国 acts for 赵老伯 too, so he may spend his credits on his behalf once given.
    from registry.models import Proxy

    Proxy.objects.create(resident=people.zhao, user=giver, relation="邻居")
    start = threading.Barrier(THREADS)
    done: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def act(n: int) -> None:
        try:
            start.wait()
            for attempt in range(TRIES):
                try:
                    kind = (n + attempt) % 3
                    if kind == 0:
                        bank.give(giver, scope=NO_SCOPE, amount=Decimal(3), resident=people.li)
                    elif kind == 1:
                        bank.donate(giver, scope=NO_SCOPE, amount=Decimal(3))
                    else:
                        bank.give(giver, scope=NO_SCOPE, amount=Decimal(3), resident=people.zhao)
                        spending.ask(
                            giver,
                            people.zhao,
                            scope=NO_SCOPE,
                            service=ledger.haircut,
                            wanted_at=timezone.now() + timedelta(days=1),
                            hours_wanted=Decimal(3),
                        )
                    done.append("ok")
                except ValidationError as refusal:
                    # Threads speak the default language (Chinese): the refusal is told by its field.
                    refused.append(",".join(refusal.message_dict))
        except BaseException as error:  # every other failure fails the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(done) == 33 and len(refused) == THREADS * TRIES - 33
    assert set(refused) == {"amount"}  # "only 1 credits are left" (the balance), nothing else
    for account in CreditAccount.objects.all():
        lines = CreditEntry.objects.filter(account=account)
        assert account.balance >= 0
        assert account.balance == (lines.aggregate(s=Sum("amount"))["s"] or 0)
        last = lines.order_by("-pk").first()
        assert last is None or last.balance_after == account.balance
    assert bank.account_of(ledger.member).balance == 1
    assert not CreditEntry.objects.filter(balance_after__lt=0).exists()
