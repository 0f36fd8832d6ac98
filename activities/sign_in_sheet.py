"""The printable sign-in sheet (签到表) of an activity, signed by hand at the door.

Committees print it before the activity, lay it on the table by the door, and file it
afterwards as the record of who came. Elderly residents find their own name on it, so the
names print at 13 pt and the title at 18; the signature column is wide enough for an elderly
hand, rows are at least 11 mm high, the column heads repeat on every page, loose pages carry
the activity's title and a page number, and empty numbered lines take walk-ins: at least the
number asked for, then as many as fill the last page, instead of leaving it half blank.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from common.pdf import MUTED, cjk_fonts, document, markup, qr_drawing, styles

QR_MM = 22
CHECK_MARK = "✓"
MIN_ROW_HEIGHT = 11 * mm
CELL_PADDING = 4  # points, on each side of a cell
# No., name, address, phone, status: the signature column takes the rest of the width.
COLUMN_WIDTHS_MM = (14, 25, 40, 32, 21)
MIN_SIGNATURE_MM = 40
HEAD_BACKGROUND = colors.HexColor("#e8e8e8")
GRID = colors.HexColor("#777777")
COUNT_GAP = "&nbsp;" * 6


@dataclass(frozen=True)
class SheetRow:
    name: str  # the resident's name
    address: str  # e.g. "62号楼 1单元301室"
    phone: str  # already masked by the caller, e.g. "139****1234"; may be ""
    status: str  # already translated, e.g. "已报名", "候补 3", "现场报名"
    checked_in: bool  # already checked in: the signature column says so
    waiting: bool = False  # on the waiting list: listed, but not counted as registered


@dataclass(frozen=True)
class SheetContent:
    committee: str  # e.g. "延长新村居委会"
    title: str  # the activity's title
    starts: datetime  # aware (shown in local time) or naive (shown as is)
    ends: datetime | None
    place: str
    capacity: int | None  # None: no limit, not printed
    rows: tuple[SheetRow, ...]
    # Empty numbered lines at the end for walk-ins (现场报名): at least this many, then as many
    # as fill the last page; none at all when 0.
    blank_rows: int = 8
    url: str = ""  # the activity page; when given, a small QR code in the header


@dataclass(frozen=True)
class _SheetStyles:
    committee: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    info: ParagraphStyle
    caption: ParagraphStyle
    head: ParagraphStyle
    cell: ParagraphStyle
    number: ParagraphStyle
    footer_font: str


def render_sign_in_sheet(content: SheetContent) -> bytes:
    """The sheet as PDF bytes: the header once, then the table over as many A4 pages as it takes."""
    buffer = io.BytesIO()
    doc = document(buffer, title=content.title, author=content.committee, subject=_("Sign-in sheet"))
    sheet = _styles()
    story: list[Flowable] = [*_header(content, sheet, doc.width), Spacer(1, 4 * mm)]
    header_height = sum(
        flowable.wrap(doc.width, doc.height)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        for flowable in story
    )
    story.append(_table(content, sheet, doc.width, room=(doc.height - header_height, doc.height)))
    footer = _footer(content, sheet.footer_font)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _styles() -> _SheetStyles:
    """Sheet sizes on top of the shared styles: 13 pt in the cells, for an elderly resident
    looking for their own name at the door."""
    base = styles()
    regular, bold = cjk_fonts()
    cell = ParagraphStyle("SheetCell", parent=base.body, fontSize=13, leading=17)
    return _SheetStyles(
        committee=ParagraphStyle(
            "SheetCommittee", parent=base.body, fontSize=13, leading=17, alignment=TA_CENTER, textColor=MUTED
        ),
        heading=ParagraphStyle(
            "SheetHeading", parent=base.title, fontSize=24, leading=31, alignment=TA_CENTER, spaceAfter=2
        ),
        title=ParagraphStyle(
            "SheetTitle", parent=base.heading, fontSize=18, leading=24, alignment=TA_CENTER, spaceBefore=0
        ),
        info=ParagraphStyle("SheetInfo", parent=base.body, fontSize=13, leading=19),
        caption=ParagraphStyle(
            "SheetCaption", parent=base.small, fontSize=8, leading=10, alignment=TA_CENTER
        ),
        head=ParagraphStyle("SheetHead", parent=cell, fontName=bold, alignment=TA_CENTER),
        cell=cell,
        number=ParagraphStyle("SheetNumber", parent=cell, alignment=TA_CENTER),
        footer_font=regular,
    )


def _header(content: SheetContent, sheet: _SheetStyles, width: float) -> list[Flowable]:
    """Committee, the "sign-in sheet" heading and the activity title centred, then time, place and
    counts, with the QR code to the right of them when there is a URL."""
    header: list[Flowable] = [
        Paragraph(markup(content.committee), sheet.committee),
        Paragraph(markup(_("Sign-in sheet")), sheet.heading),
        Paragraph(markup(content.title), sheet.title),
        Spacer(1, 2 * mm),
    ]
    info = [Paragraph(line, sheet.info) for line in _info_lines(content)]
    if not content.url:
        return header + info
    qr = [qr_drawing(content.url, QR_MM), Paragraph(markup(_("Scan for details")), sheet.caption)]
    qr_width = QR_MM * mm
    block = Table([[info, qr]], colWidths=[width - qr_width, qr_width])
    block.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [*header, block]


def _info_lines(content: SheetContent) -> list[str]:
    """Time, place, and how many are on the list against the places, as Paragraph markup, one line each.

    The counts share a line, set apart by non-breaking spaces: Paragraph would collapse any
    run of ordinary (or ideographic) spaces into one.
    """
    lines = [markup(_("Time: %(when)s") % {"when": _when(content.starts, content.ends)})]
    if content.place.strip():
        lines.append(markup(_("Place: %(place)s") % {"place": content.place.strip()}))
    waiting = sum(row.waiting for row in content.rows)
    counts = []
    if content.capacity is not None:
        counts.append(_("Places: %(count)s") % {"count": content.capacity})
    # Registered means a place; the waiting list is listed but counted apart.
    counts.append(_("Registered: %(count)s") % {"count": len(content.rows) - waiting})
    if waiting:
        counts.append(_("Waiting: %(count)s") % {"count": waiting})
    checked_in = sum(row.checked_in for row in content.rows)
    if checked_in:
        counts.append(_("Checked in: %(count)s") % {"count": checked_in})
    lines.append(COUNT_GAP.join(markup(count) for count in counts))
    return lines


def _local(moment: datetime) -> datetime:
    """Aware times in the committee's time zone; naive ones are taken to be local already."""
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _when(starts: datetime, ends: datetime | None) -> str:
    """Date, weekday and time range; the end date is repeated only when the activity spans days."""
    start = _local(starts)
    day = _("%(weekday)s, %(date)s") % {
        "weekday": date_format(start, "l"),
        "date": date_format(start, "DATE_FORMAT"),
    }
    when = f"{day} {time_format(start, 'TIME_FORMAT')}"
    if ends is None:
        return when
    end = _local(ends)
    if end.date() == start.date():
        return f"{when}–{time_format(end, 'TIME_FORMAT')}"
    return f"{when} – {date_format(end, 'DATE_FORMAT')} {time_format(end, 'TIME_FORMAT')}"


