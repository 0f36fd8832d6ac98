"""Calendars of bookings for staff: a week of one space (with its open hours, so the gaps
show), and one day or a week of every space of a committee (or a street's subtree); and the
bookings of a period and area as an .xlsx. Each reads a fixed number of queries.

Only staff keeping spaces see them (``spaces.rules.seen_by_staff_q``): a booking names who
booked and what for.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from common.scope import Scope
from common.spreadsheets import XlsxText
from spaces import attendance, rules
from spaces.hours import opening_of, windows
from spaces.models import LIVE_STATUSES, Booking, Space

# A period of the xlsx is at most a year: a bigger one is a mistake, not a report.
MAX_EXPORT_DAYS = 366


@dataclass
class CalendarDay:
    day: date
    bookings: list[Booking] = field(default_factory=list)
    open: list[tuple[datetime, datetime]] = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.day == timezone.localdate()

    @property
    def is_closed(self) -> bool:
        return not self.open


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def staff_spaces(scope: Scope) -> QuerySet[Space]:
    """The spaces whose calendars the scope sees."""
    return Space.objects.filter(rules.seen_by_staff_q(scope))


def _marked(days: list[CalendarDay]) -> list[CalendarDay]:
    """Each booking told whether staff may mark it as come or not come now (``markable``)."""
    now = timezone.now()
    for entry in days:
        for booking in entry.bookings:
            booking.markable = not attendance.mark_problem(booking, now)  # type: ignore[attr-defined]
    return days


def _live_between(first: date, last: date) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(
            status__in=LIVE_STATUSES,
            starts_at__lt=_aware(last + timedelta(days=1)),
            ends_at__gt=_aware(first),
        )
        .select_related("team", "space", "series")
        .order_by("starts_at", "pk")
    )


def space_week(space: Space, day: date) -> list[CalendarDay]:
    """The week (Monday to Sunday) holding ``day``: live bookings and open hours; 3 queries."""
    monday = week_of(day)
    opening = opening_of(space)
    days = [CalendarDay(monday + timedelta(days=n)) for n in range(7)]
    for entry in days:
        entry.open = windows(opening, entry.day)
    for booking in _live_between(monday, monday + timedelta(days=6)).filter(space=space):
        index = (timezone.localtime(booking.starts_at).date() - monday).days
        if 0 <= index < 7:
            days[index].bookings.append(booking)
    return _marked(days)


def area_days(scope: Scope, area: Area, first: date, last: date) -> list[CalendarDay]:
    """Every live booking of the spaces of ``area``'s subtree from ``first`` to ``last``, a
    list per day (the space named on each); one query."""
    days = [CalendarDay(first + timedelta(days=n)) for n in range((last - first).days + 1)]
    found = _live_between(first, last).filter(
        rules.seen_by_staff_q(scope, "space__area__path"), space__area__path__startswith=area.path
    )
    for booking in found:
        index = (timezone.localtime(booking.starts_at).date() - first).days
        if 0 <= index < len(days):
            days[index].bookings.append(booking)
    return _marked(days)


# --- The xlsx ------------------------------------------------------------------------------


def export_rows(scope: Scope, area: Area, first: date, last: date) -> QuerySet[Booking]:
    """Every booking (any status) of ``area``'s subtree from ``first`` to ``last``."""
    return (
        Booking.objects.filter(
            rules.seen_by_staff_q(scope, "space__area__path"),
            space__area__path__startswith=area.path,
            starts_at__gte=_aware(first),
            starts_at__lt=_aware(last + timedelta(days=1)),
        )
        .select_related("space", "team", "partner_unit", "booked_by", "series")
        .order_by("starts_at", "space__name", "pk")
    )


def bookings_xlsx(scope: Scope, area: Area, first: date, last: date) -> bytes:
    """The bookings as an .xlsx; every text cell written as text (formula-safe)."""
    headers = [
        _("Space"),
        _("Day"),
        _("From"),
        _("Until"),
        _("Hours"),
        _("Status"),
        _("What for"),
        _("People"),
        _("Team or unit"),
        _("Booked by"),
        _("Repeating"),
        _("Came"),
    ]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("Bookings")[:31])
    bold = book.add_format({"bold": True})
    cells = XlsxText(book)
    cells.write_row(sheet, 0, 0, headers, bold)
    for row, booking in enumerate(export_rows(scope, area, first, last), start=1):
        starts, ends = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
        who = (
            booking.team.name if booking.team else (booking.partner_unit.name if booking.partner_unit else "")
        )
        came = _("yes") if booking.checked_in_at else (_("no") if booking.no_show_at else "")
        cells.write_row(
            sheet,
            row,
            0,
            [booking.space.name, f"{starts:%Y-%m-%d}", f"{starts:%H:%M}", f"{ends:%H:%M}"],
        )
        sheet.write_number(row, 4, round(booking.hours, 2))
        cells.write_row(
            sheet,
            row,
            5,
            [
                booking.get_status_display(),
                booking.purpose,
                str(booking.people),
                who,
                booking.booked_by.name if booking.booked_by else "",
                booking.series.purpose if booking.series else "",
                came,
            ],
        )
    sheet.set_column(0, len(headers) - 1, 14)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
