"""The notice-board poster: a real PDF whose Chinese text survives, one page when short, the QR
block always last, and never a failure over a bad picture or a missing font."""

from __future__ import annotations

import io
import itertools
import logging
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import segno
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from pypdf import PdfReader
from reportlab.graphics.shapes import Rect
from reportlab.lib.units import mm

from common import pdf
from common.pdf import cjk_fonts, qr_drawing, styles
from notices.poster import QR_MM, PosterContent, render_poster

BODY = (
    "各位居民朋友：\n"
    "冬季气温骤降，是心脑血管疾病和呼吸道感染的高发季节。居委会联合社区卫生服务中心举办冬季养生健康讲座。\n\n"
    "讲座时间：1月8日下午2:00\n讲座地点：居委会二楼活动室"
)


def _content(**changes) -> PosterContent:
    fields: dict[str, Any] = {
        "committee": "延长新村居委会",
        "category": "健康宣传",
        "title": "冬季养生健康讲座",
        "body": BODY,
        "published": date(2024, 12, 20),
        "url": "https://mulin.example.cn/notices/42/",
    }
    return PosterContent(**(fields | changes))


def _render(content: PosterContent) -> PdfReader:
    with translation.override("zh-hans"):
        data = render_poster(content)
    assert data.startswith(b"%PDF")
    return PdfReader(io.BytesIO(data))


def _text(page) -> str:
    """The page's text without whitespace: line breaks fall wherever the wrapping put them."""
    return re.sub(r"\s+", "", page.extract_text())


def _fonts(reader: PdfReader) -> set[str]:
    return {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]  # pypdf: PdfObject
    }


def _images_on(page) -> list:
    xobjects = page["/Resources"].get("/XObject", {})
    return [xobject for xobject in xobjects.values() if xobject.get_object()["/Subtype"] == "/Image"]


def _png(path: Path, size: tuple[int, int] = (120, 80), colour: int = 0) -> Path:
    """A plain picture; differently coloured ones are embedded separately (ReportLab shares equal ones)."""
    Image.new("RGB", size, (200, 40, colour)).save(path)
    return path


@pytest.fixture
def fresh_fonts():
    """``cjk_fonts`` looks the font up again, and again after the test so others get the usual one."""
    cjk_fonts.cache_clear()
    yield
    cjk_fonts.cache_clear()


def test_short_notice_is_one_page_with_its_chinese_text():
    reader = _render(_content())

    assert len(reader.pages) == 1
    text = _text(reader.pages[0])
    assert "冬季养生健康讲座" in text
    assert "延长新村居委会" in text
    assert "健康宣传" in text
    assert "冬季气温骤降，是心脑血管疾病" in text
    assert "讲座地点：居委会二楼活动室" in text
    assert reader.metadata is not None
    assert reader.metadata.title == "冬季养生健康讲座"
    assert reader.metadata.author == "延长新村居委会"


def test_the_qr_block_carries_the_invitation_date_and_committee():
    reader = _render(_content())

    with translation.override("zh-hans"):
        invitation = gettext("Scan to read it online and get updates")
    text = _text(reader.pages[0])
    assert re.sub(r"\s+", "", invitation) in text
    assert "2024年12月20日" in text
    assert text.count("延长新村居委会") == 2  # at the top and beside the QR code


def test_the_wenquanyi_font_is_embedded(settings, fresh_fonts):
    if not pdf.FONT_PATHS[0].is_file():
        pytest.skip("fonts-wqy-microhei is not installed")
    settings.MULIN_PDF_FONT = ""

    reader = _render(_content())

    assert any("WenQuanYi" in name for name in _fonts(reader))


def test_markup_in_the_users_text_is_printed_literally():
    reader = _render(_content(title='<b>& 通知 "A&B"', body="a < b && c > d <br/>"))

    text = reader.pages[0].extract_text()
    assert '<b>& 通知 "A&B"' in text
    assert "a < b && c > d <br/>" in text


def test_a_long_body_flows_onto_more_pages_with_the_qr_block_last():
    paragraph = "冬季养生要注意保暖、合理饮食、适量运动、规律作息，老年人尤其要预防跌倒和感冒。" * 10
    body = "\n\n".join([paragraph] * 8)
    assert len(body) >= 3000

    reader = _render(_content(body=body))

    assert len(reader.pages) >= 2
    with translation.override("zh-hans"):
        invitation = re.sub(r"\s+", "", gettext("Scan to read it online and get updates"))
    assert invitation in _text(reader.pages[-1])
    assert all(invitation not in _text(page) for page in reader.pages[:-1])


def test_an_unreadable_image_is_skipped(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"this is not a picture")

    reader = _render(_content(images=(broken, tmp_path / "missing.jpg")))

    assert len(reader.pages) == 1
    assert _images_on(reader.pages[0]) == []


