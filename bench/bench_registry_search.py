"""Benchmark: resident search over a committee of about 10,000 residents; p50/p95/max.

    .venv/bin/python bench/bench_registry_search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_registry_search.py

Sets up a throwaway database (see bench/harness.py) with 慧芝湖花园居委会's 37 building groups
and 74 buildings, imports a made-up census of 3,429 households (about 10,000 residents,
demo/census.py) and a second committee of the same size, so scoping has something to
exclude. Then runs a mix of searches as the committee's social worker would type them —
part of a name, full pinyin, initials, four digits of a phone, a room, building-room, a
whole identity number — measuring each search twice:

1. ``registry.selectors.search_residents`` alone (the database work);
2. the whole search page through Django's test client (middleware, scope, template).

Prints p50, p95 and max in milliseconds for each kind of query and overall. The aim:
p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, percentile, throwaway_database

BENCH_DB = "mulin_bench_search"


def setup():
    """Two committees of 37 building groups (74 buildings) and 3,429 households each."""
    from datetime import date

    from demo.census import PeopleMaker, doors_of, make_committee, write_census_csv
    from demo.registry import FAMILIES
    from registry.census.importer import import_census

    committees = []
    for code, name, seed in (("310106019016", "慧芝湖花园居委会", 16), ("310106019001", "延长新村居委会", 1)):
        committee, buildings = make_committee(code, name)
        maker = PeopleMaker(seed, date(2026, 11, 1))
        rows = [
            row for door in doors_of(buildings, 3429, maker.rng) for row in maker.household(door, FAMILIES)
        ]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "census.csv"
            write_census_csv(path, rows)
            report = import_census(committee, path, apply=True)
            assert report.ok, report.problems[:3]
        committees.append(committee)
    return committees[0]


def queries(committee, rng: random.Random) -> dict[str, list[str]]:
    from registry import crypto
    from registry.models import Resident

    people = list(
        Resident.objects.filter(committee=committee).select_related("household__building").order_by("?")[:400]
    )
    return {
        "part of a name": [p.name[1:] or p.name for p in people[:60]],
        "full name": [p.name for p in people[60:120]],
        "full pinyin": [p.pinyin for p in people[120:180]],
        "initials": [p.initials for p in people[180:240]],
        "4 phone digits": [p.phone[-4:] for p in people[240:330] if p.phone][:60],
        "room": [p.household.room for p in people[330:360]],
        "building-room": [
            f"{p.household.building.name.removesuffix('号楼')}-{p.household.room}" for p in people[360:390]
        ],
        "whole ID number": [crypto.decrypt(p.id_cipher) for p in people[390:400]],
    }


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mulin.settings")
    os.environ["DEBUG"] = "0"
    with throwaway_database(BENCH_DB) as where:
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from accounts.roles import Role
        from accounts.scope import resolve_scope
        from registry.models import Resident
        from registry.selectors import search_residents
        from tests.factories import UserFactory, grant, login_verified

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        committee = setup()
        total = Resident.objects.filter(committee=committee).count()
        print(f"resident search benchmark: {total:,} residents in {committee.name} (and as many next door)")
        print(f"database: {where}; set up in {time.perf_counter() - started:.0f} s")
        user = UserFactory.create(name="社工", home_area=committee)
        grant(user, Role.SOCIAL_WORKER, committee)
        scope = resolve_scope(user, {})
        client = Client()
        login_verified(client, user)
        client.get("/registry/search/", {"q": "热身"})
        mix = queries(committee, random.Random(7))
        everything: dict[str, list[float]] = {"selector": [], "page": []}
        print(
            f"\n{'query':<18} {'n':>4}  {'selector p50/p95/max ms':>25}  "
            f"{'page p50/p95/max ms':>22}  {'hits':>5}"
        )
        for kind, texts in mix.items():
            timings: dict[str, list[float]] = {"selector": [], "page": []}
            hits = 0
            for text in texts:
                start = time.perf_counter()
                found = search_residents(scope, text, by_identity=True)
                timings["selector"].append((time.perf_counter() - start) * 1000)
                hits += len(found)
                start = time.perf_counter()
                response = client.post("/registry/search/", {"q": text})  # the form posts
                timings["page"].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            cells = []
            for key in ("selector", "page"):
                values = sorted(timings[key])
                everything[key] += values
                cells.append(
                    f"{statistics.median(values):6.1f} {percentile(values, 0.95):6.1f} {values[-1]:6.1f}"
                )
            print(f"{kind:<18} {len(texts):>4}  {cells[0]:>25}  {cells[1]:>22}  {hits / len(texts):5.1f}")
        print()
        for key, values in everything.items():
            values.sort()
            print(
                f"all {len(values)} searches, {key}: p50 {statistics.median(values):.1f} ms, "
                f"p95 {percentile(values, 0.95):.1f} ms, max {values[-1]:.1f} ms"
            )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
