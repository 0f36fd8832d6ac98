"""Per-request language, elderly mode, active role and the two-factor gate."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from accounts.scope import resolve_scope
from common.scope import NO_SCOPE

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME
ELDERLY_COOKIE = "mulin_elderly"
_SUPPORTED = {code for code, _name in settings.LANGUAGES}


def preferred_language(request) -> str:
    """The user's saved choice, else the cookie, else Chinese: Chinese first, not the browser's."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in _SUPPORTED:
        return user.language
    cookie = request.COOKIES.get(LANGUAGE_COOKIE)
    return cookie if cookie in _SUPPORTED else settings.LANGUAGE_CODE


def elderly_mode(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.elderly_mode
    return request.COOKIES.get(ELDERLY_COOKIE) == "1"


class LanguageMiddleware:
    """Activates the preferred language; runs after authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = preferred_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.elderly = elderly_mode(request)
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def _scope(request):
    """No scope at all before the second factor: no page can act in a role yet."""
    if request.user.is_authenticated and request.user.awaits_second_factor:
        return NO_SCOPE
    return resolve_scope(request.user, request.session)


class ActiveRoleMiddleware:
    """Puts ``request.scope`` (the active role grant's area) on every request, lazily."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: _scope(request))
        return self.get_response(request)


# Paths an unverified staff member may still reach: to log in, enrol, verify or leave.
TWO_FACTOR_EXEMPT = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/settings/",
    "/static/",
    "/i18n/",
    "/healthz",
)


class RequireTwoFactorMiddleware:
    """Staff who can see personal data must enrol and use a second factor (a passkey or an
    authenticator app) before any other page, their own home page included.

    The gate is here, not in each view, so a page added later cannot forget it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_EXEMPT)
            and user.awaits_second_factor
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Two-factor verification required."}, status=403)
            return redirect(f"{settings.TWO_FACTOR_URL}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class RequirePasswordChangeMiddleware:
    """After a staff reset, the temporary password opens nothing but the change form."""

    # The two-factor step comes first, so whatever it lets through this one does too.
    EXEMPT = (*TWO_FACTOR_EXEMPT, "/accounts/password/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.EXEMPT)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:change_password')}?{query}")
        return self.get_response(request)
