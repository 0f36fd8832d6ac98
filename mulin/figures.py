"""Beneficiaries (受益人次) across the modules that count them, side by side.

Each app counts its own: an activity's check-ins (``activities.selectors``), a service day's
served queue numbers (``servicedays.selectors``), the meals eaten (served or handed over) by the
diners living in the area (``meals.figures``). This page, in the shell because it gathers
both, sets them side by side by month and, for a street and above, by the areas one level
down, with their sum: the figure a street's yearly review asks for. Residents counted
"different" are counted per module (a resident who came to an activity and had their blood
pressure taken is one in each), so the page sums person-times only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from activities import selectors as activities
from areas.selectors import breadcrumbs, figures_area
from common.schemas import year_or_none
from common.scope import Capability, staff_scope
from meals import figures as meals
from servicedays import selectors as servicedays


@dataclass(frozen=True)
class Row:
    activities: int
    service_days: int
    meals: int = 0

    @property
    def total(self) -> int:
        return self.activities + self.service_days + self.meals


def _start(year: int) -> datetime:
    return timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))


def side_by_side(area, start: datetime, end: datetime):
    """(total, months newest first, parts): person-times of activities, of service days and of
    meals."""
    acts = activities.beneficiaries(area, start, end)
    days = servicedays.beneficiaries(area, start, end)
    eaten = meals.beneficiaries(area, start, end)
    months: dict[date, list[int]] = {}
    for month, b in activities.beneficiaries_by_month(area, start, end):
        months.setdefault(month, [0, 0, 0])[0] = b.person_times
    for month, s in servicedays.beneficiaries_by_month(area, start, end):
        months.setdefault(month, [0, 0, 0])[1] = s.person_times
    for month, m in meals.beneficiaries_by_month(area, start, end):
        months.setdefault(month, [0, 0, 0])[2] = m.person_times
    by_part: dict[int, list] = {}
    for part, b in activities.beneficiaries_by_part(area, start, end):
        by_part[part.pk] = [part, b.person_times, 0, 0]
    for part, s in servicedays.beneficiaries_by_part(area, start, end):
        by_part.setdefault(part.pk, [part, 0, 0, 0])[2] = s.person_times
    for part, m in meals.beneficiaries_by_part(area, start, end):
        by_part.setdefault(part.pk, [part, 0, 0, 0])[3] = m.person_times
    parts = sorted(
        ((p, Row(a, d, m)) for p, a, d, m in by_part.values()),
        key=lambda pair: (-pair[1].total, pair[0].path),
    )
    return (
        Row(acts.person_times, days.person_times, eaten.person_times),
        [(m, Row(*months[m])) for m in sorted(months, reverse=True)],
        parts,
    )


@login_required
def beneficiaries(request):
    """This year's person-times of activities, of service days and of meals, by month and by part."""
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    year = year_or_none(request.GET.get("year")) or timezone.localdate().year
    area = figures_area(scope, request.GET.get("area", ""))
    total, months, parts = side_by_side(area, _start(year), _start(year + 1))
    return render(
        request,
        "beneficiaries.html",
        {
            "year": year,
            "area": area,
            "crumbs": breadcrumbs(area, scope) if area != scope.area else [],
            "keep": f"year={year}",
            "total": total,
            "months": months,
            "parts": parts,
        },
    )
