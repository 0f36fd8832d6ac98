"""Reading partner units: the staff's list, a unit's page, the units a request may be given
to, the units a partner login acts for, and what each unit contributed in a year. Lists are
a fixed number of queries.

Requests and shifts are read through the reverse relations (``unit.demands``,
``unit.shifts`` and their claims): the arrows go from ``demands`` and ``volunteers`` to
partners, never back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from areas.models import Area
from common.scope import Scope
from partners.models import Offer, PartnerContact, PartnerUnit
from partners.rules import contact_q, seen_by_staff_q

# A request's statuses as ``demands.models`` names them (tests/partners/test_figures.py ties
# them): still to do, and done.
OPEN_REQUEST_STATUSES = ("new", "assigned", "in_progress", "reopened")
DONE_REQUEST_STATUSES = ("resolved", "closed")
# A claim whose volunteer came: checked in at the shift.
CAME = Q(shifts__claims__checked_in_at__isnull=False)


def units_for_staff(scope: Scope, *, ended: bool = False) -> QuerySet[PartnerUnit]:
    """The units staff may read (their area's, and the street's above a committee), each
    with its current offers, current contacts and open requests counted: one query."""
    units = PartnerUnit.objects.filter(seen_by_staff_q(scope))
    units = units.filter(ended_at__isnull=not ended)
    return (
        units.select_related("area")
        .annotate(
            offers_now=Count("offers", filter=Q(offers__withdrawn_at__isnull=True), distinct=True),
            contacts_now=Count("contacts", filter=Q(contacts__until__isnull=True), distinct=True),
            open_requests=Count(
                "demands", filter=Q(demands__status__in=OPEN_REQUEST_STATUSES), distinct=True
            ),
        )
        .order_by("area__path", "name", "pk")
    )


def for_assignment(committee: Area) -> QuerySet[PartnerUnit]:
    """The current units a request of ``committee`` may be given to: the committee's own and
    those of the street (and any area) above it."""
    return (
        PartnerUnit.objects.current()
        .filter(area__path__in=[*committee.ancestor_paths(), committee.path])
        .select_related("area")
        .order_by("name", "pk")
    )


def units_of(user: User, scope: Scope) -> QuerySet[PartnerUnit]:
    """The current units a partner login acts for: a current contact of each, within the
    role's area."""
    return (
        PartnerUnit.objects.current()
        .filter(contact_q(user), scope.q(PartnerUnit.scope_path))
        .order_by("name", "pk")
    )


@dataclass
class UnitPage:
    """What a unit's page shows: its offers, agreements, contacts, contributions, the
    requests given to it and the shifts it staffs."""

    unit: PartnerUnit
    offers: list[Offer]
    agreements: list = field(default_factory=list)
    contacts: list[PartnerContact] = field(default_factory=list)
    contributions: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    shifts: list = field(default_factory=list)


RECENT = 50


def unit_page(unit: PartnerUnit, *, staff: bool) -> UnitPage:
    """A unit's page: for staff with its contacts; for the unit's own people without them
    (they know each other) and without the contributions staff record."""
    today = timezone.localdate()
    since = timezone.make_aware(datetime.combine(date(today.year - 1, 1, 1), time.min))
    page = UnitPage(
        unit=unit,
        offers=list(unit.offers.order_by("withdrawn_at", "kind", "pk")),
        agreements=list(unit.agreements.all()),
        requests=list(
            unit.demands.select_related("category", "household", "building")
            .filter(Q(status__in=OPEN_REQUEST_STATUSES) | Q(created_at__gte=since))
            .order_by("-created_at", "-pk")[:RECENT]
        ),
        shifts=list(
            unit.shifts.filter(cancelled_at__isnull=True, starts_at__gte=since)
            .annotate(came=Count("claims", filter=Q(claims__checked_in_at__isnull=False)))
            .order_by("-starts_at", "-pk")[:RECENT]
        ),
    )
    if staff:
        page.contacts = list(unit.contacts.select_related("user").order_by("until", "-since", "pk"))
        page.contributions = list(unit.contributions.select_related("offer")[:RECENT])
    return page


# --- Figures -------------------------------------------------------------------------------


@dataclass
class UnitFigures:
    unit: PartnerUnit
    requests_done: int = 0
    shifts: int = 0
    person_times: int = 0
    people_served: int = 0
    hours: Decimal = Decimal(0)
    funds: Decimal = Decimal(0)


@dataclass
class AreaFigures:
    """The units of one committee (or street) and their total."""

    area: Area
    rows: list[UnitFigures]
    total: UnitFigures


def year_bounds(year: int) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))
    return start, timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))


def figures(scope: Scope, year: int) -> list[AreaFigures]:
    """What each unit staff may read contributed in ``year``: requests done (resolved in the
    year, still resolved or closed), shifts staffed and the person-times of those who came,
    and the residents served, hours and funds recorded. Grouped by the unit's committee or
    street. Five queries whatever the number of units."""
    start, end = year_bounds(year)
    units = list(
        PartnerUnit.objects.filter(seen_by_staff_q(scope))
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
        .select_related("area")
        .order_by("area__path", "name", "pk")
    )
    ids = [u.pk for u in units]
    base = PartnerUnit.objects.filter(pk__in=ids)
    in_year = Q(shifts__cancelled_at__isnull=True, shifts__starts_at__gte=start, shifts__starts_at__lt=end)
    done = dict(
        base.annotate(
            n=Count(
                "demands",
                filter=Q(
                    demands__status__in=DONE_REQUEST_STATUSES,
                    demands__resolved_at__gte=start,
                    demands__resolved_at__lt=end,
                ),
            )
        ).values_list("pk", "n")
    )
    shifts = dict(base.annotate(n=Count("shifts", filter=in_year)).values_list("pk", "n"))
    came = dict(base.annotate(n=Count("shifts__claims", filter=in_year & CAME)).values_list("pk", "n"))
    given = {
        row["pk"]: row
        for row in base.annotate(
            people=Sum("contributions__people_served", filter=_given_in(year)),
            hours=Sum("contributions__hours", filter=_given_in(year)),
            funds=Sum("contributions__amount_yuan", filter=_given_in(year)),
        ).values("pk", "people", "hours", "funds")
    }
    groups: dict[int, AreaFigures] = {}
    for unit in units:
        row = UnitFigures(
            unit=unit,
            requests_done=done.get(unit.pk, 0),
            shifts=shifts.get(unit.pk, 0),
            person_times=came.get(unit.pk, 0),
            people_served=given[unit.pk]["people"] or 0,
            hours=given[unit.pk]["hours"] or Decimal(0),
            funds=given[unit.pk]["funds"] or Decimal(0),
        )
        group = groups.get(unit.area_id)
        if group is None:
            group = groups[unit.area_id] = AreaFigures(unit.area, [], UnitFigures(unit=unit))
        group.rows.append(row)
        _add(group.total, row)
    return list(groups.values())


def _given_in(year: int) -> Q:
    return Q(contributions__on__gte=date(year, 1, 1), contributions__on__lt=date(year + 1, 1, 1))


def _add(total: UnitFigures, row: UnitFigures) -> None:
    total.requests_done += row.requests_done
    total.shifts += row.shifts
    total.person_times += row.person_times
    total.people_served += row.people_served
    total.hours += row.hours
    total.funds += row.funds
