"""Reading census sheets row by row: .xlsx, .xls, .ods and .csv.

Committees keep their census in Excel, WPS or LibreOffice and save it as .xlsx, as .xls (WPS's
default on many office PCs) or .ods, and sometimes as CSV (in GBK when saved on a Chinese
Windows PC). Each is read as a stream of ``(row number, cells)`` with every cell as text:

- .xls and .ods: python-calamine (Rust's calamine) reads the first worksheet. It loads that
  worksheet whole (calamine has no row-by-row reader): memory grows with the sheet, about
  1.2 KB a row; an .xls holds at most 65,536 rows. Cells come back typed and are written as
  the text a person would have typed: a date cell as 2013-03-04, a whole number without
  ".0" (13912345678), a number too large for Excel to keep every digit of in its E form
  (3.1010619420304E+17: an identity number typed as a number, which the identity column
  explains). Merged cells of an .xls (a room merged over a family's rows) are read as if
  every cell of the range held the value (calamine gives no merged ranges for .ods).
- .xlsx: the streaming reader below, not calamine, because a 50 MB .xlsx (the upload limit,
  some 700,000 rows) would take calamine about a gigabyte. Measured by reading every row of
  a 100,000-row sheet (5.9 MB), in one busy run: this reader 8.9 s and 16 MB, flat in the
  file's size; calamine 6.2 s and 126 MB (31 MB at 25,000 rows); openpyxl's read-only mode
  65 s and 9 MB. ``read_workbook`` reads an .xlsx too (tested), should that trade change:
  ``CALAMINE`` says which kinds it reads.
- CSV: the encoding is settled first (UTF-8, with or without BOM, else GB18030, a superset
  of GBK) by an incremental decode of the whole file, then rows are read one by one, in
  constant memory.

The .xlsx reader: the worksheet's XML is inflated from the zip in 1 MB chunks and its cells
picked out with one regular expression (an XML parser costs ten times as much per cell for a
format this regular). Cells without a reference, or with namespace prefixes, take a slower
general path. The shared-string table, which grows with the sheet, is spilled to a temporary
file with an offset array (4 bytes per string in memory). Numbers come back as Excel wrote
them ("18265" for a date, "3.1E+17" for an identity number typed as a number); the column
that reads them decides what they mean.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import os
import posixpath
import re
import tempfile
import zipfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

CHUNK = 1 << 20
Row = tuple[int, list[str]]
WORKBOOKS = ("xlsx", "xls", "ods")
CALAMINE = ("xls", "ods")  # the workbooks read by calamine; .xlsx streams (see above)
# Excel keeps 15 significant digits: a whole number beyond them has lost some.
EXACT_DIGITS = 10**15


class SheetError(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Sheet:
    kind: str  # "xlsx", "xls", "ods" or "csv"
    date1904: bool  # Excel dates count from 1904 (old Mac workbooks)
    rows: Iterator[Row]  # (row number from 1, cells as text)


def open_sheet(path: Path, file_name: str = "") -> Sheet:
    """The rows of the first worksheet (a workbook) or of the file (csv)."""
    kind = sniff(path, file_name or path.name)
    if kind in CALAMINE:
        return Sheet(kind, False, read_workbook(path, kind))
    if kind == "xlsx":
        return Sheet(kind, date1904(path), read_xlsx(path))
    return Sheet(kind, False, read_csv(path))


def sniff(path: Path, file_name: str) -> str:
    """The kind of the file by its first bytes, whatever its name says (WPS saves an .xlsx
    named .xls now and then); the name decides only between CSV and a refusal."""
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = Path(file_name).suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as book:
                names = set(book.namelist())
                mimetype = book.read("mimetype") if "mimetype" in names else b""
        except zipfile.BadZipFile:
            raise SheetError(
                _("This workbook is damaged; save it again from Excel, WPS or LibreOffice.")
            ) from None
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise SheetError(
            _("This zip file is not a workbook; upload the census as .xlsx, .xls, .ods or .csv.")
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise SheetError(_("The file ends in %(suffix)s but is not a workbook.") % {"suffix": suffix})
    if suffix not in ("", ".csv", ".txt"):
        raise SheetError(
            _("Upload the census as .xlsx, .xls, .ods or .csv, not %(suffix)s.") % {"suffix": suffix}
        )
    return "csv"


# --- CSV ------------------------------------------------------------------------------------------


def csv_encoding(path: Path) -> str:
    """utf-8-sig when the whole file decodes as UTF-8, else gb18030 (what Excel saves on
    Chinese Windows); decided on the whole file so that a late 'é' cannot break a write half-way."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def read_csv(path: Path) -> Iterator[Row]:
    encoding = csv_encoding(path)
    with path.open(newline="", encoding=encoding, errors="strict") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error as error:
            raise SheetError(
                _("Row %(row)d is not valid CSV: %(error)s") % {"row": reader.line_num, "error": error}
            ) from None
        except UnicodeDecodeError:
            raise SheetError(_("The file is neither UTF-8 nor GBK text.")) from None


