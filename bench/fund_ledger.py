"""Benchmark: a campaign's public page over a ledger of 1,000,000 entries, and 100 second
approvals at once against one balance, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/fund_ledger.py
    ... bench/fund_ledger.py --entries 100000       # smaller

Builds a throwaway database (bench/harness.py) with one committee, its fund and campaign, and
``--entries`` donations COPYed into the real ledger tables (``funds_entry`` and two postings
each in ``funds_posting``, summing to zero), the fund's and campaign's counters set to their
sums, then ANALYZE. COPY runs with ``session_replication_role = replica`` (no per-row
foreign-key triggers: the ids are consistent by construction; needs a superuser).

1. The public campaign page (no login), its first page and one from the middle of the ledger
   (``?before=``, keyset), against the trivial ``/healthz``, each ``--rounds`` times through
   Django's in-process test client (the same code as a live server without the socket and
   the WSGI server: the ratio is the views' and the database's cost alone). Prints the medians,
   the ratio and the number of queries of each page.
2. 100 expenses of 100 yuan in a fund holding 1,000 yuan, each approved once; then the 100
   second approvals at the same moment from 100 threads (each its own connection;
   ``funds.expenses.approve``, the pages' and API's service). Prints how many were paid and
   refused and the balance: exactly 10 paid, 90 refused, never below zero.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from decimal import Decimal

from harness import analyze, migrated_database

BENCH_DB = "mulin_bench_fund_ledger"
THREADS = 100


def copy_rows(table: str, columns: list[str], rows) -> int:
    from django.db import connection

    names = ", ".join(f'"{c}"' for c in columns)
    count = 0
    block: list[str] = []
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            block.append("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
            count += 1
            if len(block) == 20_000:
                copy.write("".join(block))
                block.clear()
        copy.write("".join(block))
    return count


def build(entries: int):
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone

    from demo.census import make_committee
    from funds.models import Campaign, Entry, Fund, Posting

    committee, _names = make_committee("310106019001", "延长新村居委会", groups=2, per_group=1)
    fund = Fund.objects.create(area=committee, name="大宁社区基金")
    campaign = Campaign.objects.create(fund=fund, name="爱心电梯", goal=Decimal("360000"))
    start = date(2024, 1, 1)
    now = timezone.now().isoformat()
    amounts = [Decimal(a) for a in ("50.00", "100.00", "200.00", "500.00", "1000.00")]
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        first = Entry.objects.count() + 1
        copy_rows(
            "funds_entry",
            [
                "id",
                "fund_id",
                "campaign_id",
                "kind",
                "gift_kind",
                "amount",
                "day",
                "shown_as",
                "anonymous",
                "reason",
                "made_at",
            ],
            (
                (
                    first + n,
                    fund.pk,
                    campaign.pk,
                    "gift",
                    "donation",
                    amounts[n % 5],
                    start + timedelta(days=n * 900 // entries),
                    "" if n % 7 == 0 else f"捐赠者{n}",
                    "t" if n % 7 == 0 else "f",
                    "",
                    now,
                )
                for n in range(entries)
            ),
        )
        copy_rows(
            "funds_posting",
            ["entry_id", "account", "amount"],
            (
                row
                for n in range(entries)
                for row in (
                    (first + n, "bank", amounts[n % 5]),
                    (first + n, "donations", -amounts[n % 5]),
                )
            ),
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('funds_entry', 'id'), (SELECT max(id) FROM funds_entry))"
        )
    total = sum(amounts) * (entries // 5) + sum(amounts[: entries % 5])
    # The counters, as the services keep them (the bench writes them in one go; the trigger
    # guards the ledger's rows, not the fund's).
    Fund.objects.filter(pk=fund.pk).update(
        raised=F("raised") + total, balance=F("balance") + total, donations=F("donations") + entries
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        raised=F("raised") + total, donations=F("donations") + entries
    )
    analyze()
    print(f"  built {entries:,} entries and {2 * entries:,} postings in {time.perf_counter() - began:.1f} s")
    assert Posting.objects.filter(entry__campaign=campaign).count() == 2 * entries
    return fund, campaign, first + entries // 2


def timed(client, url: str, rounds: int) -> tuple[float, int]:
    from django.db import connection

    seen: list[str] = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - began)
    return statistics.median(times), len(seen)


def page_bench(campaign, middle: int, rounds: int) -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    client = Client()
    healthz, _q = timed(client, "/healthz", rounds)
    page = reverse("funds:public_campaign", args=[campaign.pk])
    for label, url in (("first page", page), ("middle (keyset)", f"{page}?before={middle}")):
        took, queries = timed(client, url, rounds)
        print(
            f"  campaign page, {label:<16} {took * 1000:8.2f} ms  ({queries} queries)   "
            f"/healthz {healthz * 1000:6.2f} ms   ratio {took / healthz:6.1f}"
        )


def race() -> None:
    from django.core.exceptions import ValidationError
    from django.db import OperationalError, connection
    from django.utils import timezone

    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from accounts.scope import resolve_scope
    from areas.models import Area
    from funds import expenses, gifts
    from funds.models import Expense, Fund

    committee = Area.objects.get(code="310106019001")
    street = committee.parent
    assert street is not None
    people = {}
    for n, (role, area) in enumerate(
        ((Role.SOCIAL_WORKER, committee), (Role.COMMITTEE_LEAD, committee), (Role.STREET_ADMIN, street))
    ):
        user = User.objects.create(phone=f"1380000990{n}", name=str(role))
        RoleGrant.objects.create(user=user, role=role, area=area)
        people[role] = (user, resolve_scope(user, {}))
    worker, keep = people[Role.SOCIAL_WORKER]
    lead, lead_scope = people[Role.COMMITTEE_LEAD]
    admin, admin_scope = people[Role.STREET_ADMIN]
    fund = Fund.objects.create(area=committee, name="并发测试基金")
    today = timezone.localdate()
    gifts.record(
        fund,
        gifts.GiftDraft(kind="donation", amount=Decimal("1000"), donor_name="捐赠者", received_on=today),
        by=worker,
        scope=keep,
    )
    waiting = []
    for n in range(THREADS):
        draft = expenses.ExpenseDraft(payee=f"商户{n}", purpose="并发", amount=Decimal("100"), paid_on=today)
        expense = expenses.record(fund, draft, by=worker, scope=keep)
        expenses.approve(expense, by=lead, scope=lead_scope)
        waiting.append(expense)
    connection.close()
    barrier = threading.Barrier(THREADS)
    results: list = []

    def run(expense):
        from django.db import connection as own

        try:
            barrier.wait()
            for _attempt in range(200):  # at most 100 connections on the server: wait a turn
                try:
                    results.append(expenses.approve(expense, by=admin, scope=admin_scope))
                    return
                except OperationalError:
                    own.close()
                    time.sleep(0.05)
        except Exception as error:
            results.append(error)
        finally:
            own.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=run, args=(e,)) for e in waiting]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - began
    paid = sum(isinstance(r, Expense) for r in results)
    refused = sum(isinstance(r, ValidationError) for r in results)
    other = [r for r in results if not isinstance(r, Expense | ValidationError)]
    fund.refresh_from_db()
    ok = paid == 10 and refused == THREADS - 10 and fund.balance == 0 and not other
    print(
        f"  {THREADS} second approvals at once in {took:.2f} s: {paid} paid, {refused} refused "
        f"(balance), {len(other)} errors; balance {fund.balance} → {'OK' if ok else 'WRONG'}"
    )
    if not ok:
        print("  errors:", other[:3])
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("fund_ledger: PostgreSQL only (set DATABASE_URL).")
        return
    with migrated_database(BENCH_DB) as label:
        print(f"fund_ledger on {label}")
        _fund, campaign, middle = build(args.entries)
        page_bench(campaign, middle, args.rounds)
        race()


if __name__ == "__main__":
    main()
