"""Benchmark: the staff list of volunteers with their time-bank balances over a ledger of
1,000,000 lines, against a trivial view on the same server.

    .venv/bin/python bench/volunteer_balances.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/volunteer_balances.py

Sets up a throwaway database (see bench/harness.py) with one committee, 5,000 volunteers,
each with a time-bank account, and 1,000,000 ledger lines (``CreditEntry``, 200 per account,
bulk-inserted by one INSERT … SELECT with the per-row audit suspended: made-up data, nobody's
change), the accounts' balances equal to their lines' sums, as the services keep them.

Starts gunicorn (2 sync workers, DEBUG off, as on a 2-core machine) and, from 4 client
threads over keep-alive connections, requests for a fixed time:

1. ``/healthz`` — a trivial view: the server's and the framework's own cost;
2. ``/volunteers/bank/balances/`` as a social worker — session, TOTP, scope, a page of 25
   volunteers with their balances (read from ``CreditAccount.balance``, never summed);
3. the same list's page 150 (an offset deep into the 5,000);
4. ``/activities/manage/`` with no activities: a staff page's own cost (session, TOTP, role,
   the layout), for scale.

Prints requests/s and p50/p95 latency of each, the queries of one page, and the ratio
list/trivial.
"""

from __future__ import annotations

import argparse
import os
import time
from decimal import Decimal

from harness import ROOT, analyze, compare, gunicorn, load, migrated_database

BENCH_DB = "mulin_bench_balances"
VOLUNTEERS = 5_000
LINES_EACH = 200  # 5,000 × 200 = 1,000,000 ledger lines
BATCH = 20_000


LINES_SQL = """
INSERT INTO volunteers_creditentry (account_id, amount, balance_after, kind, note, at)
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s)
SELECT a.id, 1, seq.n, 'earned', '', %s FROM volunteers_creditaccount a CROSS JOIN seq
"""


def write_lines(lines_each: int, now) -> int:
    """``lines_each`` lines of one credit on every account, balance after 1, 2, 3…: one
    INSERT … SELECT (the same SQL on SQLite and PostgreSQL), as a bulk load; the ORM's
    bulk_create of a million objects took seven minutes here."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(LINES_SQL, [lines_each, connection.ops.adapt_datetimefield_value(now)])
        return cursor.rowcount


def setup(volunteers: int, lines_each: int) -> str:
    """The data, and the session cookie of the social worker (two-factor step passed)."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from audit.context import suspended
    from demo.census import make_committee
    from volunteers.models import CreditAccount, Volunteer

    committee, _buildings = make_committee("310106019016", "慧芝湖花园居委会", groups=1, per_group=1)
    now = timezone.now()
    with suspended():
        people = Volunteer.objects.bulk_create(
            [
                Volunteer(committee=committee, name=f"志愿者{n:05d}", kind="resident", registered_at=now)
                for n in range(volunteers)
            ],
            batch_size=BATCH,
        )
        CreditAccount.objects.bulk_create(
            [CreditAccount(volunteer=v, area=committee, balance=Decimal(lines_each)) for v in people],
            batch_size=BATCH,
        )
        started = time.perf_counter()
        written = write_lines(lines_each, now)
    took = time.perf_counter() - started
    print(f"({len(people)} volunteers, {written:,} ledger lines written in {took:.0f} s)")

    worker = User.objects.create_user("13800009991", "bench-password-1", name="孙社工", home_area=committee)
    RoleGrant.objects.create(user=worker, role=Role.SOCIAL_WORKER, area=committee)
    device = TOTPDevice.objects.create(user=worker, name="default", confirmed=True)
    analyze()
    client = Client()
    client.force_login(worker)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.get("/volunteers/bank/balances/")
    assert response.status_code == 200, response.status_code
    assert "志愿者00000" in response.content.decode()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/volunteers/bank/balances/?page=150")
    print(f"(one page of the list: {len(queries)} queries, session and role included)")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--volunteers", type=int, default=VOLUNTEERS)
    parser.add_argument("--lines-each", type=int, default=LINES_EACH)
    args = parser.parse_args()
    os.chdir(ROOT)
    with migrated_database(BENCH_DB) as label:
        print(f"volunteer balances benchmark: {label}")
        started = time.perf_counter()
        cookie = setup(args.volunteers, args.lines_each)
        print(f"(set up in {time.perf_counter() - started:.0f} s)")
        from django.db import connections

        connections.close_all()
        page = "/volunteers/bank/balances/"
        with gunicorn() as port:
            load(port, page, cookie, 2, args.threads)  # warm both workers
            trivial, first, deep, staff = compare(
                port,
                [
                    ("trivial /healthz", "/healthz", ""),
                    ("balances, page 1", page, cookie),
                    ("balances, page 150", f"{page}?page=150", cookie),
                    ("a staff page alone", "/activities/manage/", cookie),
                ],
                args.seconds,
                args.threads,
            )
            print(
                f"ratio: the balances list serves {first / trivial:.2f}x the trivial view's rate "
                f"({trivial / first:.1f}x slower); page 150 {deep / trivial:.2f}x; "
                f"an empty staff page (the same session, role and layout) {staff / trivial:.2f}x"
            )


if __name__ == "__main__":
    main()
