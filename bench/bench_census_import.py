"""Benchmark: the census import against a raw bulk insert of the same rows, in the same run.

    .venv/bin/python bench/bench_census_import.py                  # SQLite, a temp file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_census_import.py
    .venv/bin/python bench/bench_census_import.py --residents 20000  # a quicker run

Sets up a throwaway database (see bench/harness.py) with one committee of 400 buildings,
writes a made-up census of about 100,000 residents (demo/census.py) as .csv and as .xlsx
(shared strings and date cells, as Excel saves it), then measures, each once:

1. ``import_census`` of the CSV into an empty registry (parse, check, encrypt, write);
2. a raw ``executemany`` INSERT of exactly the rows that import wrote (households,
   residents, residences, tags: read back, deleted, inserted again in one transaction):
   the floor for getting those rows into this database at all;
3. ``import_census`` of the XLSX into an empty registry;
4. the same XLSX again, which changes nothing;
5. peak memory (max RSS) of a dry run in a fresh process for 10%, 50% and 100% of the
   rows, from CSV and from XLSX, into an empty twin committee (so every row is written, then
   rolled back): flat means memory does not grow with the file;
6. the two .xlsx readers alone, each in a fresh process: every row of the 10%, 50% and 100%
   files read by the streaming reader (what imports .xlsx) and by python-calamine (what
   imports .xls and .ods), time and memory growth side by side.

Prints rows/s, the ratios import/raw, and the memory tables. Figures of both readers are in
docs/registry.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, throwaway_database

BENCH_DB = "mulin_bench_census"
BUILDINGS = 400
GROUPS = 40


def setup_committee(code: str = "310106019016", name: str = "慧芝湖花园居委会"):
    from demo.census import make_committee

    return make_committee(code, name, groups=GROUPS, per_group=BUILDINGS // GROUPS)


def write_files(folder: Path, buildings, residents: int) -> dict[str, Path]:
    """Census files of 10%, 50% and 100% of ``residents`` people (households of 2.3 on average)."""
    from demo.census import census_rows, write_census_csv, write_census_xlsx

    households = int(residents / 2.3)
    rows = list(census_rows(buildings, households, seed=7))[:residents]
    files = {}
    for share in (10, 50, 100):
        part = rows[: len(rows) * share // 100]
        # Cut at a household boundary so every door keeps its householder.
        while part and part[-1][9] != "户主" and len(part) < len(rows) and rows[len(part)][9] != "户主":
            part = part[:-1]
        files[f"csv{share}"] = folder / f"census{share}.csv"
        files[f"xlsx{share}"] = folder / f"census{share}.xlsx"
        write_census_csv(files[f"csv{share}"], part)
        write_census_xlsx(files[f"xlsx{share}"], part)
    return files


def registry_tables():
    from registry.models import Household, Residence, Resident, ResidentTag

    return [Household, Resident, Residence, ResidentTag]


def snapshot():
    """Every row the import wrote, table by table, as the raw insert will write them again."""
    return [
        (
            model,
            list(model.objects.order_by("pk").values_list(*[f.attname for f in model._meta.concrete_fields])),
        )
        for model in registry_tables()
    ]


def empty_registry():
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for model in reversed(registry_tables()):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def raw_insert(tables) -> float:
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for model, rows in tables:
            fields = model._meta.concrete_fields
            sql = "INSERT INTO {} ({}) VALUES ({})".format(
                quote(model._meta.db_table),
                ", ".join(quote(f.column) for f in fields),
                ", ".join(["%s"] * len(fields)),
            )
            cursor.executemany(sql, rows)
    return time.perf_counter() - start


def timed_import(committee, path: Path, apply: bool = True):
    from registry.census.importer import import_census

    start = time.perf_counter()
    report = import_census(committee, path, apply=apply)
    elapsed = time.perf_counter() - start
    if not report.ok:
        raise SystemExit(f"{path.name}: {report.problem_count} problems, e.g. {report.problems[:3]}")
    return report, elapsed


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def child(path: str, code: str) -> None:
    """In a fresh process: a dry run of one file; print the resident memory before it and the
    peak during it (Linux's VmHWM, reset just before the import starts)."""
    import django

    django.setup()
    from areas.models import Area
    from registry.names import name_pinyin

    name_pinyin("预热")
    committee = Area.objects.get(code=code)
    committee.path  # noqa: B018 - loaded before the measurement
    before = _status_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark to the current RSS
    report, elapsed = timed_import(committee, Path(path), apply=False)
    peak = _status_kb("VmHWM")
    print(json.dumps({"rows": report.rows, "before_kb": before, "after_kb": peak, "seconds": elapsed}))


def read_child(reader: str, path: str) -> None:
    """In a fresh process: every row of an .xlsx read by one reader; time and peak growth."""
    import django

    django.setup()
    from registry.census.sheets import read_workbook, read_xlsx

    before = _status_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    started = time.perf_counter()
    rows = read_xlsx(Path(path)) if reader == "streaming" else read_workbook(Path(path), "xlsx")
    count = sum(1 for _row in rows)
    elapsed = time.perf_counter() - started
    growth = _status_kb("VmHWM") - before
    print(json.dumps({"rows": count, "seconds": elapsed, "growth_kb": growth}))


def reader_table(files: dict[str, Path]) -> None:
    print("\nthe .xlsx readers alone, every row, each in a fresh process (growth: peak RSS minus before):")
    print(f"  {'file':<9} {'size':>7}   {'streaming':>20}   {'calamine':>20}")
    for share in (10, 50, 100):
        path = files[f"xlsx{share}"]
        cells = []
        for reader in ("streaming", "calamine"):
            out = subprocess.run(
                [sys.executable, __file__, "--read", reader, str(path)],
                capture_output=True,
                text=True,
                env=os.environ,
                check=True,
            ).stdout
            data = json.loads(out.strip().splitlines()[-1])
            cells.append(f"{data['seconds']:6.2f} s {data['growth_kb'] / 1024:7.1f} MB")
        size = path.stat().st_size / 2**20
        print(f"  {'xlsx' + str(share) + '%':<9} {size:5.1f}MB   {cells[0]:>20}   {cells[1]:>20}")


def memory_table(files: dict[str, Path], code: str) -> None:
    print(
        "\npeak memory of a dry run in a fresh process "
        "('growth': the peak during the import minus the RSS before it):"
    )
    print(f"  {'file':<8} {'rows':>8} {'file size':>10} {'peak':>9} {'growth':>9} {'rows/s':>9}")
    for kind in ("csv", "xlsx"):
        for share in (10, 50, 100):
            path = files[f"{kind}{share}"]
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(path), "--committee", code],
                capture_output=True,
                text=True,
                env=os.environ,
                check=True,
            ).stdout
            data = json.loads(out.strip().splitlines()[-1])
            growth = (data["after_kb"] - data["before_kb"]) / 1024
            print(
                f"  {kind + str(share) + '%':<8} {data['rows']:>8,} {path.stat().st_size / 2**20:>8.1f}MB "
                f"{data['after_kb'] / 1024:>7.0f}MB {growth:>7.1f}MB {data['rows'] / data['seconds']:>9,.0f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--committee", help=argparse.SUPPRESS)
    parser.add_argument("--read", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mulin.settings")
    os.environ["DEBUG"] = "0"  # as deployed: no query log growing with every statement
    if args.child:
        child(args.child, args.committee)
        return
    if args.read:
        read_child(*args.read)
        return
    with throwaway_database(BENCH_DB) as where, tempfile.TemporaryDirectory(prefix="mulin-census-") as folder:
        import django

        django.setup()
        from django.core.management import call_command

        from registry.names import name_pinyin

        call_command("migrate", verbosity=0)
        committee, buildings = setup_committee()
        print(f"census import benchmark: {args.residents:,} residents, {len(buildings)} buildings")
        print(f"database: {where}")
        started = time.perf_counter()
        files = write_files(Path(folder), buildings, args.residents)
        print(f"(wrote the test files in {time.perf_counter() - started:.0f} s)")
        name_pinyin("预热")  # pypinyin's dictionaries load once per process, not per import

        report, csv_seconds = timed_import(committee, files["csv100"])
        rows = report.rows
        tables = snapshot()
        written = sum(len(r) for _m, r in tables)
        empty_registry()
        raw_seconds = raw_insert(tables)
        empty_registry()
        _report, xlsx_seconds = timed_import(committee, files["xlsx100"])
        again_report, again_seconds = timed_import(committee, files["xlsx100"])
        assert again_report.counts.unchanged == rows, again_report.counts

        def line(label, seconds):
            print(
                f"{label:<58} {seconds:7.2f} s {rows / seconds:>9,.0f} rows/s  "
                f"{seconds / raw_seconds:5.1f}x raw"
            )

        print(
            f"\n{rows:,} residents, {written:,} rows written in 4 tables "
            f"({report.counts.households_created:,} households, {report.counts.tags_added:,} tags)"
        )
        line("raw executemany INSERT of the same rows (reference)", raw_seconds)
        line("import from .csv (read, check, encrypt, write)", csv_seconds)
        line("import from .xlsx", xlsx_seconds)
        line("the same .xlsx again (nothing changes)", again_seconds)
        # The memory runs check the same files against an empty twin committee, so that they
        # do the writing work (in a transaction rolled back at the end), not the unchanged path.
        twin, _buildings = setup_committee("310106019001", "延长新村居委会")
        memory_table(files, twin.code)
        reader_table(files)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
