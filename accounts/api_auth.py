"""API authentication: a bearer token, or the browser session (with CSRF)."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from accounts.models import ApiToken
from accounts.scope import resolve_scope, scope_for_grant


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.valid()
            .select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        # A token acts as the user's first role unless the X-Mulin-Role header names a grant.
        wanted = request.headers.get("X-Mulin-Role")
        grants = list(found.user.active_grants.order_by("granted_at", "pk"))
        grant = next((g for g in grants if str(g.pk) == wanted), grants[0] if grants else None)
        request.scope = scope_for_grant(grant)
        return found.user


class VerifiedSessionAuth(SessionAuth):
    """The logged-in browser session; staff sessions are already past the TOTP gate."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and not hasattr(request, "scope"):
            request.scope = resolve_scope(user, request.session)
        return user


API_AUTH = [TokenAuth(), VerifiedSessionAuth()]
