"""Benchmark: one run of the elderly watch's cutoff job over 100,000 watched residents.

    .venv/bin/python bench/bench_watch_cutoff.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_watch_cutoff.py

Sets up a throwaway database (see bench/harness.py) with 100,000 watched residents spread
over 1,000 committees (10 districts × 10 streets × 10 committees, 100 each), each watched
by one of the committee's 5 watchers, with one social worker per committee. Then times one
run of ``eldercare.cutoffs.run_cutoffs`` at 10:05, just after the day cutoff:

1. a realistic day: 97% of the curtains were seen, 3% missed (3,000 alerts to raise);
2. the worst case: nobody checked (100,000 alerts to raise, every watcher told);
3. the next step an hour later over the worst case (100,000 alerts climb to the social workers);
4. the last step two hours after that (100,000 alerts reach the families: every watched
   resident has a family contact's phone and no account, so the job queues 100,000 SMS as
   tasks of 2,000, written to the tasks backend);

then how long the worker's tasks take to send those SMS through the local SMS backend (the
job's own work around the gateway: 100,000 SMS recorded on their alerts one by one);

and, in the same run, two references: a plain ``bulk_create`` of 100,000 alert rows (the
least any job raising them must write) and one aggregate query over all the watches (the
least any job deciding who is late must read). Aim: each run under 10 s.
"""

from __future__ import annotations

import argparse
import os
import time as clock
from datetime import date, datetime, time, timedelta

from harness import ROOT, analyze, migrated_database

BENCH_DB = "mulin_bench_watch"
DAY = date(2026, 11, 24)


def _areas(districts: int, streets: int, committees: int):
    """The tree, bulk-inserted level by level: returns [(committee, building)]."""
    from areas.models import Area, AreaLevel

    def level(parents, per, lvl, official, prefix):
        rows = []
        for parent in parents:
            for n in range(1, per + 1):
                code = f"{parent.code}{n:03d}" if official else f"{parent.code}.{prefix}{n}"
                area = Area(
                    code=code, name=f"{parent.name[:20]}{lvl}{n}", level=lvl, parent=parent, official=official
                )
                area.fill_derived(parent)
                rows.append(area)
        return Area.objects.bulk_create(rows, batch_size=2000)

    city = Area(code="31", name="市", level=AreaLevel.CITY, official=True)
    city.fill_derived()
    city.save()
    ds = level([city], districts, AreaLevel.DISTRICT, True, "")
    ss = level(ds, streets, AreaLevel.STREET, True, "")
    cs = level(ss, committees, AreaLevel.COMMITTEE, True, "")
    gs = level(cs, 1, AreaLevel.BUILDING_GROUP, False, "L")
    bs = level(gs, 1, AreaLevel.BUILDING, False, "B")
    by_committee = {b.path.rsplit("/", 3)[0] + "/": b for b in bs}
    return [(c, by_committee[c.path]) for c in cs]


