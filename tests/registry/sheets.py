"""Census sheets for tests, written the way Excel, WPS and a Chinese Windows PC write them."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter

from registry.census.columns import COLUMNS

HEADER = [column.header for column in COLUMNS]


def person(
    name: str,
    number: str,
    *,
    building: str = "62号楼",
    group: str = "62号楼组",
    unit: str = "",
    room: str = "301",
    relation: str = "户主",
    phone: str = "",
    tags: str = "",
    health: str = "",
    moved_in: str = "",
    moved_out: str = "",
    birth: str = "",
    gender: str = "",
    kind: str = "户籍",
    key_notes: str = "",
) -> list[str]:
    return [
        group,
        building,
        unit,
        room,
        name,
        gender,
        birth,
        number,
        phone,
        relation,
        kind,
        moved_in,
        moved_out,
        tags,
        health,
        key_notes,
    ]


def write_csv(path: Path, rows: list[list[str]], *, header=HEADER, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path,
    rows: list[list[str]],
    *,
    header=HEADER,
    title: str | None = None,
    dates_as_numbers: bool = True,
    constant_memory: bool = False,
) -> Path:
    """Shared strings like Excel by default; dates as date cells (numbers with a format)."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    sheet = book.add_worksheet("人口信息")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    start = 0
    if title:
        sheet.write(0, 0, title)
        start = 1
    sheet.write_row(start, 0, header)
    date_columns = {i for i, h in enumerate(header) if "日期" in h}
    for r, row in enumerate(rows, start=start + 1):
        for c, value in enumerate(row):
            if dates_as_numbers and c in date_columns and value:
                sheet.write_datetime(r, c, date.fromisoformat(value), date_format)
            elif value != "":
                sheet.write_string(r, c, value)
    book.close()
    return path


# Cells for the .xls and .ods writers: text, a number, a date (a date cell) or None (empty).
Cell = str | int | float | date | None


def write_xls(path: Path, rows: Sequence[Sequence[Any]], *, merges: tuple = ()) -> Path:
    """An old-format workbook (BIFF8), as WPS saves by default; merges are
    (first row, last row, first column, last column) from 0, the value in the first cell."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("人口信息")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    merged = {(r1, c1): (r2, c2) for r1, r2, c1, c2 in merges}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in merged:
                r2, c2 = merged[(r, c)]
                sheet.write_merge(r, r2, c, c2, value)
            elif isinstance(value, date):
                sheet.write(r, c, value, date_style)
            elif value not in (None, ""):
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, rows: Sequence[Sequence[Any]], *, merges: tuple = ()) -> Path:
    """An OpenDocument spreadsheet as LibreOffice writes one: typed cells, merges spanning
    (first row, last row, first column, last column), covered cells after them."""
    import zipfile
    from xml.sax.saxutils import escape

    spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, r2, c1, c2 in merges}
    covered = {
        (r, c)
        for r1, r2, c1, c2 in merges
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
        if (r, c) != (r1, c1)
    }
    body = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in covered:
                cells.append("<table:covered-table-cell/>")
                continue
            span = spans.get((r, c))
            extra = (
                f' table:number-rows-spanned="{span[0]}" table:number-columns-spanned="{span[1]}"'
                if span
                else ""
            )
            if value in (None, ""):
                cells.append(f"<table:table-cell{extra}/>")
            elif isinstance(value, date):
                day = value.isoformat()
                cells.append(
                    f'<table:table-cell{extra} office:value-type="date" office:date-value="{day}">'
                    f"<text:p>{day}</text:p></table:table-cell>"
                )
            elif isinstance(value, int | float):
                cells.append(
                    f'<table:table-cell{extra} office:value-type="float" office:value="{value!r}">'
                    f"<text:p>{value}</text:p></table:table-cell>"
                )
            else:
                text = escape(str(value))
                cells.append(
                    f'<table:table-cell{extra} office:value-type="string"><text:p>{text}</text:p>'
                    "</table:table-cell>"
                )
        body.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="人口信息">'
        f"{''.join(body)}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )  # first and stored, as the format asks
        book.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        book.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def write_workbook(kind: str, path: Path, rows: Sequence[Sequence[Any]], *, merges: tuple = ()) -> Path:
    """The same cells as .xlsx (XlsxWriter), .xls (xlwt) or .ods."""
    if kind == "xls":
        return write_xls(path, rows, merges=merges)
    if kind == "ods":
        return write_ods(path, rows, merges=merges)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("人口信息")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    merged = {(r1, c1): (r2, c2) for r1, r2, c1, c2 in merges}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in merged:
                sheet.merge_range(r, c, *merged[(r, c)], value)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value not in (None, ""):
                sheet.write_string(r, c, value)
    book.close()
    return path