# --- Workbooks: .xlsx, .xls, .ods ---------------------------------------------------------------


def read_workbook(path: Path, kind: str) -> Iterator[Row]:
    try:
        if path.suffix.lower().lstrip(".") == kind:
            book = CalamineWorkbook.from_path(path)
        else:  # named otherwise: calamine tells the format from the content
            with path.open("rb") as handle:
                book = CalamineWorkbook.from_filelike(handle)
        with book:
            if not book.sheet_names:
                raise SheetError(_("This workbook has no worksheet."))
            sheet = book.get_sheet_by_index(0)
            merged = sheet.merged_cell_ranges or []
            first_column = sheet.start[1] if sheet.start else 0
            rows = sheet.iter_rows()
            yield from _with_merges(
                ((number, [cell_text(value) for value in cells]) for number, cells in enumerate(rows, 1)),
                merged,
                first_column,
            )
    except CalamineError as error:
        raise SheetError(
            _(
                "This workbook cannot be read (%(error)s); open it in Excel, WPS or LibreOffice, "
                "save it again and upload that."
            )
            % {"error": type(error).__name__}
        ) from None


def cell_text(value) -> str:
    """A cell as the text a person would have typed into it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < EXACT_DIGITS:
            return str(int(value))
        return f"{value:.15G}" if abs(value) >= EXACT_DIGITS else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time | timedelta):
        return str(value)
    return "" if value is None else str(value)


def _with_merges(rows: Iterator[Row], merged: list, first_column: int) -> Iterator[Row]:
    """Every cell of a merged range holds its top-left cell's value."""
    if not merged:
        yield from rows
        return
    starting: dict[int, list[tuple[int, int, int]]] = {}  # first row → (last row, columns)
    for (top, left), (bottom, right) in merged:
        starting.setdefault(top + 1, []).append((bottom + 1, left - first_column, right - first_column))
    active: list[tuple[int, int, int, str]] = []  # last row, first and last column, value
    for number, cells in rows:
        for bottom, left, right in starting.pop(number, ()):
            if 0 <= left < len(cells):
                active.append((bottom, left, right, cells[left]))
        if active:
            if any(cells):  # a row left empty stays empty, merged over or not
                for _bottom, left, right, value in active:
                    for column in range(left, min(right, len(cells) - 1) + 1):
                        cells[column] = value
            active = [a for a in active if a[0] > number]
        yield number, cells


# --- XLSX -----------------------------------------------------------------------------------------

