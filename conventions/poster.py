"""The printable A4 poster of a convention, for the wall of the building (公约上墙).

The final text as residents agreed it: the title, the preamble, the clauses under their
themes, how many residents (or households) have signed and the rate, the date, and a QR
code leading to the online page, where residents sign.
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

from common.pdf import document, markup, qr_footer, styles

ACCENT = colors.HexColor("#a3241d")
QR_MM = 30


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


def _styles() -> _Styles:
    base = styles()
    return _Styles(
        committee=ParagraphStyle(
            "ConventionCommittee", parent=base.heading, fontSize=15, alignment=TA_CENTER
        ),
        title=ParagraphStyle(
            "ConventionTitle", parent=base.title, fontSize=26, leading=34, alignment=TA_CENTER, spaceAfter=10
        ),
        preamble=ParagraphStyle(
            "ConventionPreamble", parent=base.body, fontSize=13, leading=21, firstLineIndent=26, spaceAfter=6
        ),
        theme=ParagraphStyle(
            "ConventionTheme", parent=base.heading, fontSize=15, leading=21, textColor=ACCENT, spaceBefore=8
        ),
        clause=ParagraphStyle(
            "ConventionClause", parent=base.body, fontSize=13, leading=20, leftIndent=20, firstLineIndent=-20
        ),
        count=ParagraphStyle("ConventionCount", parent=base.heading, fontSize=15, leading=21, spaceAfter=4),
        meta=ParagraphStyle("ConventionMeta", parent=base.small, fontSize=11, leading=16),
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
    style = _styles()
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
    story.append(Spacer(1, 6 * mm))
    story.append(TopPadder(_footer(content, style, doc.width)))
    doc.build(story)
    return buffer.getvalue()


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
