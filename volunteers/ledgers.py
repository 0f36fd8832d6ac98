"""Reads of the hours ledger and the time bank for pages and the API: each a fixed number of
queries, always from the user's own lines or through the scope.

A list of volunteers with balances reads ``CreditAccount.balance`` (kept under the account's
lock with every line written), never a sum over the ledger, so it costs the same over a
thousand lines or a million."""

from __future__ import annotations

from typing import cast

from django.db.models import Q, QuerySet

from accounts.models import User
from common.scope import Capability, Scope
from registry.models import Proxy, Resident
from registry.selectors import household_members_of
from volunteers.models import (
    BankRequest,
    BankRequestStatus,
    CreditAccount,
    CreditEntry,
    HoursEntry,
    HoursEntryQuerySet,
    Membership,
    MembershipStatus,
    Service,
    Team,
    Volunteer,
)


def lines_of(volunteer: Volunteer) -> QuerySet[HoursEntry]:
    """A volunteer's hours, newest first, with what a page shows of each."""
    return (
        HoursEntry.objects.filter(volunteer=volunteer)
        .select_related("team", "service", "reverses", "confirmed_by", "declined_by")
        .prefetch_related("reversal")
        .order_by("-day", "-pk")
    )


def led_teams(user: User) -> QuerySet[Team]:
    return Team.objects.filter(
        memberships__volunteer__user=user,
        memberships__is_leader=True,
        memberships__status=MembershipStatus.ACTIVE,
    )


def teams_of(volunteer: Volunteer) -> QuerySet[Team]:
    """The teams a volunteer may log hours for: those they belong to now."""
    return Team.objects.filter(
        pk__in=Membership.objects.filter(volunteer=volunteer, status=MembershipStatus.ACTIVE).values(
            "team_id"
        )
    ).order_by("name", "pk")


def confirmable(user: User, scope: Scope) -> HoursEntryQuerySet:
    """Every line ``user`` may confirm or correct: of the teams they lead, and under their
    scope when they run volunteers there; never their own."""
    where = Q(team__in=led_teams(user).values("pk"))
    if scope.can(Capability.MANAGE_VOLUNTEERS):
        where |= scope.q("area__path")
    return cast(HoursEntryQuerySet, HoursEntry.objects.filter(where).exclude(volunteer__user=user))


def to_confirm(user: User, scope: Scope) -> QuerySet[HoursEntry]:
    """The pending lines ``user`` may confirm, oldest day first."""
    return (
        confirmable(user, scope)
        .pending()
        .select_related("volunteer", "team", "service")
        .order_by("day", "pk")
    )


def may_confirm_any(user: User, scope: Scope) -> bool:
    return scope.can(Capability.MANAGE_VOLUNTEERS) or led_teams(user).exists()


def volunteers_in(scope: Scope) -> QuerySet[Volunteer]:
    return scope.restrict(Volunteer.objects.current()).order_by("name", "pk")


def services_for(area) -> QuerySet[Service]:
    """The city-wide services and those of the area and the areas above it."""
    paths = [area.path[:n] for n in range(1, len(area.path) + 1)]
    return Service.objects.filter(Q(area__isnull=True) | Q(area__path__in=paths), retired_at__isnull=True)


# --- Time bank ----------------------------------------------------------------------------


def entries_of(account: CreditAccount | None) -> QuerySet[CreditEntry]:
    if account is None:
        return CreditEntry.objects.none()
    return (
        CreditEntry.objects.filter(account=account)
        .select_related(
            "counterpart__volunteer", "counterpart__resident", "counterpart__pool", "request__service"
        )
        .order_by("-at", "-pk")
    )


def family_of(user: User) -> list[Resident]:
    """Whom a user may give credits to: their household and the people they act for."""
    proxied = Resident.objects.living().filter(
        pk__in=Proxy.objects.filter(user=user, revoked_at__isnull=True).values("resident_id")
    )
    found = {r.pk: r for r in household_members_of(user)}
    for person in proxied.select_related("household__building"):
        found.setdefault(person.pk, person)
    return sorted(found.values(), key=lambda r: r.pk)


def balances(scope: Scope) -> QuerySet[Volunteer]:
    """The current volunteers under the scope with their accounts (one join, the balance kept on
    the account), by name: two queries a page with its count."""
    return volunteers_in(scope).select_related("account", "committee")


def requests_in(scope: Scope) -> QuerySet[BankRequest]:
    return (
        scope.restrict(BankRequest.objects.all())
        .select_related("resident", "service", "volunteer", "area")
        .order_by("status", "wanted_at", "pk")
    )


def requests_for(residents: list[Resident]) -> QuerySet[BankRequest]:
    return (
        BankRequest.objects.filter(resident__in=[r.pk for r in residents])
        .select_related("resident", "service", "volunteer")
        .order_by("-requested_at", "-pk")
    )


def jobs_of(volunteer: Volunteer) -> QuerySet[BankRequest]:
    """The time-bank requests given to a volunteer and not yet settled."""
    return (
        BankRequest.objects.filter(volunteer=volunteer, status=BankRequestStatus.MATCHED)
        .select_related("resident__household__building", "service")
        .order_by("wanted_at", "pk")
    )


def candidates_for(request: BankRequest, scope: Scope) -> QuerySet[Volunteer]:
    """The volunteers under the scope who offer the request's service."""
    return volunteers_in(scope).filter(skills=request.service_id)
