"""The printable A4 poster of a convention, for the wall of the building (公约上墙).

The final text as residents agreed it: the title, the preamble, the clauses under their
themes, how many residents (or households) have signed and the rate, the date, and a QR
code leading to the online page, where residents sign. It hangs in the stairwell and is read
standing, so the type is as large as still fits one A4 page (clauses from 22 pt down to 14),
and a long convention flows onto more pages at the smallest size.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer
from reportlab.platypus.flowables import TopPadder

from common.pdf import document, markup, qr_footer, stacked_height, styles

ACCENT = colors.HexColor("#a3241d")
QR_MM = 40
# (title, clause) sizes in points, largest first: the first at which the poster fits one page.
SIZES = ((44, 22), (40, 20), (36, 18), (32, 16), (30, 15), (28, 14))


@dataclass(frozen=True)
class PosterTheme:
    name: str  # "" for clauses without a theme
    clauses: tuple[tuple[int, str], ...]  # (number, text)


@dataclass(frozen=True)
class PosterContent:
    committee: str  # "延长新村居委会"
    area: str  # "62号楼组"
    title: str
    version: int
    preamble: str
    themes: tuple[PosterTheme, ...]
    signed: int
    rate: str  # "85%", or "—" when nobody may sign
    per_household: bool
    day: date  # the figures are as of this day
    url: str  # the online page, in the QR code


@dataclass(frozen=True)
class _Styles:
    committee: ParagraphStyle
    title: ParagraphStyle
    preamble: ParagraphStyle
    theme: ParagraphStyle
    clause: ParagraphStyle
    count: ParagraphStyle
    meta: ParagraphStyle


def _styles(title: float, text: float) -> _Styles:
    """The poster's styles from the title's and the clauses' size; the rest in proportion."""
    base = styles()
    side = text * 1.15  # committee, theme headings and the count: a little above the clauses
    return _Styles(
        committee=ParagraphStyle(
            "ConventionCommittee", parent=base.heading, fontSize=side, leading=side * 1.4, alignment=TA_CENTER
        ),
        title=ParagraphStyle(
            "ConventionTitle",
            parent=base.title,
            fontSize=title,
            leading=title * 1.3,
            alignment=TA_CENTER,
            spaceAfter=title * 0.4,
        ),
        preamble=ParagraphStyle(
            "ConventionPreamble",
            parent=base.body,
            fontSize=text,
            leading=text * 1.6,
            firstLineIndent=text * 2,
            spaceAfter=text * 0.45,
        ),
        theme=ParagraphStyle(
            "ConventionTheme",
            parent=base.heading,
            fontSize=side,
            leading=side * 1.4,
            textColor=ACCENT,
            spaceBefore=text * 0.6,
        ),
        clause=ParagraphStyle(
            "ConventionClause",
            parent=base.body,
            fontSize=text,
            leading=text * 1.55,
            leftIndent=text * 1.6,
            firstLineIndent=-text * 1.6,
        ),
        count=ParagraphStyle(
            "ConventionCount", parent=base.heading, fontSize=side, leading=side * 1.4, spaceAfter=4
        ),
        meta=ParagraphStyle("ConventionMeta", parent=base.small, fontSize=text * 0.85, leading=text * 1.2),
    )


def signed_line(signed: int, rate: str, per_household: bool) -> str:
    """ "12 households have signed (rate 80%)": the line the poster and the pages share."""
    values = {"n": signed, "rate": rate}
    if per_household:
        return (
            ngettext(
                "%(n)d household has signed (rate %(rate)s)",
                "%(n)d households have signed (rate %(rate)s)",
                signed,
            )
            % values
        )
    return (
        ngettext(
            "%(n)d resident has signed (rate %(rate)s)", "%(n)d residents have signed (rate %(rate)s)", signed
        )
        % values
    )


def render_poster(content: PosterContent) -> bytes:
    """The poster as PDF bytes: the text flows over as many A4 pages as it needs, the
    signatures and the QR code come last, together."""
    buffer = io.BytesIO()
    doc = document(buffer, title=content.title, author=content.committee, subject=content.area)
    for title_size, text_size in SIZES:
        style = _styles(title_size, text_size)
        text = _text(content, style)
        footer = _footer(content, style, doc.width)
        if stacked_height([*text, footer], doc.width) + 6 * mm <= doc.height:
            break
    story = [*text, Spacer(1, 6 * mm), TopPadder(footer)]
    doc.build(story)
    return buffer.getvalue()


def _text(content: PosterContent, style: _Styles) -> list[Flowable]:
    """The committee and area, the title, the preamble and the clauses under their themes."""
    story: list[Flowable] = [
        Paragraph(markup(f"{content.committee} · {content.area}"), style.committee),
        Paragraph(markup(content.title), style.title),
        HRFlowable(width="100%", thickness=2, color=ACCENT, spaceAfter=4 * mm),
    ]
    for paragraph in [p for p in content.preamble.replace("\r\n", "\n").split("\n") if p.strip()]:
        story.append(Paragraph(markup(paragraph), style.preamble))
    for theme in content.themes:
        block: list[Flowable] = [Paragraph(markup(theme.name), style.theme)] if theme.name else []
        lines = [Paragraph(f"{number}. {markup(text)}", style.clause) for number, text in theme.clauses]
        # A theme's heading never ends a page alone.
        story.append(KeepTogether(block + lines[:1]))
        story += lines[1:]
    return story


def _footer(content: PosterContent, style: _Styles, width: float) -> Flowable:
    as_of = _("Version %(n)d · as of %(date)s") % {
        "n": content.version,
        "date": date_format(content.day, "DATE_FORMAT"),
    }
    text = [
        Paragraph(markup(signed_line(content.signed, content.rate, content.per_household)), style.count),
        Paragraph(markup(_("Scan to read it online and sign")), style.meta),
        Paragraph(markup(as_of), style.meta),
        Paragraph(markup(content.committee), style.meta),
    ]
    return qr_footer(content.url, QR_MM, text, width)
