"""What every visits page shares: the scope it asks for, and the visitor's "today"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from common.scope import Capability, Scope, staff_scope


def visitor_scope(request) -> Scope:
    """Visits show what was found in people's homes: the role must visit and see people."""
    scope = staff_scope(request, Capability.VISIT_HOUSEHOLDS)
    if not scope.can(Capability.VIEW_PEOPLE):
        raise PermissionDenied
    return scope


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
