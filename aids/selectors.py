"""Reads of care aids for pages, the API and the today page: each a fixed number of queries.

What staff see: kinds and items of their area and of the areas above it (a street's), and
the holds and loans of those kinds, except that a street's kind shows a committee's staff
only their own residents' holds and loans. What a resident sees: the kinds of their
committee and of the street above it, and their own (and those they act for) holds and loans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from aids.models import (
    AidItem,
    AidKind,
    AidKindQuerySet,
    Condition,
    Hold,
    HoldQuerySet,
    HoldStatus,
    Loan,
    LoanQuerySet,
)
from aids.rules import seen_by_staff_q
from aids.telling import Contact, contacts_for
from areas.models import Area, ancestor_paths
from common.scope import Capability, Scope, get_or_404
from registry.models import Resident
from registry.selectors import committees_of, people_of

FIRST_FEW = 5
OUT_OF_SERVICE = (Condition.RETIRED, Condition.NEEDS_REPAIR)


def remind_days() -> int:
    """How many days before the due date the borrower is reminded (``MULIN_AID_REMIND_DAYS``)."""
    return settings.MULIN_AID_REMIND_DAYS


# --- What staff see --------------------------------------------------------------------------


def kinds_seen_by(scope: Scope) -> AidKindQuerySet:
    return AidKind.objects.filter(seen_by_staff_q(scope)).select_related("area")  # type: ignore[return-value]


def items_seen_by(scope: Scope) -> QuerySet[AidItem]:
    return AidItem.objects.filter(seen_by_staff_q(scope, "kind__area__path")).select_related(
        "kind__area", "site"
    )


def _of_my_residents_q(scope: Scope, kind_lookup: str) -> Q:
    """Holds or loans staff see: of kinds in their subtree, and of a street's kinds above
    them only for residents living in their subtree."""
    if not scope.path or not scope.can(Capability.LEND_AIDS):
        return Q(pk__in=[])
    return Q(**{f"{kind_lookup}__area__path__startswith": scope.path}) | Q(
        **{
            f"{kind_lookup}__area__path__in": ancestor_paths(scope.path),
            "resident__household__building__path__startswith": scope.path,
        }
    )


def holds_seen_by(scope: Scope) -> HoldQuerySet:
    return Hold.objects.filter(_of_my_residents_q(scope, "kind")).select_related(
        "kind__area", "resident__household__building", "item", "asked_by"
    )


def loans_seen_by(scope: Scope) -> LoanQuerySet:
    return Loan.objects.filter(_of_my_residents_q(scope, "item__kind")).select_related(
        "item__kind__area", "item__site", "resident__household__building", "resident__user"
    )


# --- Availability ----------------------------------------------------------------------------


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated count per kind (``kind_id`` = the outer kind), 0 when none."""
    counted = queryset.order_by().values("kind_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(kinds: QuerySet[AidKind]) -> QuerySet[AidKind]:
    """Each kind with ``in_service``, ``lent``, ``set_aside``, ``waiting`` and ``to_approve``."""
    outer = OuterRef("pk")
    lent = (
        Loan.objects.out()
        .filter(item__kind=outer)
        .order_by()
        .values("item__kind_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return kinds.annotate(
        in_service=_count(AidItem.objects.in_service().filter(kind=outer)),
        lent=Coalesce(Subquery(lent, output_field=IntegerField()), Value(0)),
        set_aside=_count(Hold.objects.filter(kind=outer, status=HoldStatus.READY)),
        waiting=_count(Hold.objects.filter(kind=outer, status=HoldStatus.WAITING)),
        to_approve=_count(Hold.objects.filter(kind=outer, status=HoldStatus.APPROVAL)),
    )


def free_of(kind: AidKind) -> int:
    """Items free now, from a kind annotated by ``with_counts``."""
    return max(0, kind.in_service - kind.lent - kind.set_aside)  # type: ignore[attr-defined]


def inventory(scope: Scope) -> list[AidKind]:
    """The kinds staff see, current ones, with their counts and ``free``: one query."""
    kinds = list(with_counts(kinds_seen_by(scope).current()).order_by("area__path", "name", "pk"))
    for kind in kinds:
        kind.free = free_of(kind)  # type: ignore[attr-defined]
    return kinds


def items_of(kind: AidKind) -> list[AidItem]:
    """A kind's items, each with its loan out (``out``) and the hold it is set aside for
    (``aside``): three queries."""
    out = Loan.objects.out().select_related("resident")
    aside = Hold.objects.filter(status=HoldStatus.READY).select_related("resident")
    items = list(
        AidItem.objects.filter(kind=kind)
        .select_related("site")
        .prefetch_related(Prefetch("loans", queryset=out, to_attr="out_loans"))
        .order_by("code", "pk")
    )
    holds = {h.item_id: h for h in aside.filter(kind=kind, item__isnull=False)}
    for item in items:
        item.out = item.out_loans[0] if item.out_loans else None  # type: ignore[attr-defined]
        item.aside = holds.get(item.pk)  # type: ignore[attr-defined]
    return items


# --- What a resident sees --------------------------------------------------------------------


def areas_for(user: User) -> list[str]:
    """The paths of the areas whose kinds a user may borrow from (or ask for as family)."""
    committees = committees_of(user)
    if not committees:
        return []
    paths: set[str] = set()
    for path in Area.objects.filter(pk__in=committees).values_list("path", flat=True):
        paths.update([path, *ancestor_paths(path)])
    return sorted(paths)


def visible_to(user: User, scope: Scope) -> QuerySet[AidKind]:
    """The kinds a user may open: those they may borrow from and, for staff, those they see."""
    q = Q(area__path__in=areas_for(user)) if user.is_authenticated else Q(pk__in=[])
    return AidKind.objects.filter(q | seen_by_staff_q(scope)).select_related("area")


def borrowable_for(user: User) -> list[AidKind]:
    """What can be borrowed at the user's committee (and its street): current kinds with their
    counts and ``free``. Two queries."""
    paths = areas_for(user)
    kinds = list(
        with_counts(AidKind.objects.current().filter(area__path__in=paths).select_related("area")).order_by(
            "category", "name", "pk"
        )
    )
    for kind in kinds:
        kind.free = free_of(kind)  # type: ignore[attr-defined]
    return kinds


@dataclass
class Mine:
    """A user's aids: for each person they act as or for, the holds open and the loans out."""

    people: list[Resident]
    holds: list[Hold] = field(default_factory=list)
    loans: list[Loan] = field(default_factory=list)
    past: list[Loan] = field(default_factory=list)


def mine(user: User) -> Mine:
    """Holds open, loans out and the last ten returned, of the user and those they act for."""
    people = people_of(user)
    ids = [p.pk for p in people]
    holds = list(
        Hold.objects.open()
        .filter(resident_id__in=ids)
        .select_related("kind__area", "resident", "item__site")
        .order_by("asked_at", "pk")
    )
    for hold in holds:
        hold.ahead = _ahead(hold)  # type: ignore[attr-defined]
    loans = list(
        Loan.objects.out()
        .filter(resident_id__in=ids)
        .select_related("item__kind", "item__site", "resident")
        .order_by("due_on", "pk")
    )
    past = list(
        Loan.objects.filter(resident_id__in=ids, returned_at__isnull=False)
        .select_related("item__kind", "resident")
        .order_by("-returned_at", "pk")[:10]
    )
    return Mine(people, holds, loans, past)


def _ahead(hold: Hold) -> int:
    """How many wait before this hold in its queue (0 once set aside)."""
    if hold.status != HoldStatus.WAITING:
        return 0
    return (
        Hold.objects.filter(kind_id=hold.kind_id, status=HoldStatus.WAITING)
        .filter(Q(asked_at__lt=hold.asked_at) | Q(asked_at=hold.asked_at, pk__lt=hold.pk))
        .count()
    )


def holds_of(user: User) -> QuerySet[Hold]:
    """The holds a user may act on as a borrower: their own and those of people they act for."""
    return Hold.objects.filter(resident_id__in=[p.pk for p in people_of(user)]).select_related(
        "kind__area", "resident__household__building"
    )


def loans_of(user: User) -> QuerySet[Loan]:
    return Loan.objects.filter(resident_id__in=[p.pk for p in people_of(user)]).select_related(
        "item__kind__area", "resident__household__building"
    )


# --- Lists for staff -------------------------------------------------------------------------


def queue(scope: Scope, kind: AidKind | None = None) -> list[Hold]:
    """Open holds: to approve, set aside, waiting; by kind and in queue order. One query."""
    holds = holds_seen_by(scope).open()
    if kind is not None:
        holds = holds.filter(kind=kind)
    return list(holds.order_by("kind__name", "kind_id", "asked_at", "pk"))


def loans_out(scope: Scope) -> QuerySet[Loan]:
    return loans_seen_by(scope).out().order_by("due_on", "pk")


@dataclass
class Overdue:
    loan: Loan
    contact: Contact
    phone: str  # the number to call, masked unless the viewer may see residents' data


def overdue(scope: Scope, today: date | None = None) -> list[Overdue]:
    """Loans past their due date, the longest overdue first, each with whom to call and the
    number, masked as the registry masks it unless the role sees people's data: four queries."""
    today = today or timezone.localdate()
    unmasked = scope.can(Capability.VIEW_PEOPLE)
    loans = list(loans_seen_by(scope).overdue(today).order_by("due_on", "pk"))
    contacts = contacts_for([loan.resident for loan in loans])
    return [
        Overdue(loan, contacts[loan.resident_id], contacts[loan.resident_id].shown_phone(unmasked=unmasked))
        for loan in loans
    ]


@dataclass
class DueSummary:
    """For the lead's today page: how many loans are due back soon and overdue, and the first
    few (overdue first, longest first; then the soonest due)."""

    due_soon: int
    overdue: int
    first: list[Loan]

    @property
    def any(self) -> bool:
        return bool(self.due_soon or self.overdue)


def due_soon_and_overdue(scope: Scope, day: date) -> DueSummary:
    """Loans out of the scope due back within ``MULIN_AID_REMIND_DAYS`` of ``day`` and those
    overdue on ``day``: two queries."""
    out = loans_seen_by(scope).out()
    until = day + timedelta(days=remind_days())
    counts = out.aggregate(
        due_soon=Count("pk", filter=Q(due_on__gte=day, due_on__lte=until)),
        overdue=Count("pk", filter=Q(due_on__lt=day)),
    )
    first = list(out.filter(due_on__lte=until).order_by("due_on", "pk")[:FIRST_FEW])
    return DueSummary(counts["due_soon"] or 0, counts["overdue"] or 0, first)


# --- A page and its API find a hold or a loan the same way --------------------------------------


def hold_for(user: User, scope: Scope, hold_id: int) -> Hold:
    """A hold the user may act on: as the borrower or their family, or as staff who see it."""
    mine = holds_of(user).filter(pk=hold_id).first()
    if mine is not None:
        return mine
    return get_or_404(holds_seen_by(scope), _("No such request."), pk=hold_id)


def loan_for(user: User, scope: Scope, loan_id: int) -> Loan:
    """A loan the user may act on: as the borrower or their family, or as staff who see it."""
    mine = loans_of(user).filter(pk=loan_id).first()
    if mine is not None:
        return mine
    return get_or_404(loans_seen_by(scope), _("No such loan."), pk=loan_id)
