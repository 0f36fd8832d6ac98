"""The registry of an area as an .xlsx in the census layout, written in constant memory.

The columns are the import's (``COLUMNS``), so an unmasked export of a committee imports
back unchanged. Masked (the default), identity numbers show as 310***********1234, phones as
139****5678 (a landline ****1234) and the encrypted notes are left out. Every cell is written
as text, a formula-like one quote-prefixed (``common.spreadsheets``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import xlsxwriter
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from areas.models import Area
from common.scope import Scope
from common.spreadsheets import XlsxText, csv_line
from registry import crypto
from registry.census.columns import COLUMNS, RELATION_WORDS, RESIDENCE_WORDS, TAG_WORDS
from registry.identity import mask_contact_phone
from registry.models import Resident, ResidentTag

# The first sheet word for each stored value: what the import reads back.
RELATION_NAMES = {value: word for word, value in reversed(list(RELATION_WORDS.items()))}
RESIDENCE_NAMES = {value: word for word, value in reversed(list(RESIDENCE_WORDS.items()))}
TAG_NAMES = {value: word for word, value in reversed(list(TAG_WORDS.items()))}
GENDER_NAMES = {"M": "男", "F": "女"}


def export_rows(scope: Scope, area: Area, *, unmasked: bool):
    """One list per resident under ``area`` (not anonymised), in the census column order."""
    people = (
        scope.restrict(Resident.objects.filter(household__building__path__startswith=area.path))
        .filter(anonymised_at__isnull=True)
        .select_related("household__building__parent")
        .prefetch_related(Prefetch("tags", queryset=ResidentTag.objects.order_by("tag")))
        .order_by("household__building__path", "household__sort_key", "pk")
    )
    for person in people.iterator(chunk_size=2000):
        home = person.household
        values = {
            "group": home.building.parent.name if home.building.parent else "",
            "building": home.building.name,
            "unit": home.unit,
            "room": home.room,
            "name": person.name,
            "gender": GENDER_NAMES.get(person.gender, ""),
            "birth_date": person.birth_date.isoformat() if person.birth_date else "",
            "id_number": crypto.decrypt(person.id_cipher) if unmasked else person.id_masked,
            "phone": person.phone if unmasked else mask_contact_phone(person.phone),
            "relation": RELATION_NAMES.get(person.relation, ""),
            "residence_type": RESIDENCE_NAMES.get(person.residence_type, ""),
            "moved_in_on": person.moved_in_on.isoformat() if person.moved_in_on else "",
            "moved_out_on": person.moved_out_on.isoformat() if person.moved_out_on else "",
            "tags": "、".join(TAG_NAMES[t.tag] for t in person.tags.all()),
            "health": crypto.decrypt(person.health_cipher) if unmasked else "",
            "key_notes": crypto.decrypt(person.key_note_cipher) if unmasked else "",
        }
        yield [values[column.key] for column in COLUMNS]


def export_xlsx(scope: Scope, area: Area, *, unmasked: bool = False) -> tuple[Path, int]:
    """Write the export to a temporary file; returns its path and the number of residents."""
    handle = tempfile.NamedTemporaryFile(prefix="mulin-export-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": str(path.parent)})
    sheet = book.add_worksheet(area.name[:31])
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    cells = XlsxText(book)
    cells.write_row(sheet, 0, 0, [column.header for column in COLUMNS], bold)
    sheet.set_column(0, len(COLUMNS) - 1, 14, text)
    count = 0
    for count, row in enumerate(export_rows(scope, area, unmasked=unmasked), start=1):
        cells.write_row(sheet, count, 0, row)
    book.close()
    return path, count


def template_xlsx() -> Path:
    """The empty census sheet to fill in: the header row (required columns marked *), and a
    second worksheet that explains every column with an example. Only the first worksheet
    is ever imported."""
    handle = tempfile.NamedTemporaryFile(prefix="mulin-template-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    book = xlsxwriter.Workbook(handle.name)
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    cells = XlsxText(book)
    sheet = book.add_worksheet("人口信息")
    cells.write_row(sheet, 0, 0, [c.header + (" *" if c.required else "") for c in COLUMNS], bold)
    sheet.set_column(0, len(COLUMNS) - 1, 14, text)
    sheet.freeze_panes(1, 0)
    help_sheet = book.add_worksheet("填写说明")
    cells.write_row(help_sheet, 0, 0, [_("Column"), _("Required"), _("What to write"), _("Example")], bold)
    for row, column in enumerate(COLUMNS, start=1):
        required = _("yes") if column.required else ""
        explained = [column.header, required, str(column.description), column.example]
        cells.write_row(help_sheet, row, 0, explained, wrap)
    help_sheet.set_column(0, 0, 14)
    help_sheet.set_column(2, 2, 60)
    help_sheet.set_column(3, 3, 22, text)
    book.close()
    return Path(handle.name)


def template_csv() -> str:
    """The header row alone, for those who keep the census as CSV."""
    return csv_line(c.header for c in COLUMNS)


def export_file_names(area: Area, day: str, *, masked: bool) -> tuple[str, str]:
    """The name an export is saved under, in the reader's language, and its ASCII stand-in."""
    values = {"area": area.name, "day": day}
    if masked:
        name = _("%(area)s registry %(day)s, masked.xlsx") % values
    else:
        name = _("%(area)s registry %(day)s.xlsx") % values
    return name, f"{area.code}-registry-{day}{'-masked' if masked else ''}.xlsx"
