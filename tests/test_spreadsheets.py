"""Every CSV and .xlsx Mulin writes is safe to open: no user-supplied text becomes a formula.

Each writer is walked with hostile values (``=HYPERLINK(…)``, ``+``, ``-``, ``@``, a tab, a
carriage return, the full-width ＝): in a CSV no cell may start with a formula character (the
apostrophe goes first); in an .xlsx no cell is a formula, and a string cell that starts like
one carries Excel's quote prefix (shown and edited as text).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from common.spreadsheets import FORMULA_STARTS, XlsxText, csv_line, csv_writer, is_risky, neutralise
from demo.census import write_census_csv, write_census_xlsx
from registry.census.export import export_xlsx, template_csv, template_xlsx
from registry.census.importer import import_census
from registry.census.rows import masked_id
from tests.factories import household, id_number, resident, scope_of
from tests.registry.sheets import HEADER, person, write_csv

HOSTILE = [
    '=HYPERLINK("http://evil.example/","点击")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "＝1+1",
    "＋1",
    "－1",
    "＠A1",
]


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def _assert_csv_safe(text: str) -> None:
    cells = _csv_cells(text)
    assert cells
    bad = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert bad == []


def _xlsx_cells(path: Path) -> list[tuple[str, bool, bool]]:
    """(text, is a formula, has the quote prefix) of every cell of every worksheet."""
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            xml = book.read("xl/sharedStrings.xml").decode()
            shared = [_unescape(t) for t in re.findall(r"<si>.*?<t[^>]*>(.*?)</t>.*?</si>", xml, re.S)]
        styles = book.read("xl/styles.xml").decode()
        xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
        assert xfs is not None
        prefixed = [
            'quotePrefix="1"' in xf for xf in re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", xfs.group(1), re.S)
        ]
        cells = []
        for name in names:
            if not name.startswith("xl/worksheets/sheet"):
                continue
            xml = book.read(name).decode()
            for attrs, body in re.findall(r"<c ([^>]*?)(?:/>|>(.*?)</c>)", xml, re.S):
                style = re.search(r'\bs="(\d+)"', attrs)
                kind = re.search(r'\bt="(\w+)"', attrs)
                text = ""
                if kind and kind.group(1) == "s":
                    index = re.search(r"<v>(\d+)</v>", body)
                    assert index is not None
                    text = shared[int(index.group(1))]
                elif kind and kind.group(1) in ("inlineStr", "str"):
                    found = re.search(r"<t[^>]*>(.*?)</t>", body, re.S)
                    text = _unescape(found.group(1)) if found else ""
                quoted = style is not None and prefixed[int(style.group(1))]
                cells.append((text, "<f" in body, quoted))
        return cells


def _unescape(text: str) -> str:
    text = re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _assert_xlsx_safe(path: Path, *, expect_risky: bool = True) -> None:
    cells = _xlsx_cells(path)
    assert cells
    assert [text for text, formula, _q in cells if formula] == []
    risky = [(text, quoted) for text, _f, quoted in cells if is_risky(text)]
    assert all(quoted for _text, quoted in risky), risky
    if expect_risky:
        assert risky, "the hostile values did not reach the file"


# --- The helper ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_the_helper_puts_an_apostrophe_before_a_formula(value):
    assert neutralise(value) == "'" + value
    _assert_csv_safe(csv_line(["ok", value, 3, None]))


@pytest.mark.parametrize("value", ["张三", "13912345678", "", "62-301", "1-2", "a=b"])
def test_harmless_text_is_left_alone(value):
    assert neutralise(value) == value


def test_numbers_are_left_alone():
    assert neutralise(-5) == -5
    buffer = io.StringIO()
    csv_writer(buffer).writerow([-5, 1.5, None])
    assert buffer.getvalue() == "-5,1.5,\r\n"


def test_xlsx_text_is_a_string_with_the_quote_prefix(tmp_path):
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    XlsxText(book).write_row(sheet, 0, 0, [*HOSTILE, "普通"])
    book.close()
    _assert_xlsx_safe(path)
    assert ("普通", False, False) in _xlsx_cells(path)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_masked_number_never_starts_a_formula(value):
    assert not is_risky(masked_id(value))


# --- Every writer -------------------------------------------------------------------------------


def _hostile_rows() -> list[list[str]]:
    rows = []
    for n, value in enumerate(HOSTILE):
        rows.append(person(value, value, room=f"9{n:02d}", phone=value, tags=value, health=value))
        rows.append(person(value, id_number("1950-01-02"), room=value, relation=value))
    return rows


def test_the_census_problems_csv(tree, tmp_path):
    problems = tmp_path / "problems.csv"
    report = import_census(
        tree.committee, write_csv(tmp_path / "in.csv", _hostile_rows()), problems_path=problems
    )
    assert report.problem_count > len(HOSTILE)
    text = problems.read_text(encoding="utf-8-sig")
    _assert_csv_safe(text)
    assert "'=HYPERLINK" in text and "=HY***" not in text


def test_the_problems_csv_downloaded_from_the_website(owner_client, tree, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from registry.models import CensusImport

    settings.REGISTRY_UPLOAD_DIR = tmp_path / "census"
    sheet = write_csv(tmp_path / "in.csv", _hostile_rows())
    owner_client.post(
        reverse("registry:import"),
        {"file": SimpleUploadedFile("in.csv", sheet.read_bytes()), "committee": tree.committee.code},
    )
    census = CensusImport.objects.get()
    response = owner_client.get(reverse("registry:import_problems", args=[census.pk]))
    _assert_csv_safe(b"".join(response.streaming_content).decode("utf-8-sig"))
    page = owner_client.get(reverse("registry:import_detail", args=[census.pk])).content.decode()
    assert "=HY***" not in page


@pytest.mark.parametrize("unmasked", [False, True])
def test_the_registry_export(tree, owner, unmasked, tmp_path):
    for n, value in enumerate(HOSTILE):
        home = household(tree.building, room=f"8{n:02d}", unit=value[:10])
        resident(home, value[:30], phone=value[:24])
    path, count = export_xlsx(scope_of(owner), tree.committee, unmasked=unmasked)
    try:
        assert count == len(HOSTILE)
        _assert_xlsx_safe(path)
    finally:
        path.unlink()


def test_the_census_templates():
    path = template_xlsx()
    try:
        _assert_xlsx_safe(path, expect_risky=False)
    finally:
        path.unlink()
    _assert_csv_safe(template_csv())
    assert _csv_cells(template_csv()) == HEADER


def test_the_demo_census_sheets(tmp_path):
    rows = [[value] * len(HEADER) for value in HOSTILE]
    for row in rows:
        for c, header in enumerate(HEADER):
            if header.endswith("日期"):
                row[c] = ""
    write_census_csv(tmp_path / "demo.csv", rows)
    _assert_csv_safe((tmp_path / "demo.csv").read_text(encoding="utf-8-sig"))
    write_census_xlsx(tmp_path / "demo.xlsx", rows)
    _assert_xlsx_safe(tmp_path / "demo.xlsx")


def test_no_writer_escapes_the_helper():
    """Every CSV and .xlsx writer of the apps goes through common/spreadsheets.py."""
    root = Path(__file__).resolve().parent.parent
    offenders = []
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(
            (".venv", "node_modules", "tests/", "common/spreadsheets.py", "bench/", "scripts/")
        ):
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"csv\.writer\(",
            r"csv\.DictWriter\(",
            r"\bsheet\.write\(",
            r"(?<!cells)\.write_row\(",
            r"\.write_string\(",
        ):
            if re.search(pattern, text):
                offenders.append(f"{relative}: {pattern}")
    assert offenders == []