def test_a_png_is_included(tmp_path):
    reader = _render(_content(images=(_png(tmp_path / "photo.png"),)))

    assert len(reader.pages) == 1
    (image,) = _images_on(reader.pages[0])
    assert (image.get_object()["/Width"], image.get_object()["/Height"]) == (120, 80)


def test_the_first_two_readable_images_are_shown_on_one_page(tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 truncated")
    pictures = [_png(tmp_path / f"{index}.png", (600, 900), 40 * index) for index in range(3)]

    reader = _render(_content(images=(broken, *pictures)))

    assert len(reader.pages) == 1
    assert len(_images_on(reader.pages[0])) == 2


def test_without_any_font_file_the_builtin_cid_font_is_used(
    settings, monkeypatch, tmp_path, fresh_fonts, caplog
):
    settings.MULIN_PDF_FONT = str(tmp_path / "missing.ttf")
    monkeypatch.setattr(pdf, "FONT_PATHS", ())

    with caplog.at_level(logging.WARNING, logger="common.pdf"):
        reader = _render(_content())

    assert cjk_fonts() == ("STSong-Light", "STSong-Light")
    assert len(reader.pages) == 1
    assert any("STSong-Light" in name for name in _fonts(reader))
    assert "No TrueType CJK font" in caplog.text


def test_styles_wrap_chinese():
    regular, bold = cjk_fonts()
    shared = styles()

    assert {shared.body.fontName, shared.small.fontName} == {regular}
    assert {shared.title.fontName, shared.heading.fontName} == {bold}
    assert all(style.wordWrap == "CJK" for style in (shared.title, shared.heading, shared.body, shared.small))


def test_qr_drawing_has_the_requested_size_and_a_quiet_zone():
    drawing = qr_drawing("https://mulin.example.cn/notices/42/", 35)

    assert drawing.width == pytest.approx(35 * mm)
    assert drawing.height == pytest.approx(35 * mm)
    squares = [shape for shape in drawing.contents if isinstance(shape, Rect)]
    assert squares
    left = min(square.x for square in squares)
    right = max(square.x + square.width for square in squares)
    assert left > 0
    assert right < drawing.width
    assert left == pytest.approx(drawing.width - right)  # the same quiet zone on both sides


def test_qr_drawing_draws_the_modules_of_a_full_qr_code():
    """Rebuilding the grid from the squares gives segno's matrix: a regular QR code that phones read
    (segno would pick an unreadable-to-many Micro QR code for short text)."""
    url = "https://mulin.example.cn/n/1"
    matrix = segno.make_qr(url, error="m").matrix
    drawing = qr_drawing(url, 30)
    unit = drawing.width / (len(matrix) + 8)

    grid = [[0] * len(matrix) for _row in matrix]
    for square in drawing.contents:
        row = round((drawing.height - square.y) / unit) - 1 - 4
        for column in range(round(square.x / unit) - 4, round((square.x + square.width) / unit) - 4):
            grid[row][column] = 1
    assert grid == [list(row) for row in matrix]


def _lines(page) -> list[tuple[float, float]]:
    """(font size, baseline height) of each line of text on the page, in points."""
    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            found.append((size, cm[5] + tm[5]))

    page.extract_text(visitor_text=visit)
    return found


def _largest_gap(lines: list[tuple[float, float]], page_height: float) -> float:
    """The tallest band of the page without text between two lines, as a share of the page."""
    tops = sorted({round(y + size) for size, y in lines} | {round(y) for _size, y in lines}, reverse=True)
    return max(upper - lower for upper, lower in itertools.pairwise(tops)) / page_height


def test_a_lobby_poster_is_read_from_two_metres_and_fills_the_page():
    """Title ≥ 40 pt and body ≥ 24 pt on a short notice, its text spread over the page rather
    than a small block at the top of an empty A4 sheet (it was 30 and 15 pt)."""
    reader = _render(_content())
    page = reader.pages[0]
    height = float(page.mediabox.height)
    lines = _lines(page)
    sizes = {size for size, _y in lines}

    assert len(reader.pages) == 1
    assert max(sizes) >= 40  # the title
    body = [size for size, y in lines if size < 40 and 0.3 * height < y < 0.7 * height]
    assert body and min(body) >= 24
    top = max(y + size for size, y in lines)
    bottom = min(y for _size, y in lines)
    assert (top - bottom) / height >= 0.75
    assert _largest_gap(lines, height) < 0.2


def test_a_long_poster_shrinks_the_body_no_further_than_20_points():
    paragraph = "冬季养生要注意保暖、合理饮食、适量运动、规律作息，老年人尤其要预防跌倒和感冒。" * 3
    reader = _render(_content(body="\n\n".join([paragraph] * 6)))

    sizes = [size for page in reader.pages for size, _y in _lines(page)]
    assert max(sizes) >= 40
    body = [size for size in sizes if size < 40]
    assert min(size for size in body if size > 16) >= 20  # the date and committee by the QR code aside


def test_the_posters_qr_code_reads_from_a_step_away():
    assert QR_MM >= 45
