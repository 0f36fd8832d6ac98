"""Benchmark: the social worker's today page (requests/s) against a trivial view on the same server.

    .venv/bin/python bench/bench_today_page.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_today_page.py

Sets up a throwaway database (see bench/harness.py) with one committee the size of 慧芝湖花园
(37 building groups, 3,429 households, about 10,000 residents, through the census import),
and a working day in it for one social worker:

- the elderly watch: every resident aged 80+ or tagged living alone watched (several
  hundred), most checked this morning, the rest raised as alerts by the real cutoff job,
  some of them escalated;
- requests: 400 over the past months, most resolved, 60 open and assigned to this worker
  (a third of them overdue), 15 new and waiting to be assigned;
- a visit plan for the quarter split between two workers, 1,500 households already visited;
- three activities today.

Starts gunicorn (2 sync workers, DEBUG off, as on a 2-core machine) and, from 4 client
threads over keep-alive connections, requests for a fixed time:

1. ``/healthz`` — a trivial view: the server's and the framework's own cost;
2. ``/today/`` as the social worker — session, TOTP, scope, and the four parts of the page.

Prints requests/s and p50/p95 latency of each, and the ratio today/trivial.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from harness import ROOT, analyze, compare, gunicorn, load, migrated_database

BENCH_DB = "mulin_bench_today"
PROFILE_COOKIE: list[str] = []


def work_requests(worker, scope, residents, categories, now, rng, *, new=15, open_=60, overdue=20) -> None:
    """A request from each resident, logged by the worker: the first ``new`` wait to be
    assigned, the next ``open_`` are assigned to the worker and open (the first ``overdue``
    of them past their due time), the rest resolved. Through the services, as the staff pages."""
    from datetime import timedelta

    from demands import services as demands
    from demands.models import Assignee, Demand, DemandSource

    for i, person in enumerate(residents):
        demand = demands.log_for_resident(
            actor=worker,
            scope=scope,
            resident=person,
            category=rng.choice(categories),
            text=f"诉求 {i}：楼道灯不亮，晚上出门不方便。",
            source=DemandSource.PHONE,
        )
        if i < new:
            continue
        demands.assign(actor=worker, scope=scope, demand=demand, kind=Assignee.WORKER, worker=worker)
        if i < new + open_:
            if i < new + overdue:
                Demand.objects.filter(pk=demand.pk).update(due_at=now - timedelta(hours=rng.randint(1, 72)))
            continue
        demands.resolve(actor=worker, scope=scope, demand=demand, resolution="已处理。")


def setup() -> str:
    """The data, and the session cookie of the social worker (two-factor step passed)."""
    from datetime import date, datetime, timedelta
    from datetime import time as clock

    from django.conf import settings
    from django.test import Client
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from accounts.scope import scope_for_grant
    from activities.models import Activity
    from areas.models import Area, AreaLevel
    from demands.models import Category, Demand, DemandStatus
    from demo.census import PeopleMaker, doors_of, make_committee, write_census_csv
    from demo.registry import FAMILIES
    from eldercare.cutoffs import run_cutoffs
    from eldercare.models import Check, CheckKind, Slot, Watch, Watcher, WatcherKind
    from registry.census.importer import import_census
    from registry.models import Household, Resident, Tag, tag_q
    from visits.models import Visit
    from visits.services import PlanDraft, create_plan

    committee, buildings = make_committee("310106019016", "慧芝湖花园居委会")
    maker = PeopleMaker(16, date(2026, 11, 1))
    rows = [row for door in doors_of(buildings, 3429, maker.rng) for row in maker.household(door, FAMILIES)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "census.csv"
        write_census_csv(path, rows)
        assert import_census(committee, path, apply=True).ok

    rng = random.Random(6)
    now = timezone.now()
    today = timezone.localdate(now)
    worker = User.objects.create_user("13800009991", "bench-password-1", name="孙社工", home_area=committee)
    colleague = User.objects.create_user(
        "13800009992", "bench-password-1", name="林社工", home_area=committee
    )
    leader = User.objects.create_user("13800009993", "bench-password-1", name="周楼组长", home_area=committee)
    for user in (worker, colleague):
        RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER, area=committee)
    device = TOTPDevice.objects.create(user=worker, name="default", confirmed=True)
    scope = scope_for_grant(worker.grant_list[0])

    # The elderly watch: every 80+ or living-alone resident; checks this morning for most.
    tagged = Resident.objects.living().filter(committee=committee)
    tagged = tagged.filter(tag_q(Tag.AGED_80) | tag_q(Tag.LIVING_ALONE))
    people = Resident.objects.filter(pk__in=tagged.values("pk")).order_by("pk")
    watches = Watch.objects.bulk_create(
        [
            Watch(
                resident=p,
                committee=committee,
                checks_from=today - timedelta(days=30),
                family_phone="13900000000",
            )
            for p in people
        ]
    )
    Watcher.objects.bulk_create(
        [Watcher(watch=w, user=leader, kind=WatcherKind.BUILDING_LEADER) for w in watches]
    )
    morning = timezone.make_aware(datetime.combine(today, clock(8, 30)))
    Check.objects.bulk_create(
        [
            Check(watch=w, day=today, slot=Slot.DAY, kind=CheckKind.CURTAINS, at=morning, by=leader)
            for w in watches
            if rng.random() < 0.95
        ]
    )
    cutoff_run = run_cutoffs(max(now, timezone.make_aware(datetime.combine(today, clock(13, 0)))))

    # Requests: 400, most resolved; 60 open with this worker (20 overdue); 15 new.
    categories = list(Category.objects.filter(committee=None))
    residents = list(Resident.objects.living().filter(committee=committee).order_by("?")[:400])
    work_requests(worker, scope, residents, categories, now, rng)
    assert Demand.objects.exclude(status__in=[DemandStatus.RESOLVED, DemandStatus.CLOSED]).count() >= 75

    # A visit plan for the quarter, split between the two workers; 1,500 households visited.
    create_plan(
        worker,
        scope,
        PlanDraft(
            title="第四季度四百走访",
            starts_on=today - timedelta(days=40),
            ends_on=today + timedelta(days=50),
            workers=[worker, colleague],
        ),
    )
    households = list(Household.objects.filter(committee=committee).order_by("?")[:1500])
    Visit.objects.bulk_create(
        [
            Visit(
                household=h,
                visited_on=today - timedelta(days=rng.randint(0, 39)),
                findings="身体尚好。",
                recorded_by=rng.choice([worker, colleague]),
            )
            for h in households
        ]
    )

    for hour in (9, 14, 19):
        start = timezone.make_aware(datetime.combine(today, clock(hour, 0)))
        Activity.objects.create(
            committee=committee,
            title=f"活动 {hour} 点",
            place="活动室",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            published_at=start - timedelta(days=3),
        )
    print(
        f"(watching {len(watches)} residents, {cutoff_run.raised} alerts raised by the cutoff job; "
        f"{Demand.objects.count()} requests; {Visit.objects.count()} visits; "
        f"{Area.objects.filter(level=AreaLevel.BUILDING, path__startswith=committee.path).count()} buildings)"
    )

    analyze()
    client = Client()
    client.force_login(worker)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.get("/today/")
    assert response.status_code == 200, response.status_code
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def time_parts(rounds: int = 5) -> None:
    """Each selector of the page on its own, in this process: where the time goes."""
    from django.utils import timezone

    from accounts.models import User
    from accounts.scope import scope_for_grant
    from activities.selectors import today_in
    from demands.selectors import due_for, queue_counts
    from eldercare.selectors import attention, my_watch
    from visits.selectors import planned_for

    user = User.objects.get(phone="13800009991")
    scope = scope_for_grant(user.grant_list[0])
    now = timezone.now()
    day = timezone.localdate(now)
    parts = {
        "eldercare attention": lambda: attention(scope, now=now),
        "eldercare my_watch": lambda: my_watch(user, now=now),
        "demands due_for": lambda: due_for(user, scope, now=now),
        "demands queue_counts": lambda: queue_counts(scope, now=now),
        "visits planned_for": lambda: planned_for(user, scope, today=day),
        "activities today_in": lambda: today_in(scope, day),
    }
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = PROFILE_COOKIE[0]
    parts["the whole page"] = lambda: client.get("/today/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, part in parts.items():
        started = time.perf_counter()
        for _ in range(rounds):
            part()
        elapsed = (time.perf_counter() - started) / rounds * 1000
        with CaptureQueriesContext(connection) as queries:
            part()
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
        print(f"  {name:<22} {elapsed:8.1f} ms  {len(queries):3d} queries", end="")
        print(f"  (slowest {float(slowest['time']) * 1000:.0f} ms)" if slowest else "")
        if os.environ.get("BENCH_SQL") and slowest:
            print("     ", slowest["sql"][:1500])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--parts", action="store_true", help="also time each part of the page alone")
    args = parser.parse_args()
    os.chdir(ROOT)
    with migrated_database(BENCH_DB) as label:
        print(f"today page benchmark: {label}")
        started = time.perf_counter()
        cookie = setup()
        print(f"(set up in {time.perf_counter() - started:.0f} s)")
        if args.parts:
            PROFILE_COOKIE.append(cookie)
            time_parts()
        from django.db import connections

        connections.close_all()
        with gunicorn() as port:
            load(port, "/today/", cookie, 2, args.threads)  # warm both workers
            trivial, page = compare(
                port,
                [("trivial /healthz", "/healthz", ""), ("today page /today/", "/today/", cookie)],
                args.seconds,
                args.threads,
            )
            print(
                f"ratio: the today page serves {page / trivial:.2f}x the trivial view's rate "
                f"({trivial / page:.1f}x slower)"
            )


if __name__ == "__main__":
    main()