def _column_widths(width: float) -> list[float]:
    """Fixed widths for the printed fields; the signature column gets the rest, at least 40 mm."""
    fixed = [value * mm for value in COLUMN_WIDTHS_MM]
    signature = width - sum(fixed)
    if signature < MIN_SIGNATURE_MM * mm:
        raise ValueError(f"only {signature / mm:.0f} mm left for signatures")
    return [*fixed, signature]


def _column_heads(sheet: _SheetStyles) -> list[Flowable]:
    """The column labels, with a context: "Name" elsewhere in Mulin is an area's name (名称)."""
    labels = [
        pgettext("sign-in sheet column", "No."),
        pgettext("sign-in sheet column", "Name"),
        pgettext("sign-in sheet column", "Address"),
        pgettext("sign-in sheet column", "Phone"),
        pgettext("sign-in sheet column", "Status"),
        pgettext("sign-in sheet column", "Signature"),
    ]
    return [Paragraph(markup(label), sheet.head) for label in labels]


def _rows(content: SheetContent, sheet: _SheetStyles, blank_rows: int) -> list[list[Flowable]]:
    """The residents in the given order, then ``blank_rows`` walk-in lines, all numbered from 1."""
    checked_in = f"{CHECK_MARK} {_('Checked in')}"
    rows: list[list[Flowable]] = []
    for number, row in enumerate(content.rows, start=1):
        fields = (row.name, row.address, row.phone, row.status, checked_in if row.checked_in else "")
        rows.append(
            [
                Paragraph(str(number), sheet.number),
                *(Paragraph(markup(field), sheet.cell) for field in fields),
            ]
        )
    for number in range(len(content.rows) + 1, len(content.rows) + blank_rows + 1):
        rows.append([Paragraph(str(number), sheet.number), *(Paragraph("", sheet.cell) for _i in range(5))])
    return rows


