"""Benchmark: sign-ups per second for one activity under contention, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_activity_signup.py
    .venv/bin/python bench/bench_activity_signup.py        # SQLite: one writer at a time

Sets up a throwaway database (see bench/harness.py) with one committee and 2,000 residents,
each with an account. Then, for a fresh activity of 200 places each time:

1. one thread signs up 1,000 residents one after another (the reference: no contention);
2. 32 threads sign up 1,000 residents at once, all waiting on the activity's row lock;

and prints sign-ups/s for both, the ratio, and checks that exactly 200 got a place and the
other 800 wait, numbered in order, with no errors.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from datetime import date, timedelta

from harness import ROOT, migrated_database

from common.scope import NO_SCOPE

BENCH_DB = "mulin_bench_signup"


def setup(people: int):
    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from areas.models import Area, AreaLevel
    from demo.census import make_committee
    from registry.models import Household, Resident

    committee, _names = make_committee("310106019001", "延长新村居委会", groups=10, per_group=2)
    building = Area.objects.subtree(committee).filter(level=AreaLevel.BUILDING).first()
    homes = Household.objects.bulk_create(
        [Household(building=building, committee=committee, room=f"{n + 1:04d}") for n in range(people // 4)]
    )
    users = User.objects.bulk_create(
        [User(phone=f"1370{n:07d}", name=f"居民{n}", password="!") for n in range(people)], batch_size=500
    )
    residents = Resident.objects.bulk_create(
        [
            Resident(
                committee=committee,
                household=homes[n // 4],
                name=f"居民{n}",
                relation="householder" if n % 4 == 0 else "child",
                birth_date=date(1960, 1, 1),
                user=users[n],
            )
            for n in range(people)
        ],
        batch_size=500,
    )
    staff = User.objects.create_user("13800000001", "bench-password-1", name="社工")
    RoleGrant.objects.create(user=staff, role=Role.SOCIAL_WORKER, area=committee)
    return staff, list(
        Resident.objects.filter(pk__in=[r.pk for r in residents]).select_related(
            "household__building", "user"
        )
    )


def new_activity(staff, places: int):
    from django.utils import timezone

    from accounts.scope import resolve_scope
    from activities import services
    from activities.services import ActivityDraft

    scope = resolve_scope(staff, {})
    start = timezone.now() + timedelta(days=1)
    [activity] = services.create_activity(
        staff, scope, ActivityDraft("书法班", "活动室", start, start + timedelta(hours=2), capacity=places)
    )
    return services.publish_activity(scope, activity)


def run(activity, people, threads: int) -> tuple[float, list[BaseException]]:
    from django.db import connections

    from activities import signups

    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def work(share):
        try:
            barrier.wait()
            for person in share:
                signups.register(person.user, person, activity, scope=NO_SCOPE)
        except BaseException as error:  # every failure is reported
            errors.append(error)
        finally:
            connections.close_all()

    shares = [people[i::threads] for i in range(threads)]
    workers = [threading.Thread(target=work, args=(share,)) for share in shares]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - started, errors


def check(activity, places: int, total: int) -> str:
    from activities import signups
    from activities.models import Signup

    rows = list(Signup.objects.filter(activity=activity).order_by("pk"))
    statuses = [s.status for s in rows]
    ok = statuses == ["confirmed"] * places + ["waiting"] * (total - places)
    last = signups.waiting_position(rows[-1]) if rows else None
    places_taken, waiting = statuses.count("confirmed"), statuses.count("waiting")
    return f"{'ok' if ok else 'WRONG'}: {places_taken} places, {waiting} waiting (last is number {last})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--places", type=int, default=200)
    parser.add_argument("--threads", type=int, default=32)
    args = parser.parse_args()
    os.chdir(ROOT)
    with migrated_database(BENCH_DB) as label:
        staff, everyone = setup(args.people * 2)
        print(f"activity sign-up benchmark: {label}")
        print(f"{args.people:,} sign-ups for {args.places} places, each in its own transaction")
        first, second = everyone[: args.people], everyone[args.people :]
        quiet = new_activity(staff, args.places)
        alone, errors = run(quiet, first, 1)
        print(
            f"1 thread (reference)       {alone:6.2f} s  {args.people / alone:7.0f} sign-ups/s   "
            f"{check(quiet, args.places, args.people)}"
        )
        busy = new_activity(staff, args.places)
        crowd, errors2 = run(busy, second, args.threads)
        print(
            f"{args.threads} threads at once        {crowd:6.2f} s  {args.people / crowd:7.0f} sign-ups/s   "
            f"{check(busy, args.places, args.people)}"
        )
        print(
            f"errors: {len(errors) + len(errors2)}"
            + (f" e.g. {(errors + errors2)[0]!r}" if errors or errors2 else "")
        )
        print(f"ratio: under contention {alone / crowd:.2f}x the single-thread rate")


if __name__ == "__main__":
    main()