# The common case: <c r="B7" s="1" t="s"><v>12</v></c>, a formula perhaps, or an inline string.
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"([^>]*?)(?:/>|>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?'
    rb"(?:<v>([^<]*)</v>|<is><t>([^<]*)</t></is>|<is>(.*?)</is>)?</c>)",
    re.S,
)
# Anything else a writer may produce: prefixes (<x:c>), no reference, attributes in any order.
_ANY_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ANY_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_ROW_REF = re.compile(rb'\br="(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)</(?:\w+:)?t>")
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_SI = re.compile(rb"<(?:\w+:)?si>(.*?)</(?:\w+:)?si>|<(?:\w+:)?si/>", re.S)
_COLUMN_CACHE: dict[bytes, int] = {}


def _column(letters: bytes) -> int:
    index = _COLUMN_CACHE.get(letters)
    if index is None:
        index = 0
        for byte in letters:
            index = index * 26 + byte - 64
        index = _COLUMN_CACHE[letters] = index - 1
    return index


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def _rich_text(body: bytes) -> str:
    if b"<rPh" in body or b":rPh" in body:
        body = _PHONETIC.sub(b"", body)
    return "".join(_text(t) for t in _TEXT.findall(body))


class SharedStrings:
    """The workbook's shared strings: the first few thousand in memory (headers and the words
    every row repeats come first), the rest in a temporary file with an offset array."""

    IN_MEMORY = 8192

    def __init__(self, stream) -> None:
        self._head: list[str] = []
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._offsets = array("I", [0])  # 4 bytes a string; 8 once the text passes 4 GB
        buffer = b""
        while True:
            chunk = stream.read(CHUNK)
            buffer += chunk
            end = 0
            for match in _SI.finditer(buffer):
                body = match.group(1)
                self._append(_rich_text(body) if body else "")
                end = match.end()
            buffer = buffer[end:]
            if not chunk:
                break
        self._file.flush()
        self._fd = self._file.fileno()

    def _append(self, text: str) -> None:
        if len(self._head) < self.IN_MEMORY:
            self._head.append(text)
            return
        data = text.encode("utf-8")
        self._file.write(data)
        end = self._offsets[-1] + len(data)
        if end > 0xFFFFFFFF and self._offsets.typecode == "I":
            self._offsets = array("Q", self._offsets)
        self._offsets.append(end)

    def __len__(self) -> int:
        return len(self._head) + len(self._offsets) - 1

    def __getitem__(self, index: int) -> str:
        if index < self.IN_MEMORY:
            return self._head[index]
        index -= self.IN_MEMORY
        start, end = self._offsets[index], self._offsets[index + 1]
        # A read, not a memory map: the file's pages stay the kernel's cache, not this process's.
        return os.pread(self._fd, end - start, start).decode("utf-8") if end > start else ""

    def close(self) -> None:
        self._file.close()


def _first_sheet(book: zipfile.ZipFile) -> tuple[str, bool]:
    """The path of the first worksheet, and whether dates count from 1904."""
    try:
        workbook = book.read("xl/workbook.xml")
        rels = book.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        raise SheetError(
            _("This .xlsx file has no workbook inside; save it again from Excel or WPS.")
        ) from None
    date1904 = bool(re.search(rb'date1904="(1|true)"', workbook))
    sheet = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"", workbook) or re.search(
        rb"<(?:\w+:)?sheet\b[^>]*?\bid=\"([^\"]+)\"", workbook
    )
    if sheet is None:
        raise SheetError(_("This workbook has no worksheet."))
    for rel in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)/?>", rels):
        attrs = rel.group(1)
        rid = re.search(rb'\bId="([^"]+)"', attrs)
        target = re.search(rb'\bTarget="([^"]+)"', attrs)
        if rid and target and rid.group(1) == sheet.group(1):
            path = target.group(1).decode()
            path = (
                path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join("xl", path))
            )
            return path, date1904
    raise SheetError(_("The workbook's first worksheet cannot be found inside the file."))


def read_xlsx(path: Path) -> Iterator[Row]:
    try:
        book = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise SheetError(_("This .xlsx file is damaged; save it again from Excel or WPS.")) from None
    with book:
        sheet_path, _date1904 = _first_sheet(book)
        try:
            strings_stream = book.open("xl/sharedStrings.xml")
        except KeyError:
            strings_stream = io.BytesIO(b"")
        strings = SharedStrings(strings_stream)
        try:
            with book.open(sheet_path) as sheet:
                yield from _sheet_rows(sheet, strings)
        except KeyError:
            raise SheetError(_("The workbook's first worksheet cannot be found inside the file.")) from None
        finally:
            strings.close()


def date1904(path: Path) -> bool:
    """Whether the workbook counts dates from 1904 (old Mac Excel)."""
    try:
        with zipfile.ZipFile(path) as book:
            return _first_sheet(book)[1]
    except zipfile.BadZipFile:
        raise SheetError(_("This .xlsx file is damaged; save it again from Excel or WPS.")) from None


