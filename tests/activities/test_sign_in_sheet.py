"""The activity sign-in sheet: the Chinese text survives, every listed resident is numbered in order,
walk-in lines follow, the column heads and a page number are on every page, and typed markup
prints as typed."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from pypdf import PdfReader

from activities.sign_in_sheet import SheetContent, SheetRow, render_sign_in_sheet

NAMES = ("王秀英", "李建国", "张桂兰")


def _row(name: str = "王秀英", **changes) -> SheetRow:
    fields: dict[str, Any] = {
        "name": name,
        "address": "62号楼 1单元301室",
        "phone": "139****1234",
        "status": "已报名",
        "checked_in": False,
    }
    return SheetRow(**(fields | changes))


def _content(**changes) -> SheetContent:
    fields: dict[str, Any] = {
        "committee": "延长新村居委会",
        "title": "新华书法班（第3次）",
        "starts": datetime(2025, 3, 8, 14, 0),
        "ends": datetime(2025, 3, 8, 16, 0),
        "place": "居委会二楼活动室",
        "capacity": 20,
        "rows": tuple(_row(name) for name in NAMES),
        "blank_rows": 2,
    }
    return SheetContent(**(fields | changes))


def _render(content: SheetContent) -> PdfReader:
    with translation.override("zh-hans"):
        data = render_sign_in_sheet(content)
    assert data.startswith(b"%PDF")
    return PdfReader(io.BytesIO(data))


def _text(page) -> str:
    """The page's text without whitespace: line breaks fall wherever the wrapping put them."""
    return re.sub(r"\s+", "", page.extract_text())


def _fragments(page) -> list[str]:
    """Each separately drawn piece of text, stripped: a table cell's line is one piece."""
    pieces: list[str] = []
    page.extract_text(visitor_text=lambda text, *_args: pieces.append(text.strip()))
    return [piece for piece in pieces if piece]


def _zh(message: str, **values) -> str:
    """``message`` as the sheet prints it in Chinese, without whitespace."""
    with translation.override("zh-hans"):
        text = gettext(message) % values if values else gettext(message)
    return re.sub(r"\s+", "", text)


def _label(message: str) -> str:
    """The fixed text before the first placeholder of ``message`` in Chinese, e.g. "名额："."""
    with translation.override("zh-hans"):
        return re.sub(r"\s+", "", gettext(message).split("%(")[0])


def _column(label: str) -> str:
    with translation.override("zh-hans"):
        return pgettext("sign-in sheet column", label)


def _rectangles(page) -> int:
    return len(re.findall(rb"\bre\b", page.get_contents().get_data()))


def _images_on(page) -> list:
    xobjects = page["/Resources"].get("/XObject", {})
    return [xobject for xobject in xobjects.values() if xobject.get_object()["/Subtype"] == "/Image"]


def test_a_short_sheet_is_one_page_with_the_header_and_the_residents():
    reader = _render(_content())

    assert len(reader.pages) == 1
    text = _text(reader.pages[0])
    assert "延长新村居委会" in text
    assert _zh("Sign-in sheet") in text
    assert "新华书法班（第3次）" in text
    assert "居委会二楼活动室" in text
    assert all(name in text for name in NAMES)
    assert text.count("62号楼1单元301室") == len(NAMES)
    assert text.count("139****1234") == len(NAMES)
    assert "已报名" in text
    assert reader.metadata is not None
    assert reader.metadata.title == "新华书法班（第3次）"
    assert reader.metadata.author == "延长新村居委会"


def test_the_columns_are_labelled():
    reader = _render(_content())

    fragments = _fragments(reader.pages[0])
    for label in ("No.", "Name", "Address", "Phone", "Status", "Signature"):
        assert _column(label) in fragments


def test_rows_are_numbered_in_order_then_the_walk_in_lines():
    reader = _render(_content(blank_rows=2))

    fragments = _fragments(reader.pages[0])
    numbers = [int(piece) for piece in fragments if piece.isdigit()]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 5  # and the page's rest
    text = _text(reader.pages[0])
    assert text.index("王秀英") < text.index("李建国") < text.index("张桂兰")


def test_no_walk_in_lines_when_none_are_asked_for():
    reader = _render(_content(blank_rows=0))

    assert [piece for piece in _fragments(reader.pages[0]) if piece.isdigit()] == ["1", "2", "3"]


def test_date_time_place_and_counts_are_printed():
    reader = _render(_content())

    text = _text(reader.pages[0])
    assert "2025年3月8日" in text
    assert "14:00–16:00" in text
    assert _zh("Registered: %(count)s", count=3) in text
    assert _zh("Places: %(count)s", count=20) in text


