"""Reads of service days: what residents and staff see, a resident's place in the queue, the
lobby display, today's days, and the beneficiaries (受益人次) beside those of activities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area
from areas.selectors import compares_parts, part_path, parts_of
from common.scope import Capability, Scope, get_or_404
from servicedays.models import ServiceDay, Stall, Ticket
from servicedays.rules import residents_q, runs_stall, stall_runner_q


def _with_counts(stalls: QuerySet[Stall]) -> QuerySet[Stall]:
    return stalls.annotate(
        waiting=Count(
            "tickets", filter=Q(tickets__called_at__isnull=True, tickets__cancelled_at__isnull=True)
        ),
        served=Count("tickets", filter=Q(tickets__served_at__isnull=False)),
    )


def visible_to(user: User, scope: Scope) -> QuerySet[ServiceDay]:
    """Days a user may open: published ones of their committees, and for staff with the
    capability every day of their area."""
    q = residents_q(user)
    if scope.can(Capability.RUN_SERVICE_DAYS) and scope.path:
        q |= scope.q(ServiceDay.scope_path)
    return ServiceDay.objects.filter(q).select_related("area", "site")


def planned_by(scope: Scope) -> QuerySet[ServiceDay]:
    """Every day of the staff member's area (drafts and cancelled ones too)."""
    if not scope.can(Capability.RUN_SERVICE_DAYS):
        return ServiceDay.objects.none()
    return scope.restrict(ServiceDay.objects.all()).select_related("area", "site")


def upcoming_for(user: User, now: datetime) -> QuerySet[ServiceDay]:
    """Published days of the resident's committees still to end, soonest first."""
    return (
        ServiceDay.objects.held()
        .filter(residents_q(user), ends_at__gt=now)
        .select_related("site")
        .prefetch_related(Prefetch("stalls", queryset=Stall.objects.order_by("position", "pk")))
        .order_by("starts_at")
    )


def stalls_of(day: ServiceDay) -> list[Stall]:
    """The day's stalls with their waiting and served counts: one query."""
    return list(
        _with_counts(Stall.objects.filter(service_day=day)).select_related("service", "shift", "partner_unit")
    )


def stalls_run_by(user: User, scope: Scope) -> QuerySet[Stall]:
    """Stalls whose console the user may open (``rules.runs_stall`` decides each)."""
    q = stall_runner_q(user)
    if scope.can(Capability.RUN_SERVICE_DAYS) and scope.path:
        q |= scope.q(Stall.scope_path)
    return Stall.objects.filter(q).distinct().select_related("service_day__area", "partner_unit")


def tickets_of(user: User, day: ServiceDay) -> dict[int, Ticket]:
    """The user's live tickets of the day, by stall."""
    live = Ticket.objects.filter(stall__service_day=day, user=user, cancelled_at__isnull=True)
    return {t.stall_id: t for t in live.filter(served_at__isnull=True, absent_at__isnull=True)}


def ahead_of(ticket: Ticket) -> int:
    """How many are waiting before this number."""
    if not ticket.is_waiting:
        return 0
    return Ticket.objects.filter(stall_id=ticket.stall_id, number__lt=ticket.number).waiting().count()


def now_calling(stall: Stall) -> Ticket | None:
    """The number last called at the stall."""
    return (
        Ticket.objects.filter(stall=stall, called_at__isnull=False)
        .annotate(shown_at=Coalesce("recalled_at", "called_at"))
        .order_by("-shown_at")
        .first()
    )


# --- The lobby display ---------------------------------------------------------------------------


def _waiting_count():
    """How many wait at the stall: a subquery over the waiting tickets only (the index on
    stall and called_at), not a join over every ticket of the day."""
    waiting = (
        Ticket.objects.filter(stall=OuterRef("pk"), called_at__isnull=True, cancelled_at__isnull=True)
        .order_by()
        .values("stall")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(waiting, output_field=IntegerField()), 0)


def lobby(day: ServiceDay) -> list[Stall]:
    """Each stall of the day with its last numbers called (``stall.calls``, newest first; a
    recall counts as a new call) and ``waiting``: one query of the stall rows, whatever the
    number of tickets."""
    return list(
        Stall.objects.filter(service_day=day).annotate(waiting=_waiting_count()).order_by("position", "pk")
    )


