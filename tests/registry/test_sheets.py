"""Reading census sheets: the shapes Excel, WPS and other writers produce."""

import zipfile

import pytest

from registry.census import sheets
from registry.census.sheets import SharedStrings, SheetError, open_sheet
from tests.registry.sheets import write_xlsx

WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{pr}'
    '<sheets><sheet name="人口" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _book(path, sheet_xml: str, strings: list[str] | None = None, date1904: bool = False):
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/workbook.xml", WORKBOOK.format(pr='<workbookPr date1904="1"/>' if date1904 else ""))
        book.writestr("xl/_rels/workbook.xml.rels", RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if strings is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in strings)
            book.writestr("xl/sharedStrings.xml", f'<sst xmlns="x">{items}</sst>')
    return path


def _rows(path):
    return list(open_sheet(path).rows)


def test_shared_strings_spill_to_disk_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(SharedStrings, "IN_MEMORY", 2)
    rows = [[f"楼{i}", f"名字{i}", "户主"] for i in range(50)]
    path = write_xlsx(tmp_path / "s.xlsx", rows, header=["楼号", "姓名", "关系"], dates_as_numbers=False)
    read = _rows(path)
    assert read[0] == (1, ["楼号", "姓名", "关系"])
    assert [cells for _n, cells in read[1:]] == rows


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
        ("a.xlsx", b"not a zip at all", "not an Excel workbook"),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
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
