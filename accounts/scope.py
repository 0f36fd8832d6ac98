"""Which scope a request acts in: the grant chosen in the session, with its role's
capabilities. What a scope is and how it restricts is ``common.scope``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.roles import spec
from common.scope import NO_SCOPE, Scope

if TYPE_CHECKING:
    from accounts.models import RoleGrant, User

SESSION_KEY = "mulin_active_grant"


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
