"""Census sheets for tests, written the way Excel, WPS and a Chinese Windows PC write them."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

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
