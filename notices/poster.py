"""The printable A4 poster of a notice, for the lobby notice board (公告栏).

Residents read it in the lobby from two metres away, so the type is as large as the page
allows: the title at least 40 pt and the body at least 20 pt, both as large as will still fit
one A4 page (a short notice prints at 56 and 32 pt; only a long one comes down to the
smallest sizes, and a longer one still flows onto more pages). The page carries little
besides the text: who posted it, what kind of notice it is, at most two pictures, and a QR
code a phone reads from a step away, leading to the online copy where later changes are
published.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import TopPadder

from common.pdf import document, markup, qr_footer, stacked_height, styles

ACCENT = colors.HexColor("#b3261e")  # notice-board red
QR_MM = 50
# (title, body) in points, largest first: the first pair at which the poster fits one page
# is used. Below 40 and 20 pt the type is too small to read from two metres; a body that
# does not fit at those sizes flows onto a second page instead.
SIZES = ((56, 32), (52, 30), (48, 28), (46, 26), (44, 24), (42, 22), (40, 20))
MAX_IMAGES = 2
IMAGE_MAX_PX = 2000  # about 300 dpi across the printed width: sharper is only a heavier file
ONE_IMAGE_MAX_HEIGHT = 85 * mm
TWO_IMAGES_MAX_HEIGHT = 70 * mm
IMAGE_GAP = 6 * mm
MIN_IMAGE_HEIGHT = 40 * mm


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
    """The poster as PDF bytes: one A4 page unless the body is long, the QR block always last,
    the type as large as fits (see ``SIZES``)."""
    buffer = io.BytesIO()
    doc = document(buffer, title=content.title, author=content.committee, subject=content.category)
    for title_size, body_size in SIZES:
        poster = _styles(title_size, body_size)
        text = [*_header(content, poster, doc.width), *_body(content.body, poster.body)]
        qr_block = _qr_block(content, poster, doc.width)
        _qr_width, qr_height = qr_block.wrap(doc.width, doc.height)
        pictures = MIN_IMAGE_HEIGHT + 3 * mm if content.images else 0
        if stacked_height(text, doc.width) + qr_height + 5 * mm + pictures <= doc.height:
            break
    story = text + _images(content.images, reserve=qr_height + 5 * mm)
    story.append(TopPadder(qr_block))
    doc.build(story)
    return buffer.getvalue()


def _styles(title_size: float, body_size: float) -> _PosterStyles:
    """Poster sizes on top of the shared styles, from the title's and the body's size."""
    base = styles()
    side = body_size * 0.75  # committee, category band and QR text: smaller than the body
    return _PosterStyles(
        committee=ParagraphStyle(
            "PosterCommittee", parent=base.heading, fontSize=side, leading=side * 1.35, alignment=TA_CENTER
        ),
        category=ParagraphStyle(
            "PosterCategory",
            parent=base.heading,
            fontSize=side,
            leading=side * 1.35,
            alignment=TA_CENTER,
            textColor=colors.white,
            spaceBefore=0,
            spaceAfter=0,
        ),
        title=ParagraphStyle(
            "PosterTitle",
            parent=base.title,
            fontSize=title_size,
            leading=title_size * 1.25,
            alignment=TA_CENTER,
            spaceBefore=title_size * 0.15,
            spaceAfter=title_size * 0.4,
        ),
        # Chinese paragraphs open with a two-character indent.
        body=ParagraphStyle(
            "PosterBody",
            parent=base.body,
            fontSize=body_size,
            leading=body_size * 1.55,
            firstLineIndent=body_size * 2,
            spaceAfter=body_size * 0.5,
        ),
        scan=ParagraphStyle(
            "PosterScan", parent=base.heading, fontSize=side, leading=side * 1.35, spaceAfter=6
        ),
        meta=ParagraphStyle("PosterMeta", parent=base.small, fontSize=side * 0.8, leading=side * 1.15),
    )


def _header(content: PosterContent, poster: _PosterStyles, width: float) -> list[Flowable]:
    """Committee name, the category as a coloured band, then the title."""
    header: list[Flowable] = [
        Paragraph(markup(content.committee), poster.committee),
        Spacer(1, 3 * mm),
    ]
    if content.category.strip():
        band = Table([[Paragraph(markup(content.category), poster.category)]], colWidths=[width])
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
    header.append(Paragraph(markup(content.title), poster.title))
    return header


def _body(body: str, style: ParagraphStyle) -> list[Flowable]:
    """Blocks between blank lines, set apart by ``style.spaceAfter``; each line its own paragraph.

    Lines are separate paragraphs so each keeps the two-character indent of Chinese notices
    (a schedule typed as "时间：…" and "地点：…" lines up). A short opening line ending in
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
            flowables.append(Paragraph(markup(line), line_style))
    return flowables