def setup(total: int, committees: int, watchers_per: int):
    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from eldercare.models import Watch, Watcher, WatcherKind
    from registry.models import Household, Resident

    side = round(committees ** (1 / 3)) or 1
    places = _areas(side, side, committees // (side * side))
    per = total // len(places)
    homes = Household.objects.bulk_create(
        [
            Household(building=b, committee=c, room=f"{n + 1:04d}", sort_key=f"{n + 1:08d}")
            for c, b in places
            for n in range(per)
        ],
        batch_size=5000,
    )
    people = Resident.objects.bulk_create(
        [
            Resident(committee_id=h.committee_id, household=h, name=f"老人{i}", birth_date=date(1940, 1, 1))
            for i, h in enumerate(homes)
        ],
        batch_size=5000,
    )
    users = User.objects.bulk_create(
        [
            User(phone=f"137{n:08d}", name=f"志愿者{n}", password="!")
            for n in range(len(places) * watchers_per)
        ]
        + [User(phone=f"136{n:08d}", name=f"社工{n}", password="!") for n in range(len(places))],
        batch_size=5000,
    )
    watchers, workers = users[: len(places) * watchers_per], users[len(places) * watchers_per :]
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=w, role=Role.SOCIAL_WORKER, area=c)
            for w, (c, _b) in zip(workers, places, strict=True)
        ]
    )
    watches = Watch.objects.bulk_create(
        [
            Watch(
                resident=p,
                committee_id=p.committee_id,
                checks_from=DAY - timedelta(days=30),
                family_name="女儿",
                family_phone=f"139{i:08d}",
            )
            for i, p in enumerate(people)
        ],
        batch_size=5000,
    )
    Watcher.objects.bulk_create(
        [
            Watcher(
                watch=w,
                user=watchers[(i // per) * watchers_per + i % watchers_per],
                kind=WatcherKind.VOLUNTEER,
            )
            for i, w in enumerate(watches)
        ],
        batch_size=5000,
    )
    return watches


def _at(hour: int, minute: int = 0) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(DAY, time(hour, minute)))


def _reset(checked_share: float, watches) -> None:
    from eldercare.models import Alert, Check
    from notifications.models import Notification

    # Raw deletes: Django's delete() would load every row to send its signals.
    for model in (Alert, Check, Notification):
        model.objects.all()._raw_delete(model.objects.db)
    every = round(1 / (1 - checked_share)) if checked_share < 1 else 0
    Check.objects.bulk_create(
        [
            Check(watch=w, day=DAY, slot="day", kind="curtains", at=_at(8))
            for i, w in enumerate(watches)
            if every and i % every
        ],
        batch_size=5000,
    )
    analyze()


def timed(fn):
    started = clock.perf_counter()
    result = fn()
    return clock.perf_counter() - started, result


def _send_texts() -> float:
    """What the worker does with the family step's queued tasks: run each (as the worker would)
    through the local SMS backend, timed; the tasks' rows are then cleared."""
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    from eldercare.telling import send_family_texts

    settings.SMS_BACKEND = "notifications.backends.LocmemSMSBackend"
    batches = [
        row.args_kwargs["args"][0]
        for row in DBTaskResult.objects.filter(task_path="eldercare.telling.text_families").order_by("pk")
    ]
    started = clock.perf_counter()
    for ids in batches:
        send_family_texts(ids)
    elapsed = clock.perf_counter() - started
    from notifications import backends

    backends.outbox.clear()
    DBTaskResult.objects.all().delete()
    return elapsed


def logged(fn):
    """``timed(fn)`` outside the block that suspends the audit log, as the job runs."""
    from audit.context import acting_as

    with acting_as(None, "job"):
        return timed(fn)


def _reference_insert(watches) -> float:
    from eldercare.models import Alert

    Alert.objects.all()._raw_delete(Alert.objects.db)
    rows = [
        Alert(
            watch=w,
            committee_id=w.committee_id,
            day=DAY,
            slot="day",
            raised_at=_at(10, 5),
            workers_due_at=_at(11, 5),
            family_due_at=_at(13, 5),
        )
        for w in watches
    ]
    seconds, _ = timed(lambda: Alert.objects.bulk_create(rows, batch_size=2000))
    return seconds


def _reference_aggregate() -> float:
    from django.db.models import Count, Exists, OuterRef, Q

    from eldercare.models import Check, Watch

    def query():
        return Watch.objects.annotate(
            done=Exists(Check.objects.filter(watch=OuterRef("pk"), day=DAY, slot="day"))
        ).aggregate(late=Count("pk", filter=Q(done=False)))

    return timed(query)[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--watched", type=int, default=100_000)
    parser.add_argument("--committees", type=int, default=1000)
    parser.add_argument("--watchers", type=int, default=5, help="watchers per committee")
    args = parser.parse_args()
    os.chdir(ROOT)
    with migrated_database(BENCH_DB) as label:
        from audit.context import suspended
        from eldercare.cutoffs import run_cutoffs

        print(f"elderly watch cutoff benchmark: {label}")
        started = clock.perf_counter()
        # The set-up and the resets are not measured and write nothing to the audit log; the
        # job's runs do, as in production (an entry per alert raised and per step up).
        with suspended():
            watches = setup(args.watched, args.committees, args.watchers)
            print(
                f"{len(watches):,} watched residents in {args.committees:,} committees, "
                f"set up in {clock.perf_counter() - started:.0f} s"
            )
            # A worker process has its URLconf and translations loaded after its first job; the
            # first reverse() here imports every view module (about 2 s), which is not the job's.
            from django.urls import reverse

            reverse("eldercare:mine")
            results = {}
            _reset(0.97, watches)
            aggregate = _reference_aggregate()  # over the same data as the realistic run
            results["realistic"] = logged(lambda: run_cutoffs(_at(10, 5)))
            _reset(0.0, watches)
            results["worst"] = logged(lambda: run_cutoffs(_at(10, 5)))
            results["climb"] = logged(lambda: run_cutoffs(_at(11, 5)))
            results["family"] = logged(lambda: run_cutoffs(_at(13, 5)))
            texts = logged(_send_texts)[1]
            insert = _reference_insert(watches)
            for name, words in (
                ("realistic", "realistic day (97% checked) "),
                ("worst", "worst case (nobody checked)  "),
                ("climb", "an hour later: all to workers"),
                ("family", "then: all to the families   "),
            ):
                seconds, summary = results[name]
                print(f"{words} {seconds:6.2f} s per run   {summary}")
            print(f"the queued family SMS, sent by the worker's tasks: {texts:6.2f} s (local SMS backend)")
            print(f"reference: bulk insert of {len(watches):,} alert rows {insert:6.2f} s")
            print(f"reference: one aggregate query over all watches   {aggregate:6.2f} s")
            worst = results["worst"][0]
            print(
                f"ratio: worst case {worst / insert:.1f}x the bare insert, "
                f"realistic day {results['realistic'][0] / aggregate:.1f}x the bare aggregate query"
            )


if __name__ == "__main__":
    main()
