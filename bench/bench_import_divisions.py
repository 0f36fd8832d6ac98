"""Benchmark: importing all of Shanghai's official divisions.

    .venv/bin/python bench/bench_import_divisions.py                      # SQLite, a temp file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_import_divisions.py

Runs against a throwaway database (a temporary SQLite file, or a PostgreSQL database
``mulin_bench`` created next to the one DATABASE_URL names and dropped afterwards) and prints:
the full import into an empty table, the re-import (nothing changes), and a raw reference in
the same run: the same rows inserted with one ``cursor.executemany`` INSERT into a scratch
table with the same columns and indexes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
SOURCE = ROOT / "areas" / "data" / "divisions" / "31"
BENCH_DB = "mulin_bench"
SCRATCH_TABLE = "bench_raw_area"

from harness import throwaway_database  # noqa: E402 - needs the path above


def scratch_table():
    """A model over a scratch table with Area's columns and indexes (no foreign key)."""
    from django.db import models

    from areas.models import Area

    attrs = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"app_label": "bench", "db_table": SCRATCH_TABLE}),
    }
    for field in Area._meta.concrete_fields:
        if field.name == "parent":
            attrs["parent_id"] = models.BigIntegerField(null=True, db_index=True)
        else:
            clone = field.clone()  # type: ignore[attr-defined]  # Field.clone is missing from the stubs
            clone.auto_now = clone.auto_now_add = False
            attrs[field.name] = clone
    return type("BenchRawArea", (models.Model,), attrs)


def best_of(repeat: int, action, reset=None) -> float:
    """The fastest of ``repeat`` runs: the figure least disturbed by other load on the machine."""
    times = []
    for _ in range(repeat):
        if reset is not None:
            reset()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def line(label: str, rows: int, seconds: float) -> None:
    print(f"{label}: {rows} rows in {seconds:.3f} s = {rows / seconds:,.0f} rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark import_divisions against a raw insert.")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best is shown")
    repeat = parser.parse_args().repeat
    with throwaway_database(BENCH_DB) as where:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mulin.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, transaction

        from areas.importer import import_divisions
        from areas.models import Area
        from areas.pinyin import _syllables, pinyin_of

        call_command("migrate", verbosity=0)
        quote = connection.ops.quote_name

        def empty(table: str):
            def reset():
                pinyin_of.cache_clear()
                _syllables.cache_clear()
                pinyin_of("预热")  # pypinyin's dictionaries load once per process, not per import
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {quote(table)}")

            return reset

        print(f"import_divisions benchmark: Shanghai (31) from {SOURCE.relative_to(ROOT)}, best of {repeat}")
        print(f"database: {where}")
        full = best_of(repeat, lambda: import_divisions(SOURCE, "31"), reset=empty(Area._meta.db_table))
        rows = Area.objects.count()
        line("import into an empty table", rows, full)
        again = best_of(repeat, lambda: import_divisions(SOURCE, "31"))
        line("re-import, nothing changed", rows, again)

        model = scratch_table()
        with connection.schema_editor() as editor:
            editor.create_model(model)
        fields = Area._meta.concrete_fields
        data = list(Area.objects.order_by("pk").values_list(*[f.attname for f in fields]))
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(SCRATCH_TABLE), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
        )

        def raw_insert():
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, data)

        raw = best_of(repeat, raw_insert, reset=empty(SCRATCH_TABLE))
        line("raw executemany INSERT (same rows and columns, scratch table)", len(data), raw)
        with connection.schema_editor() as editor:
            editor.delete_model(model)

        print(
            f"ratio import/raw: {full / raw:.1f} (the import takes {full / raw:.1f}x the raw insert's time)"
        )
        print(f"ratio re-import/raw: {again / raw:.1f}")


if __name__ == "__main__":
    main()