def _row_heights(data: list[list[Flowable]], widths: list[float]) -> list[float]:
    """Each row as high as its tallest wrapped cell, never under 9 mm so there is room to sign.

    Table has no minimum row height of its own: fixed heights would cut off a long address,
    automatic ones would leave the blank lines too thin to write on.
    """
    heights = []
    for row in data:
        tallest = max(
            cell.wrap(width - 2 * CELL_PADDING, 10_000)[1] for cell, width in zip(row, widths, strict=True)
        )
        heights.append(max(tallest + 2 * CELL_PADDING, MIN_ROW_HEIGHT))
    return heights


def _table(content: SheetContent, sheet: _SheetStyles, width: float, room: tuple[float, float]) -> Table:
    """The grid: column heads repeated on every page, residents and walk-in lines below them,
    as many walk-in lines as fill the last page (``room``: the height free for the table on
    the first page and on the others)."""
    widths = _column_widths(width)
    asked = max(content.blank_rows, 0)
    data = [_column_heads(sheet), *_rows(content, sheet, asked)]
    heights = _row_heights(data, widths)
    if asked:
        extra = _lines_left(heights, *room)
        data += _rows(content, sheet, asked + extra)[len(data) - 1 :]
        heights += [MIN_ROW_HEIGHT] * extra
    table = Table(data, colWidths=widths, rowHeights=heights, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_BACKGROUND),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ]
        )
    )
    return table


def _lines_left(heights: list[float], first: float, later: float) -> int:
    """How many more empty lines fit under the table's rows (``heights``, the heads first) on
    its last page: the rows laid out page by page as the table splits, the heads repeated."""
    head, rows = heights[0], heights[1:]
    left = first - head
    for height in rows:
        if height > left:
            left = later - head
        left -= height
    return max(int(left // MIN_ROW_HEIGHT) - 1, 0)  # one line to spare for rounding


def _footer(content: SheetContent, font: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    """The page callback: the activity's title on the left so a loose page can be put back,
    the printing date and the page number on the right (the list may change after printing)."""
    printed = _("Printed on %(date)s") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")}
    size = 8.5

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        page = _("Page %(number)s") % {"number": canvas.getPageNumber()}
        right = f"{printed}\u3000{page}"
        room = doc.width - stringWidth(right, font, size) - 6 * mm
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.setFillColor(MUTED)
        y = doc.bottomMargin - 8 * mm
        canvas.drawString(
            doc.leftMargin, y, _clip(f"{content.committee} · {content.title}", font, size, room)
        )
        canvas.drawRightString(doc.leftMargin + doc.width, y, right)
        canvas.restoreState()

    return draw


def _clip(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width``: a footer line cannot wrap."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(f"{text}…", font, size) > width:
        text = text[:-1]
    return f"{text}…"
