"""Figures of service days: served counts per stall and day, wait times per stall, and the
total served since a committee's first service day (江秋新苑's 6,400 is this count, not a
number typed in). The beneficiaries by month and by part are ``servicedays.selectors``', the
same shape as activities'."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from areas.models import Area
from servicedays.models import ServiceDay, Stall, Ticket


@dataclass(frozen=True)
class ServedRow:
    """One stall of one day: numbers given, served, absent."""

    day: date
    service_day: str
    stall: str
    given: int
    served: int
    absent: int


def served_by_stall(area: Area, start: datetime, end: datetime) -> list[ServedRow]:
    """Every stall of the held days under ``area`` starting in [start, end), newest day first:
    one query."""
    stalls: QuerySet[Stall] = (
        Stall.objects.filter(
            service_day__area__path__startswith=area.path,
            service_day__starts_at__gte=start,
            service_day__starts_at__lt=end,
            service_day__cancelled_at__isnull=True,
        )
        .annotate(
            served=Count("tickets", filter=Q(tickets__served_at__isnull=False)),
            absent=Count("tickets", filter=Q(tickets__absent_at__isnull=False)),
        )
        .select_related("service_day")
        .order_by("-service_day__starts_at", "service_day_id", "position", "pk")
    )
    return [
        ServedRow(
            timezone.localtime(s.service_day.starts_at).date(),
            s.service_day.title,
            s.name,
            s.last_number,
            s.served,  # type: ignore[attr-defined]
            s.absent,  # type: ignore[attr-defined]
        )
        for s in stalls
    ]


@dataclass(frozen=True)
class Wait:
    """Minutes from taking a number to its call, at stalls of one name over a period."""

    stall: str
    called: int
    median: float
    p90: float


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil(n * share), at least the first
    return ordered[int(rank) - 1]


def wait_times(tickets: QuerySet[Ticket]) -> list[Wait]:
    """Median and 90th percentile of called − taken, per stall name, busiest first: one query
    over the called tickets (the two moments only)."""
    minutes: dict[str, list[float]] = {}
    for name, taken, called in tickets.filter(called_at__isnull=False).values_list(
        "stall__name", "taken_at", "called_at"
    ):
        if called is not None:  # filtered above; the type does not know
            minutes.setdefault(name, []).append(max(0.0, (called - taken).total_seconds() / 60))
    waits = [
        Wait(name, len(values), round(statistics.median(values), 1), round(percentile(values, 0.9), 1))
        for name, values in minutes.items()
    ]
    return sorted(waits, key=lambda w: (-w.called, w.stall))


def waits_under(area: Area, start: datetime, end: datetime) -> list[Wait]:
    return wait_times(
        Ticket.objects.filter(
            stall__service_day__area__path__startswith=area.path,
            stall__service_day__starts_at__gte=start,
            stall__service_day__starts_at__lt=end,
        )
    )


def waits_of_day(day: ServiceDay) -> list[Wait]:
    return wait_times(Ticket.objects.filter(stall__service_day=day))


@dataclass(frozen=True)
class SinceFirst:
    first: date | None  # the first service day held under the area
    days: int
    served: int


def served_since_first(area: Area) -> SinceFirst:
    """Everyone served since the first service day under ``area``: two queries."""
    held = ServiceDay.objects.held().filter(area__path__startswith=area.path, starts_at__lte=timezone.now())
    found = held.aggregate(first=Min("starts_at"), days=Count("pk"))
    served = Ticket.objects.filter(
        served_at__isnull=False, stall__service_day__area__path__startswith=area.path
    ).count()
    first = timezone.localtime(found["first"]).date() if found["first"] else None
    return SinceFirst(first, found["days"], served)
