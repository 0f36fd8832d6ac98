"""Benchmark: volunteers claiming the places of one shift at once, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/shift_claims.py
    .venv/bin/python bench/shift_claims.py        # SQLite: one writer at a time

Sets up a throwaway database (see bench/harness.py) with one committee, its social worker and
400 volunteers with accounts. Then, for a fresh shift each time:

1. one thread: 200 volunteers press "I'll do it" one after another for 20 places (the
   reference: no contention);
2. 200 volunteers press it at once from ``--threads`` threads, each thread with its own
   database connection, for 20 places;

and prints claims/s (every press answered: a place, or "all places are taken") for both,
the ratio, and checks that exactly 20 got a place, the counter says 20, every other press
was told the shift is full, and nothing else went wrong. The same two runs follow with as
many places as volunteers (every press wins a place: the conditional UPDATE's own cost).

PostgreSQL here allows 100 connections, shared with other work: 40 threads by default.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from datetime import timedelta

from harness import ROOT, migrated_database

from common.scope import NO_SCOPE

BENCH_DB = "mulin_bench_shift_claims"


def setup(people: int):
    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from areas.models import Area, AreaLevel
    from volunteers.models import Volunteer

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
    users = User.objects.bulk_create(
        [User(phone=f"1360{n:07d}", name=f"志愿者{n}", password="!") for n in range(people)], batch_size=500
    )
    Volunteer.objects.bulk_create(
        [Volunteer(committee=committee, user=u, name=u.name, kind="resident", phone=u.phone) for u in users],
        batch_size=500,
    )
    staff = User.objects.create_user("13800000001", "bench-password-1", name="社工")
    RoleGrant.objects.create(user=staff, role=Role.SOCIAL_WORKER, area=committee)
    return staff, list(Volunteer.objects.filter(user__in=users).select_related("user").order_by("pk"))


def new_shift(staff, places: int, n: int):
    from django.utils import timezone

    from accounts.scope import resolve_scope
    from volunteers import shift_posting

    # Each run a day apart, so that no volunteer's claims overlap.
    start = timezone.now() + timedelta(days=2 + n)
    draft = shift_posting.ShiftDraft("理发摊", "小区广场", start, start + timedelta(hours=2), places)
    return shift_posting.post_shift(staff, draft, scope=resolve_scope(staff, {}))


def run(shift, people, threads: int) -> tuple[float, list[str], list[BaseException]]:
    from django.core.exceptions import ValidationError
    from django.db import connections

    from volunteers import shifts

    refused: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def work(share):
        try:
            barrier.wait()
            for person in share:
                try:
                    shifts.claim(person.user, shift, scope=NO_SCOPE)
                except ValidationError as error:
                    refused.extend(error.messages)
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
    return time.perf_counter() - started, refused, errors


def check(shift, places: int, total: int, refused: list[str]) -> str:
    from django.utils.translation import gettext

    from volunteers.models import Shift, ShiftClaim

    claims = ShiftClaim.objects.filter(shift=shift).count()
    taken = Shift.objects.get(pk=shift.pk).taken
    # In the language the threads spoke (the default: they activate none).
    full = gettext("All %(n)d places of this shift are taken.") % {"n": places}
    ok = claims == taken == min(places, total) and refused == [full] * (total - claims)
    return f"{'ok' if ok else 'WRONG'}: {claims} claimed (counter {taken}), {len(refused)} told it is full"


def contest(staff, volunteers, places: int, threads: int, n: int, label: str) -> list[BaseException]:
    people = len(volunteers) // 2
    first, second = volunteers[:people], volunteers[people:]
    print(
        f'{label}: {people} volunteers press "I\'ll do it" for {places} places, each in its own transaction'
    )
    quiet = new_shift(staff, places, n)
    alone, refused, errors = run(quiet, first, 1)
    print(
        f"  1 thread (reference)   {alone:6.2f} s  {people / alone:7.0f} claims/s   "
        f"{check(quiet, places, people, refused)}"
    )
    busy = new_shift(staff, places, n + 1)
    crowd, refused2, errors2 = run(busy, second, threads)
    print(
        f"  {threads} threads at once    {crowd:6.2f} s  {people / crowd:7.0f} claims/s   "
        f"{check(busy, places, people, refused2)}"
    )
    print(f"  ratio: at once {alone / crowd:.2f}x the single-thread rate")
    return errors + errors2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--places", type=int, default=20)
    parser.add_argument("--threads", type=int, default=40)
    args = parser.parse_args()
    os.chdir(ROOT)
    with migrated_database(BENCH_DB) as label:
        staff, volunteers = setup(args.people * 2)
        print(f"shift claims benchmark: {label}")
        errors = contest(staff, volunteers, args.places, args.threads, 0, "the contest")
        errors += contest(staff, volunteers, args.people, args.threads, 10, "a place for everyone")
        print(f"errors: {len(errors)}" + (f" e.g. {errors[0]!r}" if errors else ""))


if __name__ == "__main__":
    main()