def test_an_aware_time_is_printed_in_local_time():
    starts = datetime(2025, 3, 8, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai

    reader = _render(_content(starts=starts, ends=None, capacity=None))

    text = _text(reader.pages[0])
    assert "2025年3月8日" in text
    assert "14:00" in text
    assert "–" not in text  # no end time, no range
    assert _label("Places: %(count)s") not in text  # no limit, no places line


def test_an_activity_over_two_days_shows_both_dates():
    reader = _render(_content(ends=datetime(2025, 3, 9, 11, 30)))

    text = _text(reader.pages[0])
    assert "2025年3月8日" in text
    assert "2025年3月9日11:30" in text


def test_sixty_residents_fill_more_pages_with_the_column_heads_on_each():
    rows = tuple(_row(f"居民{number}") for number in range(1, 61))

    reader = _render(_content(rows=rows, blank_rows=8))

    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert _column("Name") in _fragments(page)
        assert _column("Signature") in _fragments(page)
    numbers = [int(piece) for page in reader.pages for piece in _fragments(page) if piece.isdigit()]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 68
    text = "".join(_text(page) for page in reader.pages)
    assert all(f"居民{number}" in text for number in range(1, 61))


def test_every_page_has_a_page_number_and_the_printing_date():
    rows = tuple(_row(f"居民{number}") for number in range(1, 61))

    reader = _render(_content(rows=rows))

    with translation.override("zh-hans"):
        printed = _zh("Printed on %(date)s", date=date_format(timezone.localdate(), "DATE_FORMAT"))
    for number, page in enumerate(reader.pages, start=1):
        text = _text(page)
        assert _zh("Page %(number)s", number=number) in text
        assert printed in text


def test_markup_in_the_users_text_is_printed_literally():
    row = _row('<b>& "A&B"', address="a < b && c > d <br/>")

    reader = _render(_content(title="<i>书法</i> & 绘画", committee="A&B居委会", rows=(row,)))

    text = reader.pages[0].extract_text()
    bare = re.sub(r"\s+", "", text)  # a long name wraps in its cell
    assert '<b>&"A&B"' in bare
    assert "a<b&&c>d<br/>" in bare
    assert "<i>书法</i> & 绘画" in text
    assert "A&B居委会" in text


def test_a_checked_in_resident_is_marked_in_the_signature_column():
    rows = (_row("王秀英", checked_in=True), _row("李建国"))

    reader = _render(_content(rows=rows))

    text = _text(reader.pages[0])
    mark = "✓" + _zh("Checked in")
    assert text.count(mark) == 1
    assert text.index("王秀英") < text.index(mark) < text.index("李建国")
    assert _zh("Checked in: %(count)s", count=1) in text


def test_an_empty_phone_leaves_the_cell_blank():
    reader = _render(_content(rows=(_row(phone=""),)))

    text = _text(reader.pages[0])
    assert "王秀英" in text
    assert "****" not in text


def test_long_names_and_addresses_wrap_within_their_cells():
    address = "延长中路585弄62号楼1单元301室（老年活动室楼上，进门左转）" * 2
    row = _row("阿依古丽·买买提·艾力江", address=address)

    reader = _render(_content(rows=(row,)))

    assert len(reader.pages) == 1
    text = _text(reader.pages[0])
    assert "阿依古丽·买买提·艾力江" in text
    assert address in text


def test_with_a_url_the_header_has_a_vector_qr_code():
    plain = _render(_content()).pages[0]
    with_qr = _render(_content(url="https://mulin.example.cn/activities/17/")).pages[0]

    assert _images_on(with_qr) == []
    assert _rectangles(with_qr) > _rectangles(plain) + 50  # one rectangle per run of dark modules
    assert _zh("Scan for details") in _text(with_qr)
    assert _zh("Scan for details") not in _text(plain)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_renders_in_each_language(language):
    with translation.override(language):
        data = render_sign_in_sheet(_content(url="https://mulin.example.cn/activities/17/"))
        label = pgettext("sign-in sheet column", "Name")

    page = PdfReader(io.BytesIO(data)).pages[0]
    assert label in _fragments(page)


def _sizes_and_heights(page) -> list[tuple[float, float]]:
    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            found.append((size, cm[5] + tm[5]))

    page.extract_text(visitor_text=visit)
    return found


def test_names_are_legible_to_an_elderly_resident_and_walk_in_lines_fill_the_page():
    """Names at 13 pt (they were 11) and the title at 18; walk-in lines down to the foot of
    the page rather than eight lines and half a sheet of blank paper."""
    reader = _render(_content(blank_rows=8))
    page = reader.pages[0]
    lines = _sizes_and_heights(page)

    assert len(reader.pages) == 1
    names = [size for size, _y in lines]
    assert min(size for size in names if size > 9) >= 13  # all but the page's footer line
    assert max(names) >= 24  # "签到表"
    numbers = [int(piece) for piece in _fragments(page) if piece.isdigit()]
    assert len(numbers) > 3 + 8
    lowest_row = min(y for size, y in lines if size >= 13)
    assert lowest_row < 0.15 * float(page.mediabox.height)  # within two lines of the bottom margin
