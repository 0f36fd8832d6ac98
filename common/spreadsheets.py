"""Spreadsheets Mulin writes (CSV and .xlsx), safe to open in Excel or WPS.

A cell of user-supplied text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (or their full-width forms ＝＋－＠, which WPS reads as the same) is taken for a
formula when the file is opened: ``=HYPERLINK("http://…","点击")`` typed as a name in a
census comes back as a live link in the problems list. Every CSV and .xlsx Mulin writes goes
through the helpers below, so no such cell is ever a formula:

- CSV has no types: the text gets an apostrophe in front (``'=HYPERLINK(…)``), the way a
  spreadsheet user types text that starts with =. ``csv_writer`` does it for every cell.
- .xlsx has typed cells: ``write_text`` writes a string cell (never ``write()``, which turns
  "=…" into a formula) and marks a risky one with Excel's quote prefix, the stored form of
  that same apostrophe; the value itself is unchanged, so a sheet imports back as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def is_risky(value: object) -> bool:
    """Whether a spreadsheet would read ``value`` as the start of a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """Text that would be read as a formula, with an apostrophe in front; anything else as it is."""
    return "'" + value if is_risky(value) else value


class SafeWriter:
    """``csv.writer`` whose every text cell is neutralised."""

    def __init__(self, handle, **options) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle, **options) -> SafeWriter:
    """The CSV writer of every CSV Mulin writes."""
    return SafeWriter(handle, **options)


def csv_line(cells: Iterable[Any]) -> str:
    """One CSV line (CRLF), neutralised: for a CSV built in memory."""
    buffer = io.StringIO()
    csv_writer(buffer).writerow(cells)
    return buffer.getvalue()


class XlsxText:
    """Writes the text cells of one XlsxWriter workbook: always as strings, and a risky one
    with Excel's quote prefix (shown and edited as text, never run)."""

    def __init__(self, book) -> None:
        self._prefixed = book.add_format({"quote_prefix": True, "num_format": "@"})

    def write(self, sheet, row: int, column: int, value: Any, cell_format=None) -> None:
        text = "" if value is None else str(value)
        if text:
            sheet.write_string(row, column, text, self._prefixed if is_risky(text) else cell_format)

    def write_row(self, sheet, row: int, column: int, values: Iterable[Any], cell_format=None) -> None:
        for offset, value in enumerate(values):
            self.write(sheet, row, column + offset, value, cell_format)
