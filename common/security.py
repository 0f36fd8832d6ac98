"""The response headers a careful deployment sends that Django 5.2 does not: a
Content-Security-Policy and a Permissions-Policy.

Why a few lines here and not django-csp: Django 6.0 has this built in
(``django.middleware.csp.ContentSecurityPolicyMiddleware``, read from ``SECURE_CSP``). The
setting here has the same name and the same shape (directive: list of sources), so moving to
6.0 is swapping the middleware's path; a package would be one more dependency to pin and to
take out again, for a policy that needs no nonces (Mulin has no inline script or style:
``tests/test_security_headers.py`` reads every template for one).

The other headers (X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy,
X-Frame-Options, HSTS) come from Django's own SecurityMiddleware and XFrameOptionsMiddleware,
set in ``mulin/settings.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.conf import settings


def header_value(directives: Mapping[str, Sequence[str]]) -> str:
    """``{"default-src": ["'self'"], "upgrade-insecure-requests": []}`` as a header value."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def permissions_value(features: Mapping[str, Sequence[str]]) -> str:
    """``{"camera": [], "publickey-credentials-get": ["self"]}`` as ``camera=(), ...=(self)``."""
    return ", ".join(f"{name}=({' '.join(allowed)})" for name, allowed in features.items())


class SecurityHeadersMiddleware:
    """Adds the policies to every response, static files and errors included.

    A response that sets its own header keeps it (``setdefault``)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = header_value(getattr(settings, "SECURE_CSP", {}))
        self.permissions = permissions_value(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.csp:
            response.headers.setdefault("Content-Security-Policy", self.csp)
        if self.permissions:
            response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
