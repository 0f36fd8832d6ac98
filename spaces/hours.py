"""When a space is open: its weekly ``OpeningHours`` less its ``Closure``s, in Shanghai time.

One place for it, asked by the booking rules (is this stretch inside an opening?), by the
public page (when can I come?) and by the figures (how many hours was it open this month?).
Each function takes the space's hours and closures as already read (``opening_of``), so a
page over many spaces reads them in two queries, not two per space.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from spaces.models import Closure, OpeningHours, Space


@dataclass(frozen=True)
class Opening:
    """What ``is_open``/``windows`` need of a space: its weekly hours and its closures."""

    hours: Sequence[OpeningHours]
    closures: Sequence[Closure]


def opening_of(space: Space) -> Opening:
    return Opening(list(space.hours.all()), list(space.closures.all()))


def openings_of(spaces: Iterable[Space]) -> dict[int, Opening]:
    """For many spaces in two queries."""
    ids = [s.pk for s in spaces]
    hours: dict[int, list[OpeningHours]] = {i: [] for i in ids}
    closures: dict[int, list[Closure]] = {i: [] for i in ids}
    for h in OpeningHours.objects.filter(space_id__in=ids).order_by("weekday", "opens"):
        hours[h.space_id].append(h)
    for c in Closure.objects.filter(space_id__in=ids).order_by("starts_at"):
        closures[c.space_id].append(c)
    return {i: Opening(hours[i], closures[i]) for i in ids}


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def windows(opening: Opening, day: date) -> list[tuple[datetime, datetime]]:
    """The day's open stretches (aware datetimes), with closures cut out."""
    stretches = [
        (_aware(day, h.opens), _aware(day, h.closes)) for h in opening.hours if h.weekday == day.weekday()
    ]
    for closure in opening.closures:
        cut: list[tuple[datetime, datetime]] = []
        for start, end in stretches:
            if closure.ends_at <= start or closure.starts_at >= end:
                cut.append((start, end))
                continue
            if closure.starts_at > start:
                cut.append((start, closure.starts_at))
            if closure.ends_at < end:
                cut.append((closure.ends_at, end))
        stretches = cut
    return stretches


def is_open(opening: Opening, starts_at: datetime, ends_at: datetime) -> bool:
    """The whole of [starts_at, ends_at) falls inside one open stretch of one day."""
    day = timezone.localtime(starts_at).date()
    return any(start <= starts_at and ends_at <= end for start, end in windows(opening, day))


def closure_over(opening: Opening, starts_at: datetime, ends_at: datetime) -> Closure | None:
    """The closure that falls over [starts_at, ends_at), if any: a refusal names it."""
    for closure in opening.closures:
        if closure.starts_at < ends_at and starts_at < closure.ends_at:
            return closure
    return None


def hours_open(opening: Opening, first: date, last: date) -> float:
    """Hours open from ``first`` to ``last`` inclusive: the denominator of a space's use."""
    total = 0.0
    day = first
    while day <= last:
        total += sum((end - start).total_seconds() for start, end in windows(opening, day)) / 3600
        day += timedelta(days=1)
    return total
