"""Benchmark: the resident home page (requests/s) against a trivial view on the same server.

    .venv/bin/python bench/bench_resident_home.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_resident_home.py

Sets up a throwaway database (see bench/harness.py) with one committee of 37 building groups
and about 10,000 residents (demo/census.py), 600 published notices aimed at the committee,
at building groups, at buildings and at tagged residents, with reads, and one resident with
a verified account. Starts gunicorn (2 sync workers, as on a 2-core machine) and, from 4
client threads over keep-alive connections, requests for a fixed time:

1. ``/healthz`` — a trivial view: the server's and the framework's own cost;
2. ``/`` as the logged-in resident — session, scope, their notices (pinned first, tags
   filtered), their unread messages, the page frame.

Prints requests/s and p50/p95 latency of each, and the ratio home/trivial.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from harness import ROOT, compare, gunicorn, load, migrated_database

BENCH_DB = "mulin_bench_home"


def setup(notices: int) -> str:
    """The data, and the session cookie of the resident."""
    from datetime import date, timedelta

    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from areas.models import Area, AreaLevel
    from demo.census import PeopleMaker, doors_of, make_committee, write_census_csv
    from demo.registry import FAMILIES
    from notices.models import Notice, NoticeRead, NoticeTarget
    from registry.census.importer import import_census
    from registry.models import Resident

    committee, buildings = make_committee("310106019016", "慧芝湖花园居委会")
    maker = PeopleMaker(16, date(2026, 11, 1))
    rows = [row for door in doors_of(buildings, 3429, maker.rng) for row in maker.household(door, FAMILIES)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "census.csv"
        write_census_csv(path, rows)
        assert import_census(committee, path, apply=True).ok
    groups = list(Area.objects.subtree(committee).filter(level=AreaLevel.BUILDING_GROUP))
    buildings = list(Area.objects.subtree(committee).filter(level=AreaLevel.BUILDING).order_by("path"))
    rng = random.Random(4)
    now = timezone.now()
    made = []
    for i in range(notices):
        kind = i % 4
        target = committee if kind == 0 else rng.choice(groups if kind in (1, 3) else buildings)
        notice = Notice(
            area=committee,
            category=("announcement", "news", "health")[i % 3],
            title=f"通知 {i}",
            body="内容" * 50,
            publish_at=now - timedelta(hours=i),
            pinned=i % 50 == 0,
            target_tags="|living_alone|" if kind == 3 else "",
            delivered_at=now,
        )
        made.append((notice, target))
    Notice.objects.bulk_create([n for n, _t in made])
    NoticeTarget.objects.bulk_create([NoticeTarget(notice=n, area=t) for n, t in made])
    person = Resident.objects.living().filter(household__building=buildings[0]).first()
    assert person is not None  # the census above put residents in every building
    user = User.objects.create_user(
        "13900009999", "bench-password-1", name=person.name, home_area=buildings[0]
    )
    person.user = user
    person.save(update_fields=["user"])
    NoticeRead.objects.bulk_create(
        [NoticeRead(notice=n, resident=person, how="online") for n, _t in made[::3]], ignore_conflicts=True
    )
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    os.chdir(ROOT)
    with migrated_database(BENCH_DB) as label:
        started = time.perf_counter()
        cookie = setup(args.notices)
        from django.db import connections

        connections.close_all()
        print(f"resident home benchmark: {label}")
        print(
            f"(set up 10,000 residents and {args.notices} notices in {time.perf_counter() - started:.0f} s)"
        )
        with gunicorn() as port:
            load(port, "/", cookie, 2, args.threads)  # warm both workers
            trivial, page = compare(
                port,
                [("trivial /healthz", "/healthz", ""), ("resident home /", "/", cookie)],
                args.seconds,
                args.threads,
            )
            print(
                f"ratio: the resident home serves {page / trivial:.2f}x the trivial view's rate "
                f"({trivial / page:.1f}x slower)"
            )


if __name__ == "__main__":
    main()
