"""Reading census sheets: the shapes Excel, WPS and other writers produce."""

import zipfile
from datetime import date

import pytest

from registry.census import sheets
from registry.census.sheets import SharedStrings, SheetError, cell_text, open_sheet, read_workbook
from tests.registry.sheets import write_workbook, write_xlsx

WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{pr}'
    '<sheets><sheet name="人口" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)

CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)

ROOT_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def _book(path, sheet_xml: str, strings: list[str] | None = None, date1904: bool = False):
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK.format(pr='<workbookPr date1904="1"/>' if date1904 else ""))
        book.writestr("xl/_rels/workbook.xml.rels", RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if strings is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in strings)
            book.writestr("xl/sharedStrings.xml", f'<sst xmlns="x">{items}</sst>')
    return path


def _rows(path):
    return list(open_sheet(path).rows)


def test_prefixed_namespaces_missing_references_rich_text_and_escapes(tmp_path):
    xml = (
        '<x:worksheet xmlns:x="main"><x:sheetData>'
        '<x:row r="1"><x:c t="inlineStr"><x:is><x:t>姓名</x:t></x:is></x:c>'
        '<x:c t="s"><x:v>0</x:v></x:c></x:row>'
        '<x:row><x:c t="inlineStr"><x:is><x:r><x:t>王</x:t></x:r><x:r><x:t>秀英</x:t></x:r></x:is></x:c>'
        '<x:c><x:v>42</x:v></x:c><x:c t="inlineStr"><x:is><x:t>A &amp; B</x:t></x:is></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    read = _rows(_book(tmp_path / "p.xlsx", xml, strings=["室号"]))
    assert read == [(1, ["姓名", "室号"]), (2, ["王秀英", "42", "A & B"])]


def test_cells_without_a_reference_keep_their_place(tmp_path):
    xml = (
        '<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>a</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>c</t></is></c><c t="inlineStr"><is><t>d</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    assert _rows(_book(tmp_path / "r.xlsx", xml)) == [(1, ["a", "", "c", "d"])]


def test_the_1904_date_system_is_noticed(tmp_path):
    xml = '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    assert open_sheet(_book(tmp_path / "d.xlsx", xml, date1904=True)).date1904


def test_a_tab_separated_gbk_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("楼号\t姓名\n62号楼\t王秀英\n".encode("gbk"))
    assert _rows(path) == [(1, ["楼号", "姓名"]), (2, ["62号楼", "王秀英"])]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("a.xlsx", b"not a zip at all", "not a workbook"),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "cannot be read"),
        ("a.docx.pdf", b"%PDF-1.4", "not .pdf"),
        ("a.xlsx", b"PK\x03\x04broken", "damaged"),
    ],
)
def test_files_that_are_not_sheets(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SheetError) as caught:
        list(open_sheet(path).rows)
    assert says in str(caught.value)


# The same sheet in each workbook format: a title merged across the top, a two-row header
# whose first cells are merged down, a door's room merged over its two people, an empty row,
# a date cell, a phone typed as a number and an identity number typed as a number.
KINDS = ["xlsx", "xls", "ods"]
SHEET: list[list[object]] = [
    ["延长新村人口信息采集表", None, None, None, None, None],
    ["楼号", "室号", "姓名", "联系方式", None, "出生日期"],
    [None, None, None, "手机", "身份证号", None],
    ["62号楼", 301, "王建国", 13912345678, "310106195001020018", date(1950, 1, 2)],
    ["62号楼", None, "李秀英", 13912345679.0, 310106195203040021, date(1952, 3, 4)],
    [None, None, None, None, None, None],
    ["62号楼", "302", "赵阿婆", "", "310106193807080023", "1938-07-08"],
]
MERGES = ((0, 0, 0, 5), (1, 2, 0, 0), (1, 2, 1, 1), (1, 2, 2, 2), (1, 1, 3, 4), (1, 2, 5, 5), (3, 4, 1, 1))