def _sheet_rows(sheet, strings: SharedStrings) -> Iterator[Row]:
    buffer = b""
    general: bool | None = None
    last = 0  # the number of the last row read: rows without a reference follow it
    while True:
        chunk = sheet.read(CHUNK)
        buffer += chunk
        if general is None:
            root = re.search(rb"<(\w+:)?worksheet\b", buffer[:4096])
            if root is None and chunk and len(buffer) < 4096:
                continue  # the root tag is not read whole yet
            general = bool(root and root.group(1))
        if chunk:
            cut = _last_row_end(buffer, general)
            if cut < 0:
                continue
        else:
            cut = len(buffer)
        segment, buffer = buffer[:cut], buffer[cut:]
        matches = None if general else _fast_matches(segment)
        rows = _general_rows(segment, strings, last) if matches is None else _fast_rows(matches, strings)
        for row in rows:
            last = row[0]
            yield row
        if not chunk:
            break


_ROW_CLOSE = re.compile(rb"</(?:\w+:)?row>")


def _last_row_end(buffer: bytes, general: bool) -> int:
    """Where the last complete row of the buffer ends (-1: none yet)."""
    if not general:
        cut = buffer.rfind(b"</row>")
        return cut + 6 if cut >= 0 else -1
    ends = [m.end() for m in _ROW_CLOSE.finditer(buffer, max(0, len(buffer) - 2 * CHUNK))]
    return ends[-1] if ends else -1


def _fast_matches(segment: bytes) -> list | None:
    """The cells of the segment by the one-expression path, or None when some cell does not
    fit it (no reference, an unusual shape): then the general path reads the segment."""
    cells = segment.count(b"<c ") + segment.count(b"<c>")
    if cells != segment.count(b'<c r="') or (not cells and b":c" in segment):
        return None
    matches = _CELL.findall(segment)
    return matches if len(matches) == cells else None


def _cell_value(
    attrs: bytes, value: bytes | None, inline: bytes | None, strings: SharedStrings
) -> str | None:
    kind = _TYPE.search(attrs) if attrs else None
    if kind is not None and kind.group(1) == b"s":
        return strings[int(value)] if value else ""
    if inline:
        return _rich_text(inline)
    if value:
        return _text(value)
    return None


def _fast_rows(matches: list, strings: SharedStrings) -> Iterator[Row]:
    """The hot loop of a large import: everything inlined, one pass over the matches."""
    current: bytes | None = None
    cells: list[str] = []
    columns = _COLUMN_CACHE
    shared = strings.__getitem__
    for letters, number, attrs, value, plain, inline in matches:
        if number != current:
            if current is not None:
                yield int(current), cells
            current, cells = number, []
        if attrs and b't="s"' in attrs:
            text = shared(int(value)) if value else ""
        elif inline:
            text = _rich_text(inline)
        elif value or plain:
            text = (value or plain).decode("utf-8")
            if "&" in text:
                text = html.unescape(text)
        else:
            continue
        index = columns.get(letters)
        if index is None:
            index = _column(letters)
        if index == len(cells):
            cells.append(text)
        elif index > len(cells):
            cells.extend([""] * (index - len(cells)))
            cells.append(text)
        else:
            cells[index] = text
    if current is not None:
        yield int(current), cells


def _general_rows(segment: bytes, strings: SharedStrings, previous: int = 0) -> Iterator[Row]:
    for row in _ANY_ROW.finditer(segment):
        ref = _ROW_REF.search(row.group(1))
        number = int(ref.group(1)) if ref else previous + 1
        previous = number
        cells: dict[int, str] = {}
        position = -1
        for cell in _ANY_CELL.finditer(row.group(2) or b""):
            attrs, body = cell.group(1), cell.group(2) or b""
            reference = _REF.search(attrs)
            position = _column(reference.group(1)) if reference else position + 1
            value = _VALUE.search(body)
            inline = body if b"<is>" in body or b":is>" in body else None
            text = _cell_value(attrs, value.group(1) if value else None, inline, strings)
            if text is not None:
                cells[position] = text
        yield number, _as_list(cells)


def _as_list(cells: dict[int, str]) -> list[str]:
    if not cells:
        return []
    out = [""] * (max(cells) + 1)
    for index, text in cells.items():
        out[index] = text
    return out