def _is_salutation(line: str) -> bool:
    """True for an opening such as "各位居民朋友：" or "Dear residents:", short and ending in a colon."""
    line = line.strip()
    return len(line) <= 20 and line.endswith(("：", ":"))


def _images(paths: tuple[Path, ...], reserve: float) -> list[Flowable]:
    """The first two images Pillow can read, as one flowable that leaves ``reserve`` free below.

    An unreadable file is left out rather than losing the whole poster over it.
    """
    loaded: list[_Picture] = []
    for path in paths:
        picture = _load_image(path)
        if picture is not None:
            loaded.append(picture)
        if len(loaded) == MAX_IMAGES:
            break
    return [_Pictures(loaded, reserve)] if loaded else []


@dataclass(frozen=True)
class _Picture:
    data: bytes
    width_px: int
    height_px: int


def _load_image(path: Path) -> _Picture | None:
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
    return _Picture(data.getvalue(), image.width, image.height)


class _Pictures(Flowable):
    """One or two pictures in a row, shrunk so that the QR block still fits on the same page.

    A fixed size would push the QR block of an ordinary notice onto a second sheet; the
    pictures give way first, down to ``MIN_IMAGE_HEIGHT``, below which they keep their full
    size and the QR block moves on instead.
    """

    def __init__(self, pictures: list[_Picture], reserve: float) -> None:
        super().__init__()
        self.pictures = pictures
        self.reserve = reserve
        self.spaceBefore = 3 * mm
        self.sizes: list[tuple[float, float]] = []
        self.cell = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        count = len(self.pictures)
        cap = ONE_IMAGE_MAX_HEIGHT if count == 1 else TWO_IMAGES_MAX_HEIGHT
        room = avail_height - self.reserve
        max_height = min(cap, room) if room >= MIN_IMAGE_HEIGHT else cap
        self.cell = (avail_width - IMAGE_GAP * (count - 1)) / count
        self.sizes = [_fit(picture, self.cell, max_height) for picture in self.pictures]
        self.width = avail_width
        self.height = max(height for _width, height in self.sizes)
        return self.width, self.height

    def draw(self) -> None:
        for index, (picture, (width, height)) in enumerate(zip(self.pictures, self.sizes, strict=True)):
            x = index * (self.cell + IMAGE_GAP) + (self.cell - width) / 2
            y = (self.height - height) / 2
            self.canv.drawImage(ImageReader(io.BytesIO(picture.data)), x, y, width, height)


def _fit(picture: _Picture, max_width: float, max_height: float) -> tuple[float, float]:
    """The largest size within ``max_width`` x ``max_height`` with the picture's aspect ratio."""
    scale = min(max_width / picture.width_px, max_height / picture.height_px)
    return picture.width_px * scale, picture.height_px * scale


def _qr_block(content: PosterContent, poster: _PosterStyles, width: float) -> Flowable:
    """QR code with the invitation to scan it, the publication date and the committee."""
    published = _("Published on %(date)s") % {"date": date_format(content.published, "DATE_FORMAT")}
    text = [
        Paragraph(markup(_("Scan to read it online and get updates")), poster.scan),
        Paragraph(markup(published), poster.meta),
        Paragraph(markup(content.committee), poster.meta),
    ]
    return qr_footer(content.url, QR_MM, text, width)
