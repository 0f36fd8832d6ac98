"""The one place where what a user may see is decided.

A request carries a ``Scope``: the active role grant and the area it covers. Every staff
queryset goes through ``scope.restrict(queryset)``, which filters on the model's
``scope_path`` lookup (the lookup from the model to an ``Area.path``, e.g.
``"area__path"``). A model without ``scope_path`` cannot be restricted and raises,
so a forgotten declaration fails loudly instead of leaking.

Views ask for a scope with ``staff_scope(request, capability)``, which raises
PermissionDenied when the active role lacks the capability.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet

from accounts.roles import spec

if TYPE_CHECKING:
    from accounts.models import RoleGrant, User
    from areas.models import Area

M = TypeVar("M", bound=Model)

SESSION_KEY = "mulin_active_grant"


@dataclass(frozen=True)
class Scope:
    """What the current request may see: nothing, or one area's subtree."""

    grant: RoleGrant | None = None
    capabilities: frozenset[str] = field(default_factory=frozenset)

    @property
    def area(self) -> Area | None:
        return self.grant.area if self.grant else None

    @property
    def role(self) -> str | None:
        return self.grant.role if self.grant else None

    @property
    def path(self) -> str | None:
        return self.grant.area.path if self.grant else None

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    def covers(self, area: Area | None) -> bool:
        return bool(self.path and area is not None and area.path.startswith(self.path))

    def covers_path(self, path: str) -> bool:
        return bool(self.path and path and path.startswith(self.path))

    def q(self, lookup: str) -> Q:
        if not self.path:
            return Q(pk__in=[])
        return Q(**{f"{lookup}__startswith": self.path})

    def restrict(self, queryset: QuerySet[M]) -> QuerySet[M]:
        lookup = getattr(queryset.model, "scope_path", None)
        if not lookup:
            raise ImproperlyConfigured(
                f"{queryset.model.__name__} declares no scope_path; it cannot be scoped."
            )
        if not self.path:
            return queryset.none()
        return queryset.filter(self.q(lookup))


NO_SCOPE = Scope()


def scope_for_grant(grant: RoleGrant | None) -> Scope:
    if grant is None:
        return NO_SCOPE
    return Scope(grant=grant, capabilities=spec(grant.role).capabilities)


def resolve_scope(user: User, session) -> Scope:
    """The active grant chosen in this session, else the user's first grant."""
    if not user.is_authenticated:
        return NO_SCOPE
    grants = user.grant_list
    if not grants:
        return NO_SCOPE
    wanted = session.get(SESSION_KEY) if session is not None else None
    grant = next((g for g in grants if g.pk == wanted), grants[0])
    return scope_for_grant(grant)


def staff_scope(request, capability: str) -> Scope:
    """The request's scope, provided the active role has ``capability``."""
    scope: Scope = getattr(request, "scope", NO_SCOPE)
    if not scope.can(capability):
        raise PermissionDenied
    return scope
