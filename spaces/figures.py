"""How much a space is used: per space and month, the hours booked (confirmed bookings, clipped
to the month) against the hours open (``spaces.hours.hours_open``: weekly hours less
closures), the use as a percentage, the bookings and the no-shows; for a committee, and rolled
up for a street (every space of its subtree). Four queries whatever the number of spaces.

``idle_spaces`` flags the bookable spaces nobody has booked for 30 days (spaces that sit idle
after opening day): the workspace shows them.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from areas.models import Area
from common.scope import Capability, Scope
from spaces import rules
from spaces.hours import hours_open, openings_of
from spaces.models import LIVE_STATUSES, Booking, BookingStatus, Space

IDLE_DAYS = 30


@dataclass(frozen=True)
class SpaceMonth:
    space: Space | None  # None: the total of a committee or street
    hours_open: float
    hours_booked: float
    bookings: int
    no_shows: int

    @property
    def use_percent(self) -> int | None:
        """Hours booked as a share of hours open; None when it was never open."""
        if not self.hours_open:
            return None
        return round(100 * self.hours_booked / self.hours_open)


@dataclass(frozen=True)
class MonthFigures:
    area: Area
    month: date  # its first day
    rows: list[SpaceMonth]
    total: SpaceMonth


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def of_spaces(spaces: Sequence[Space], month: date) -> list[SpaceMonth]:
    """The month's figures of each of ``spaces`` (already read), in three queries."""
    first, last = month_bounds(month)
    start, end = _aware(first), _aware(last + timedelta(days=1))
    openings = openings_of(spaces)
    booked: dict[int, float] = defaultdict(float)
    count: dict[int, int] = defaultdict(int)
    absent: dict[int, int] = defaultdict(int)
    rows = Booking.objects.filter(
        space__in=list(spaces), status=BookingStatus.CONFIRMED, starts_at__lt=end, ends_at__gt=start
    ).values_list("space_id", "starts_at", "ends_at", "no_show_at")
    for space_id, starts_at, ends_at, no_show_at in rows:
        booked[space_id] += (min(ends_at, end) - max(starts_at, start)).total_seconds() / 3600
        if starts_at >= start:
            count[space_id] += 1
            absent[space_id] += no_show_at is not None
    return [
        SpaceMonth(s, hours_open(openings[s.pk], first, last), booked[s.pk], count[s.pk], absent[s.pk])
        for s in spaces
    ]


def for_area(scope: Scope, area: Area, month: date) -> MonthFigures:
    """The figures of every current space of ``area``'s subtree (a committee's, or a street's
    rolled up) that the scope sees, with their total."""
    spaces = list(
        Space.objects.current()
        .filter(rules.seen_by_staff_q(scope), area__path__startswith=area.path)
        .select_related("area")
        .order_by("area__path", "name", "pk")
    )
    rows = of_spaces(spaces, month)
    total = SpaceMonth(
        None,
        sum(r.hours_open for r in rows),
        sum(r.hours_booked for r in rows),
        sum(r.bookings for r in rows),
        sum(r.no_shows for r in rows),
    )
    return MonthFigures(area, month_bounds(month)[0], rows, total)


def idle_spaces(scope: Scope, today: date) -> list[Space]:
    """Bookable spaces of the scope, offered for 30 days or more, with no live booking that
    started in the last 30 days: one query (none without the capability)."""
    if not scope.can(Capability.MANAGE_SPACES):
        return []
    since = _aware(today - timedelta(days=IDLE_DAYS))
    recent = Booking.objects.filter(
        space=OuterRef("pk"),
        status__in=LIVE_STATUSES,
        starts_at__gte=since,
        starts_at__lt=_aware(today + timedelta(days=1)),
    )
    return list(
        scope.restrict(Space.objects.bookable())
        .filter(created_at__lte=since)
        .exclude(Exists(recent))
        .select_related("area")
        .order_by("area__path", "name", "pk")
    )
