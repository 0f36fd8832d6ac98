"""The printable A4 poster of a notice, for the lobby notice board (公告栏).

Residents read it standing a metre away, so the type is large (title 30 pt, body 15 pt) and
the page carries little besides the text: who posted it, what kind of notice it is, at most
two pictures, and a QR code leading to the online copy, where later changes are published.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Image, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import TopPadder

from mulin.pdf import document, qr_drawing, styles

ACCENT = colors.HexColor("#b3261e")  # notice-board red
QR_MM = 35
MAX_IMAGES = 2
IMAGE_MAX_PX = 2000  # about 300 dpi across the printed width: sharper is only a heavier file
ONE_IMAGE_MAX_HEIGHT = 85 * mm
TWO_IMAGES_MAX_HEIGHT = 70 * mm
IMAGE_GAP = 6 * mm


@dataclass(frozen=True)
class PosterContent:
    committee: str  # e.g. "延长新村居委会"
    category: str  # e.g. "健康宣传", already translated
    title: str
    body: str  # plain text; blank lines separate paragraphs, single newlines break lines
    published: date
    url: str  # absolute URL of the online copy, encoded in the QR code
    images: tuple[Path, ...] = ()  # JPEG or PNG files; only the first two are shown


@dataclass(frozen=True)
class _PosterStyles:
    committee: ParagraphStyle
    category: ParagraphStyle
    title: ParagraphStyle
    body: ParagraphStyle
    scan: ParagraphStyle
    meta: ParagraphStyle


def render_poster(content: PosterContent) -> bytes:
    """The poster as PDF bytes: one A4 page unless the body is long, the QR block always last."""
    buffer = io.BytesIO()
    doc = document(buffer, title=content.title, author=content.committee)
    poster = _styles()
    story: list[Flowable] = [*_header(content, poster, doc.width)]
    story += _body(content.body, poster.body)
    story += _images(content.images, doc.width)
    story.append(TopPadder(_qr_block(content, poster, doc.width)))
    doc.build(story)
    return buffer.getvalue()


def _styles() -> _PosterStyles:
    """Poster sizes on top of the shared styles: large enough to read at a metre."""
    base = styles()
    return _PosterStyles(
        committee=ParagraphStyle(
            "PosterCommittee", parent=base.heading, fontSize=17, leading=23, alignment=TA_CENTER
        ),
        category=ParagraphStyle(
            "PosterCategory",
            parent=base.heading,
            fontSize=18,
            leading=24,
            alignment=TA_CENTER,
            textColor=colors.white,
            spaceBefore=0,
            spaceAfter=0,
        ),
        title=ParagraphStyle(
            "PosterTitle",
            parent=base.title,
            fontSize=30,
            leading=40,
            alignment=TA_CENTER,
            spaceBefore=6,
            spaceAfter=14,
        ),
        # Chinese paragraphs open with a two-character indent.
        body=ParagraphStyle(
            "PosterBody", parent=base.body, fontSize=15, leading=25, firstLineIndent=30, spaceAfter=8
        ),
        scan=ParagraphStyle("PosterScan", parent=base.heading, fontSize=15, leading=21, spaceAfter=6),
        meta=ParagraphStyle("PosterMeta", parent=base.small, fontSize=12, leading=18),
    )


def _text(value: str) -> str:
    """User text as Paragraph markup: ``<b>&`` prints as typed, newlines become line breaks."""
    return escape(value.strip()).replace("\n", "<br/>")


def _header(content: PosterContent, poster: _PosterStyles, width: float) -> list[Flowable]:
    """Committee name, the category as a coloured band, then the title."""
    header: list[Flowable] = [
        Paragraph(_text(content.committee), poster.committee),
        Spacer(1, 3 * mm),
    ]
    if content.category.strip():
        band = Table([[Paragraph(_text(content.category), poster.category)]], colWidths=[width])
        band.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), ACCENT),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ]
            )
        )
        header += [band, Spacer(1, 5 * mm)]
    else:
        header.append(HRFlowable(width="100%", thickness=2, color=ACCENT, spaceAfter=5 * mm))
    header.append(Paragraph(_text(content.title), poster.title))
    return header


def _body(body: str, style: ParagraphStyle) -> list[Flowable]:
    """Blocks between blank lines, set apart by ``style.spaceAfter``; each line its own paragraph.

    Lines are separate paragraphs so each keeps the two-character indent of Chinese notices
    (a schedule typed as "时间：…" and "地点：…" lines lines up). A short opening line ending in
    a colon is the salutation ("各位居民：") and starts at the margin, as it is handwritten.
    """
    tight = ParagraphStyle(f"{style.name}Line", parent=style, spaceAfter=0)
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    flowables: list[Flowable] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        for index, line in enumerate(lines):
            line_style = style if index == len(lines) - 1 else tight
            if not flowables and _is_salutation(line):
                line_style = ParagraphStyle(
                    f"{line_style.name}Salutation", parent=line_style, firstLineIndent=0
                )
            flowables.append(Paragraph(_text(line), line_style))
    return flowables


def _is_salutation(line: str) -> bool:
    """ "各位居民朋友：" or "Dear residents:": short and ending in a colon."""
    line = line.strip()
    return len(line) <= 20 and line.endswith(("：", ":"))


def _images(paths: tuple[Path, ...], width: float) -> list[Flowable]:
    """The first two readable images: one across the page, two side by side.

    A file Pillow cannot open is left out rather than losing the whole poster over it.
    """
    loaded = [image for image in map(_load_image, paths[:MAX_IMAGES]) if image is not None]
    if not loaded:
        return []
    if len(loaded) == 1:
        return [Spacer(1, 3 * mm), _fit(*loaded[0], width, ONE_IMAGE_MAX_HEIGHT)]
    cell = (width - IMAGE_GAP) / 2
    row = [_fit(*image, cell, TWO_IMAGES_MAX_HEIGHT) for image in loaded]
    table = Table([row], colWidths=[cell + IMAGE_GAP / 2] * 2)
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [Spacer(1, 3 * mm), table]


def _load_image(path: Path) -> tuple[io.BytesIO, int, int] | None:
    """The image upright (phones store rotation in EXIF), at most 2000 px, re-encoded for embedding.

    Photos stay JPEG so the PDF stays small; anything else becomes PNG, transparency on white.
    """
    try:
        with PILImage.open(path) as opened:
            is_jpeg = opened.format == "JPEG"
            image = ImageOps.exif_transpose(opened)
            image.thumbnail((IMAGE_MAX_PX, IMAGE_MAX_PX))
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                image = image.convert("RGBA")
                flat = PILImage.new("RGB", image.size, "white")
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            elif image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            data = io.BytesIO()
            image.save(data, format="JPEG" if is_jpeg else "PNG", quality=85)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return None
    data.seek(0)
    return data, image.width, image.height


def _fit(data: io.BytesIO, width_px: int, height_px: int, max_width: float, max_height: float) -> Image:
    """An Image flowable as large as fits in ``max_width`` x ``max_height``, aspect ratio kept."""
    scale = min(max_width / width_px, max_height / height_px)
    return Image(data, width=width_px * scale, height=height_px * scale)


def _qr_block(content: PosterContent, poster: _PosterStyles, width: float) -> Flowable:
    """QR code with the invitation to scan it, the publication date and the committee."""
    published = _("Published on %(date)s") % {"date": date_format(content.published, "DATE_FORMAT")}
    text = [
        Paragraph(escape(_("Scan to read it online and get updates")), poster.scan),
        Paragraph(escape(published), poster.meta),
        Paragraph(_text(content.committee), poster.meta),
    ]
    qr_width = QR_MM * mm
    # One single-row table: it cannot split, so the block moves to a new page whole.
    table = Table(
        [[qr_drawing(content.url, QR_MM), text]], colWidths=[qr_width + 5 * mm, width - qr_width - 5 * mm]
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
