"""Benchmark: bookings of one space asked at once, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/booking_race.py
    .venv/bin/python bench/booking_race.py        # SQLite: one writer at a time

Sets up a throwaway database (see bench/harness.py) with one committee, its social worker and
one room open all day, every day. Then, in this process:

1. the race: ``--requests`` requests for the same hour, first from one thread one after another
   (the reference), then from ``--threads`` threads at once (each its own connection) for
   another hour; every request is answered (the booking, or a refusal naming it), and exactly
   one booking is made each time;
2. no race: ``--requests`` requests for as many different ten minutes, from one thread and
   from ``--threads`` threads: every request books (the exclusion constraint's own cost).

Prints bookings/s (requests answered per second) for each and the ratios.
PostgreSQL here allows 100 connections, shared with other work: 40 threads by default.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from datetime import datetime, timedelta

from harness import ROOT, migrated_database

BENCH_DB = "mulin_bench_booking_race"


def setup():
    from datetime import time as clock

    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from areas.models import Area, AreaLevel
    from spaces.models import OpeningHours, Space, SpaceKind

    city = Area.objects.create(code="3101", name="上海市", level=AreaLevel.CITY, official=True)
    district = Area.objects.create(
        code="310106", name="静安区", level=AreaLevel.DISTRICT, parent=city, official=True
    )
    street = Area.objects.create(
        code="310106019", name="大宁路街道", level=AreaLevel.STREET, parent=district, official=True
    )
    committee = Area.objects.create(
        code="310106019001", name="延长新村居委会", level=AreaLevel.COMMITTEE, parent=street, official=True
    )
    staff = User.objects.create_user("13800000001", "bench-password-1", name="社工")
    RoleGrant.objects.create(user=staff, role=Role.SOCIAL_WORKER, area=committee)
    room = Space.objects.create(
        area=committee,
        name="乐活空间",
        kind=SpaceKind.ROOM,
        book_days_ahead=365,
        min_notice_hours=0,
        max_hours=24,
    )
    OpeningHours.objects.bulk_create(
        [OpeningHours(space=room, weekday=d, opens=clock(0), closes=clock(23, 59)) for d in range(7)]
    )
    return staff, room


def run(staff, room, slots: list[tuple[datetime, datetime]], threads: int):
    from django.core.exceptions import ValidationError
    from django.db import connections

    from accounts.scope import resolve_scope
    from spaces import bookings
    from spaces.policy import Holder

    scope = resolve_scope(staff, {})
    refused: list[str] = []
    made: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def work(share):
        try:
            barrier.wait()
            for n, (start, end) in share:
                try:
                    made.append(
                        bookings.book(
                            staff, room, start, end, scope=scope, holder=Holder(), purpose=f"会议{n}"
                        ).pk
                    )
                except ValidationError as error:
                    refused.extend(error.messages)
        except BaseException as error:  # every failure is reported
            errors.append(error)
        finally:
            connections.close_all()

    numbered = list(enumerate(slots))
    workers = [threading.Thread(target=work, args=(numbered[i::threads],)) for i in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - started, made, refused, errors


def line(label: str, seconds: float, asked: int, made: list[int], refused: list[str], want_made: int) -> str:
    named = len(set(refused)) <= 1 and all(text.startswith(("It clashes with", "与")) for text in refused)
    ok = len(made) == want_made and len(made) + len(refused) == asked and named
    return (
        f"  {label:<22} {seconds:6.2f} s  {asked / seconds:7.0f} bookings/s   "
        f"{'ok' if ok else 'WRONG'}: {len(made)} made, {len(refused)} refused naming it"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--threads", type=int, default=40)
    args = parser.parse_args()
    os.chdir(ROOT)
    with migrated_database(BENCH_DB) as label:
        from django.utils import timezone

        staff, room = setup()
        print(f"booking race benchmark: {label}")
        base = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=2)
        errors: list[BaseException] = []

        print(f"the race: {args.requests} requests for the same hour")
        results = []
        for n, threads in enumerate((1, args.threads)):
            hour = (base + timedelta(hours=8 + n), base + timedelta(hours=9 + n))
            seconds, made, refused, errs = run(staff, room, [hour] * args.requests, threads)
            errors += errs
            results.append(seconds)
            name = "1 thread (reference)" if threads == 1 else f"{threads} threads at once"
            print(line(name, seconds, args.requests, made, refused, 1))
        print(f"  ratio: at once {results[0] / results[1]:.2f}x the single-thread rate")

        print(f"no race: {args.requests} requests for as many different ten minutes")
        results = []
        for n, threads in enumerate((1, args.threads)):
            day = base + timedelta(days=1 + n)
            halves = [
                (day + timedelta(minutes=10 * i), day + timedelta(minutes=10 * i + 10))
                for i in range(args.requests)
            ]
            seconds, made, refused, errs = run(staff, room, halves, threads)
            errors += errs
            results.append(seconds)
            name = "1 thread (reference)" if threads == 1 else f"{threads} threads at once"
            print(line(name, seconds, args.requests, made, refused, args.requests))
        print(f"  ratio: at once {results[0] / results[1]:.2f}x the single-thread rate")
        print(f"errors: {len(errors)}" + (f" e.g. {errors[0]!r}" if errors else ""))


if __name__ == "__main__":
    main()
