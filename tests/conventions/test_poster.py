"""The convention poster for the wall: a real A4 PDF with the Chinese text, the clauses under
their themes, the signatures so far and the rate, the date, and an embedded font."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from django.utils import formats
from pypdf import PdfReader

from common import pdf
from common.pdf import cjk_fonts
from conventions.poster import PosterContent, PosterTheme, render_poster


def _content(**changes) -> PosterContent:
    fields: dict[str, Any] = {
        "committee": "延长新村居委会",
        "area": "62号楼组",
        "title": "62号楼楼组健康公约",
        "version": 1,
        "preamble": "为共建健康楼组，经全体居民协商，订立本公约。",
        "themes": (
            PosterTheme("居民凝聚类", ((1, "楼组居民互相认识，见面问声好。"),)),
            PosterTheme("社区健康类", ((2, "每月参加一次健康讲座。"), (3, "不在楼道内吸烟。"))),
        ),
        "signed": 42,
        "rate": "84%",
        "per_household": True,
        "day": date(2026, 11, 20),
        "url": "https://mulin.example.cn/conventions/7/",
    }
    return PosterContent(**(fields | changes))


def _text(reader: PdfReader) -> str:
    return "".join(re.sub(r"\s+", "", page.extract_text()) for page in reader.pages)


def _read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF")
    return PdfReader(io.BytesIO(data))


@pytest.fixture
def fresh_fonts():
    cjk_fonts.cache_clear()
    yield
    cjk_fonts.cache_clear()


def test_the_poster_carries_the_text_by_theme_and_the_signatures(english):
    reader = _read(render_poster(_content()))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
    text = _text(reader)
    for part in (
        "延长新村居委会",
        "62号楼楼组健康公约",
        "经全体居民协商",
        "居民凝聚类",
        "社区健康类",
        "3.不在楼道内吸烟。",
    ):
        assert part in text, part
    assert text.index("居民凝聚类") < text.index("社区健康类")
    assert "42householdshavesigned(rate84%)" in text
    assert re.sub(r"\s+", "", formats.date_format(date(2026, 11, 20), "DATE_FORMAT")) in text
    assert reader.metadata is not None
    assert reader.metadata.title == "62号楼楼组健康公约"


def test_per_resident_conventions_count_residents(english):
    text = _text(_read(render_poster(_content(per_household=False, signed=7, rate="—"))))
    assert "7residentshavesigned(rate—)" in text


def test_a_long_convention_flows_onto_more_pages(english):
    clauses = tuple((n, "本条款内容较长，" * 12) for n in range(1, 41))
    reader = _read(render_poster(_content(themes=(PosterTheme("社区健康类", clauses),))))
    assert len(reader.pages) > 1
    assert "householdshavesigned" in re.sub(r"\s+", "", reader.pages[-1].extract_text())


def test_the_cjk_font_is_embedded(settings, fresh_fonts):
    if not pdf.FONT_PATHS[0].is_file():
        pytest.skip("fonts-wqy-microhei is not installed")
    settings.MULIN_PDF_FONT = ""
    reader = _read(render_poster(_content()))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]  # pypdf: PdfObject
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    cjk = {name: font for name, font in fonts.items() if "WenQuanYi" in name}
    assert cjk, fonts.keys()
    for name, font in cjk.items():
        # A subset of the TrueType outlines travels inside the file: it prints anywhere.
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), name


def test_markup_in_the_text_prints_as_typed(english):
    text = (
        _read(render_poster(_content(title='<b>公约 & "A"', preamble="a < b <br/>"))).pages[0].extract_text()
    )
    assert '<b>公约 & "A"' in text and "a < b <br/>" in text


def _sizes(page) -> list[float]:
    found: list[float] = []
    page.extract_text(
        visitor_text=lambda text, _cm, _tm, _font, size: found.append(size) if text.strip() else None
    )
    return found


def test_a_short_convention_is_printed_large_enough_to_read_on_the_stairs(english):
    """Five clauses fill one page at 22 pt with a 44 pt title (they were 13 and 26 pt)."""
    reader = _read(render_poster(_content()))

    assert len(reader.pages) == 1
    sizes = _sizes(reader.pages[0])
    assert max(sizes) >= 40
    assert sorted(sizes)[len(sizes) // 2] >= 20  # the clauses, the bulk of the lines


def test_a_long_convention_comes_down_to_14_points_and_no_further(english):
    clauses = tuple((n, "楼道不堆放杂物，保持整洁，电动自行车不进楼道充电。" * 3) for n in range(1, 31))
    reader = _read(render_poster(_content(themes=(PosterTheme("环境美化类", clauses),))))

    assert len(reader.pages) >= 2
    sizes = [size for page in reader.pages for size in _sizes(page)]
    assert min(sizes) >= 11  # the date and committee by the QR code
    assert sorted(sizes)[len(sizes) // 2] >= 14
