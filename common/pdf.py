"""Shared PDF helpers on ReportLab: Chinese fonts, paragraph styles, vector QR codes, A4 documents.

Posters, activity sign-in sheets and yearly reports all print Chinese on A4, so the font
lookup, the styles and the page set-up live here once.

Fonts: ReportLab can only embed TrueType outlines, so the font is WenQuanYi Micro Hei (a
``.ttc`` with TrueType glyphs), or the file named by ``settings.MULIN_PDF_FONT``. The Noto
CJK collections are CFF-based and cannot be used. A face with a single weight has no bold
and ReportLab cannot synthesize one, so the "bold" font is the same file registered under
a second name: emphasis comes from size and colour. Should no usable file be found, the
built-in CID font STSong-Light is used: it is not embedded and viewers substitute a local
Song face, but a PDF is always produced.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Table, TableStyle

logger = logging.getLogger(__name__)

# Debian's fonts-wqy-microhei and fonts-wqy-zenhei: TrueType outlines, full GB 18030 coverage.
FONT_PATHS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)
REGULAR = "MulinCJK"
BOLD = "MulinCJK-Bold"
FALLBACK = "STSong-Light"

MARGIN = 18 * mm
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")


def _candidates() -> list[Path]:
    """The configured font first, so a deployment can choose its face, then the known paths."""
    configured = getattr(settings, "MULIN_PDF_FONT", "")
    paths = [Path(configured)] if configured else []
    if configured and not Path(configured).is_file():
        logger.warning("MULIN_PDF_FONT %s does not exist; looking for a known font instead", configured)
    return paths + list(FONT_PATHS)


def _register_ttf(path: Path) -> bool:
    """Register ``path`` as the regular and the bold face; False if ReportLab cannot read it."""
    try:
        regular = TTFont(REGULAR, str(path), subfontIndex=0)
        bold = TTFont(BOLD, str(path), subfontIndex=0)
    except (TTFError, OSError) as error:
        logger.warning("Cannot use %s as the PDF font: %s", path, error)
        return False
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return True


@functools.cache
def cjk_fonts() -> tuple[str, str]:
    """Names of a regular and a bold font that can draw Chinese, registered once per process.

    Parsing a CJK font takes a noticeable fraction of a second, hence the cache; tests that
    change the font lookup call ``cjk_fonts.cache_clear()``.
    """
    for path in _candidates():
        if path.is_file() and _register_ttf(path):
            return REGULAR, BOLD
    logger.warning(
        "No TrueType CJK font found (set MULIN_PDF_FONT or install fonts-wqy-microhei); "
        "PDFs use the non-embedded %s font",
        FALLBACK,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK, FALLBACK


@dataclass(frozen=True)
class PdfStyles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle


def styles() -> PdfStyles:
    """Paragraph styles for A4 documents, wrapping Chinese between any two characters.

    Not cached: the styles are cheap and must follow ``cjk_fonts`` when its cache is reset.
    """
    regular, bold = cjk_fonts()
    body = ParagraphStyle(
        "MulinBody", fontName=regular, fontSize=11, leading=17, textColor=INK, wordWrap="CJK"
    )
    return PdfStyles(
        title=ParagraphStyle("MulinTitle", parent=body, fontName=bold, fontSize=20, leading=27, spaceAfter=8),
        heading=ParagraphStyle(
            "MulinHeading", parent=body, fontName=bold, fontSize=14, leading=20, spaceBefore=6, spaceAfter=4
        ),
        body=body,
        small=ParagraphStyle("MulinSmall", parent=body, fontSize=9, leading=13, textColor=MUTED),
    )


def markup(value: str) -> str:
    """User or translated text as Paragraph markup: ``<b>&`` prints as typed, and a new line
    starts a new line."""
    return escape(value.strip()).replace("\n", "<br/>")


def qr_footer(url: str, size_mm: float, lines: list[Flowable], width: float) -> Flowable:
    """A poster's foot: the QR code to the page online beside ``lines`` of text, ruled above.
    One single-row table, so it never splits: the block moves to a new page whole."""
    qr_width = size_mm * mm
    table = Table(
        [[qr_drawing(url, size_mm), lines]], colWidths=[qr_width + 5 * mm, width - qr_width - 5 * mm]
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEABOVE", (0, 0), (-1, 0), 1, colors.HexColor("#999999")),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def qr_drawing(url: str, size_mm: float) -> Drawing:
    """A QR code of ``url`` as vector squares, quiet zone included, ``size_mm`` wide and high.

    Vectors stay sharp at any printer resolution. ``make_qr`` rather than ``make``: for short
    text segno would pick a Micro QR code, which most phone cameras do not read.
    """
    matrix = segno.make_qr(url, error="m").matrix
    border = 4  # the quiet zone the QR standard asks for, in modules
    modules = len(matrix) + 2 * border
    side = size_mm * mm
    unit = side / modules
    drawing = Drawing(side, side)
    for row_index, row in enumerate(matrix):
        y = side - (row_index + border + 1) * unit
        for start, length in _dark_runs(row):
            drawing.add(
                Rect(
                    (start + border) * unit,
                    y,
                    length * unit,
                    unit,
                    fillColor=colors.black,
                    strokeColor=None,
                    strokeWidth=0,
                )
            )
    return drawing


def _dark_runs(row: bytes | bytearray) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules: one rectangle per run keeps the PDF small
    and leaves no hairline gaps between neighbouring modules."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, dark in enumerate([*row, 0]):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


def document(buffer: BinaryIO, title: str, author: str, subject: str = "") -> SimpleDocTemplate:
    """An A4 document with 18 mm margins whose PDF metadata carries ``title`` and ``author``.

    Viewers show the title instead of the file name, and search tools index both.
    """
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        subject=subject,
        creator="Mulin",
        lang="zh-Hans",
        displayDocTitle=True,
    )


def stacked_height(flowables: list[Flowable], width: float) -> float:
    """How tall ``flowables`` stand one after another in a frame ``width`` wide, spaces
    included: what a poster measures to choose the largest type that still fits its page."""
    total = 0.0
    for flowable in flowables:
        if isinstance(flowable, KeepTogether):  # it wraps only on a canvas: measure what it holds
            total += stacked_height(flowable._content, width)
            continue
        _width, height = flowable.wrap(width, 10_000)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total
