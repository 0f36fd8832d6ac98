"""What a request may see and do: the one place where it is decided.

A request carries a ``Scope``: the active role grant, the area it covers and the
capabilities of its role (``accounts`` decides which grant is active and what each role
may do). Every staff queryset goes through ``scope.restrict(queryset)``, which filters on
the model's ``scope_path`` lookup (the lookup from the model to an ``Area.path``, e.g.
``"area__path"``). A model without ``scope_path`` cannot be restricted and raises, so a
forgotten declaration fails loudly instead of leaking.

Views ask for a scope with ``staff_scope(request, capability)``, which raises
PermissionDenied when the active role lacks the capability; they look an object up with
``scope.get(queryset, pk=…)``, which answers 404 for anything outside the scope, exactly
like something that does not exist. Services that act in a committee's name ask
``scope.committee()``.

Lookups. A page and its API endpoint find an object the same way, so the two cannot
differ: staff with ``scope.get(Model.objects…, missing, pk=id)``; residents with
``get_or_404(selector, missing, pk=id)`` over the owning app's one selector for what they
may see (``activities.selectors.visible_to``, ``demands.selectors.of_resident``,
``conventions.selectors.visible_to``). ``missing`` is what the API answers as the 404's
detail; pages show the 404 page. A refusal to act outside a committee is
``scope.committee(refusal)`` in the service only, with the app's message; the API answers
its PermissionDenied as 403 with that message, the 403 page shows it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

M = TypeVar("M", bound=Model)
# A queryset keeps its own class (and its methods, such as ``active()``) through ``restrict``.
QS = TypeVar("QS", bound=QuerySet[Any])


class Capability(models.TextChoices):
    """What a role may do. Pages and API endpoints ask for a capability, never for a role
    name; which role has which is the table in ``accounts.roles``."""

    VIEW_WORKSPACE = "view_workspace", gettext_lazy("Use the staff workspace")
    VIEW_PEOPLE = "view_people", gettext_lazy("See residents' personal data")
    MANAGE_AREAS = "manage_areas", gettext_lazy("Define grids, building groups and buildings")
    MANAGE_ACCOUNTS = "manage_accounts", gettext_lazy("Reset residents' passwords")
    READ_AUDIT = "read_audit", gettext_lazy("Read the audit log")
    GRANT_ROLES = "grant_roles", gettext_lazy("Grant roles")
    EDIT_REGISTRY = "edit_registry", gettext_lazy("Keep the household registry")
    REVEAL_IDENTITY = "reveal_identity", gettext_lazy("Reveal full identity-card numbers and health notes")
    EXPORT_UNMASKED = "export_unmasked", gettext_lazy("Export the registry unmasked")
    PUBLISH_NOTICES = "publish_notices", gettext_lazy("Publish notices")
    MANAGE_ACTIVITIES = "manage_activities", gettext_lazy("Organise activities and check people in")
    MANAGE_DELIBERATION = (
        "manage_deliberation",
        gettext_lazy("Run deliberation: topics, polls, meetings, moderation"),
    )
    MANAGE_CONVENTIONS = "manage_conventions", gettext_lazy("Draft, consult on and publish conventions")
    RECORD_SIGNATURES = "record_signatures", gettext_lazy("Record paper signatures of a convention")
    HANDLE_DEMANDS = "handle_demands", gettext_lazy("Triage, assign and answer residents' requests")
    VISIT_HOUSEHOLDS = "visit_households", gettext_lazy("Plan and log household visits")
    RUN_WATCH = "run_watch", gettext_lazy("Keep the elderly watch list and handle its alerts")
    MANAGE_VOLUNTEERS = (
        "manage_volunteers",
        gettext_lazy("Run volunteer teams, shifts, service hours and the time bank"),
    )
    MANAGE_PARTNERS = "manage_partners", gettext_lazy("Keep the partner units and their agreements")
    MANAGE_SPACES = "manage_spaces", gettext_lazy("Keep spaces, their rules and bookings")
    RUN_SERVICE_DAYS = "run_service_days", gettext_lazy("Plan service days, their stalls and queues")
    LEND_AIDS = "lend_aids", gettext_lazy("Keep and lend care aids")
    RUN_MEALS = (
        "run_meals",
        gettext_lazy("Run meal assistance: dining points, menus, diners, orders, the kitchen, delivery"),
    )
    ORDER_MEALS = "order_meals", gettext_lazy("Order meals for the residents of one's area")
    KEEP_FUNDS = (
        "keep_funds",
        gettext_lazy("Keep a community fund: campaigns, donations, expenses, reconciliation"),
    )
    APPROVE_EXPENSES = "approve_expenses", gettext_lazy("Approve a community fund's expenses")
    RUN_PROJECTS = (
        "run_projects",
        gettext_lazy("Run governance projects: proposals, budgets, milestones, reports"),
    )
    RUN_COMPETITIONS = (
        "run_competitions",
        gettext_lazy("Run project competitions: calls, rubrics, judges, public notice, results"),
    )
    RATE_CENTRES = "rate_centres", gettext_lazy("Keep neighbourhood centres and rate them")
    RUN_AWARDS = "run_awards", gettext_lazy("Keep local talent and run awards: nominations, votes, decisions")
    SERVE_AS_PARTNER = (
        "serve_as_partner",
        gettext_lazy("Act for a partner unit: its offers, the requests and shifts given to it"),
    )


@dataclass(frozen=True)
class Scope:
    """What the current request may see: nothing, or one area's subtree."""

    # The active role grant (accounts.models.RoleGrant): its ``area`` and ``role``.
    grant: Any = None
    capabilities: frozenset[str] = field(default_factory=frozenset)

    @property
    def area(self) -> Any:
        """The area the active role is held over (areas.models.Area), or None."""
        return self.grant.area if self.grant else None

    @property
    def role(self) -> str | None:
        return self.grant.role if self.grant else None

    @property
    def path(self) -> str | None:
        return self.grant.area.path if self.grant else None

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    def covers(self, area: Any) -> bool:
        return bool(self.path and area is not None and area.path.startswith(self.path))

    def covers_path(self, path: str) -> bool:
        return bool(self.path and path and path.startswith(self.path))

    def q(self, lookup: str) -> Q:
        if not self.path:
            return Q(pk__in=[])
        return Q(**{f"{lookup}__startswith": self.path})

    def restrict(self, queryset: QS) -> QS:
        lookup = getattr(queryset.model, "scope_path", None)
        if not lookup:
            raise ImproperlyConfigured(
                f"{queryset.model.__name__} declares no scope_path; it cannot be scoped."
            )
        if not self.path:
            return queryset.none()
        return queryset.filter(self.q(lookup))

    def get(self, queryset: QuerySet[M], missing: str = "", **lookup: Any) -> M:
        """The one object of ``queryset`` inside this scope that matches ``lookup``; a 404
        (saying ``missing``) when there is none, outside the scope or not at all alike.
        Pages show the 404 page; the API answers 404 with ``missing`` as its detail."""
        return get_or_404(self.restrict(queryset), missing or _("Not found in your area."), **lookup)

    @property
    def in_committee(self) -> Any:
        """The committee the active role is held over (areas.models.Area), or None when it is
        held over anything else (a street, a building group) or there is no role."""
        area = self.area
        return area if area is not None and area.is_committee else None

    def committee(self, refusal: str = "") -> Any:
        """The committee this scope acts in, for things organised, drafted and kept in a
        committee's name; PermissionDenied, saying ``refusal``, when the active role is held
        over anything else."""
        if self.in_committee is None:
            raise PermissionDenied(
                refusal or _("This is done in a committee's name; act in a committee role.")
            )
        return self.in_committee


def get_or_404(queryset: QuerySet[M], missing: str = "", **lookup: Any) -> M:
    """The one object of ``queryset`` matching ``lookup``, else a 404 saying ``missing``: for
    what a resident may see, where ``queryset`` is the owning app's selector (for instance
    ``activities.selectors.visible_to(user, scope)``) that the page and the API share."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(missing or _("Not found."))
    return found


NO_SCOPE = Scope()


def staff_scope(request, *capabilities: str) -> Scope:
    """The request's scope, provided the active role has every one of ``capabilities``."""
    scope: Scope = getattr(request, "scope", NO_SCOPE)
    if not capabilities or not all(scope.can(c) for c in capabilities):
        raise PermissionDenied
    return scope