@pytest.mark.parametrize("kind", KINDS)
def test_calamine_reads_xlsx_xls_and_ods_alike(tmp_path, kind):
    """.xls and .ods are read by calamine; .xlsx by the streaming reader, but calamine reads it
    alike, should the trade between speed and memory change (see registry/census/sheets.py)."""
    path = write_workbook(kind, tmp_path / f"census.{kind}", SHEET, merges=MERGES)
    if kind in sheets.CALAMINE:
        assert open_sheet(path).kind == kind
    rows = dict(read_workbook(path, kind))
    assert rows[1][0] == "延长新村人口信息采集表"
    assert rows[2][:3] == ["楼号", "室号", "姓名"] and rows[2][5] == "出生日期"
    assert rows[3][3:5] == ["手机", "身份证号"]
    assert rows[4] == ["62号楼", "301", "王建国", "13912345678", "310106195001020018", "1950-01-02"]
    assert rows[5][2:4] == ["李秀英", "13912345679"]
    if kind != "ods":  # calamine gives the merged ranges of .xlsx and .xls, not of .ods
        assert rows[3][:3] == ["楼号", "室号", "姓名"] and rows[3][5] == "出生日期"  # merged down
        assert rows[5][1] == "301"  # the room merged over the door's two people
    assert "E+17" in rows[5][4]  # an identity number typed as a number: digits lost, said so
    assert rows[5][5] == "1952-03-04"
    assert not any(rows.get(6, []))  # the empty row is there, empty
    assert rows[7][:3] == ["62号楼", "302", "赵阿婆"] and rows[7][5] == "1938-07-08"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (13912345678.0, "13912345678"),
        (301, "301"),
        (2.5, "2.5"),
        (310106195001020018.0, "3.1010619500102E+17"),
        (True, "TRUE"),
        (date(2013, 3, 4), "2013-03-04"),
        ("", ""),
    ],
)
def test_cells_are_read_as_the_text_a_person_typed(value, text):
    assert cell_text(value) == text


def test_a_workbook_named_otherwise_is_read_by_its_content(tmp_path):
    path = write_workbook("xlsx", tmp_path / "census.xlsx", [["楼号", "姓名"], ["62号楼", "王秀英"]])
    renamed = path.rename(tmp_path / "census.xls")  # WPS does this
    assert list(open_sheet(renamed).rows) == [(1, ["楼号", "姓名"]), (2, ["62号楼", "王秀英"])]
    xls = write_workbook("xls", tmp_path / "old.xls", [["楼号", "姓名"], ["62号楼", "王秀英"]])
    renamed = xls.rename(tmp_path / "old.xlsx")
    assert list(open_sheet(renamed).rows) == [(1, ["楼号", "姓名"]), (2, ["62号楼", "王秀英"])]


def test_shared_strings_spill_to_disk_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(SharedStrings, "IN_MEMORY", 2)
    rows = [[f"楼{i}", f"名字{i}", "户主"] for i in range(50)]
    path = write_xlsx(tmp_path / "s.xlsx", rows, header=["楼号", "姓名", "关系"], dates_as_numbers=False)
    read = _rows(path)
    assert read[0] == (1, ["楼号", "姓名", "关系"])
    assert [cells for _n, cells in read[1:]] == rows


def test_a_chunk_boundary_inside_a_row_loses_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "CHUNK", 64)  # rows cut across many reads
    rows = [[f"{i}号楼", f"住户{i}", str(100 + i)] for i in range(40)]
    path = write_xlsx(tmp_path / "c.xlsx", rows, header=["楼号", "姓名", "室号"], dates_as_numbers=False)
    assert [cells for _n, cells in _rows(path)[1:]] == rows


def test_a_prefixed_sheet_cut_into_small_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "CHUNK", 50)
    body = "".join(
        f'<x:row r="{i}"><x:c r="A{i}" t="inlineStr"><x:is><x:t>住户{i}</x:t></x:is></x:c></x:row>'
        for i in range(1, 60)
    )
    xml = f'<x:worksheet xmlns:x="main"><x:sheetData>{body}</x:sheetData></x:worksheet>'
    assert [cells[0] for _n, cells in _rows(_book(tmp_path / "g.xlsx", xml))] == [
        f"住户{i}" for i in range(1, 60)
    ]


@pytest.mark.parametrize("chunk", [7, 13, 29, 50])
def test_rows_without_references_survive_any_chunk_size(monkeypatch, chunk):
    import io

    monkeypatch.setattr(sheets, "CHUNK", chunk)
    body = "".join(
        f'<x:row><x:c t="inlineStr"><x:is><x:t>住户{i}</x:t></x:is></x:c></x:row>' for i in range(1, 30)
    )
    xml = f'<x:worksheet xmlns:x="main"><x:sheetData>{body}</x:sheetData></x:worksheet>'.encode()
    strings = SharedStrings(io.BytesIO(b""))
    rows = list(sheets._sheet_rows(io.BytesIO(xml), strings))
    assert [cells[0] for _n, cells in rows] == [f"住户{i}" for i in range(1, 30)]
    assert [n for n, _cells in rows] == list(range(1, 30))


def test_a_merge_over_an_empty_row_leaves_it_empty(tmp_path):
    rows: list[list[str | None]] = [
        ["楼号", "室号", "姓名"],
        ["62号楼", "301", "王建国"],
        [None, None, "李秀英"],
        [None, None, None],
    ]
    rows.append(["62号楼", "302", "赵阿婆"])
    path = write_workbook("xls", tmp_path / "m.xls", rows, merges=((1, 3, 1, 1),))
    read = dict(open_sheet(path).rows)
    assert read[3] == ["", "301", "李秀英"] and not any(read[4]) and read[5][1] == "302"