# --- Today -------------------------------------------------------------------------------------


def today_in(scope: Scope, day: date) -> list[ServiceDay]:
    """Held days of ``day`` inside the scope, each with ``stall_list`` (its stalls, with
    ``waiting`` and ``served`` counts and ``last_number`` given): two queries, for the today
    page."""
    if not scope.path:
        return []
    return list(
        scope.restrict(ServiceDay.objects.held().on_day(day))
        .select_related("area", "site")
        .prefetch_related(
            Prefetch(
                "stalls",
                queryset=_with_counts(Stall.objects.order_by("position", "pk")),
                to_attr="stall_list",
            )
        )
        .order_by("starts_at", "pk")
    )


# --- Beneficiaries (受益人次), the same shape as activities' ----------------------------------------


@dataclass(frozen=True)
class Beneficiaries:
    days: int  # service days with anyone served
    person_times: int  # 受益人次: every served ticket counts
    people: int  # distinct residents served (numbers taken on a phone by a registered resident)


def _served(area: Area, start: datetime, end: datetime) -> QuerySet[Ticket]:
    return Ticket.objects.filter(
        served_at__isnull=False,
        stall__service_day__area__path__startswith=area.path,
        stall__service_day__starts_at__gte=start,
        stall__service_day__starts_at__lt=end,
    )


_COUNTS = {
    "times": Count("pk"),
    "people": Count("resident", distinct=True),
    "days": Count("stall__service_day", distinct=True),
}


def beneficiaries(area: Area, start: datetime, end: datetime) -> Beneficiaries:
    """Under ``area`` (a committee or anything above), for service days starting in [start, end)."""
    served = _served(area, start, end).aggregate(**_COUNTS)
    return Beneficiaries(served["days"], served["times"], served["people"])


def beneficiaries_by_month(area: Area, start: datetime, end: datetime) -> list[tuple[date, Beneficiaries]]:
    """Newest month first, months with nobody served left out."""
    rows = (
        _served(area, start, end)
        .annotate(month=TruncMonth("stall__service_day__starts_at"))
        .values("month")
        .annotate(**_COUNTS)
        .order_by("-month")
    )
    return [
        (
            timezone.localtime(r["month"]).date() if isinstance(r["month"], datetime) else r["month"],
            Beneficiaries(r["days"], r["times"], r["people"]),
        )
        for r in rows
    ]


def beneficiaries_by_part(area: Area, start: datetime, end: datetime) -> list[tuple[Area, Beneficiaries]]:
    """For a street and above, each area one level below, most person-times first, none left
    out: two queries, grouped in the database by the part's path."""
    if not compares_parts(area):
        return []
    parts = parts_of(area)
    rows = (
        _served(area, start, end)
        .annotate(part=part_path(parts, "stall__service_day__area__path"))
        .values("part")
        .order_by("part")
        .annotate(**_COUNTS)
    )
    counted = {r["part"]: Beneficiaries(r["days"], r["times"], r["people"]) for r in rows}
    result = [(p, counted.get(p.path, Beneficiaries(0, 0, 0))) for p in parts]
    return sorted(result, key=lambda pair: -pair[1].person_times)


# --- The console's lookups: a page and its API find a stall or a ticket the same way ------------


def console_stall(user: User, scope: Scope, stall_id: int) -> Stall:
    """A stall ``user`` runs (staff, a volunteer of its shift, a contact of its unit), or 404."""
    stall = get_or_404(stalls_run_by(user, scope), _("No stall you run."), pk=stall_id)
    if not runs_stall(user, stall, scope):
        raise Http404(_("No stall you run."))
    return stall


def handled_ticket(user: User, scope: Scope, ticket_id: int) -> Ticket:
    """A number at a stall ``user`` runs, with its stall's day and unit read, or 404."""
    ticket = get_or_404(
        Ticket.objects.filter(stall__in=stalls_run_by(user, scope)).select_related(
            "stall__service_day__area", "stall__partner_unit"
        ),
        _("No such number."),
        pk=ticket_id,
    )
    if not runs_stall(user, ticket.stall, scope):
        raise Http404(_("No such number."))
    return ticket
