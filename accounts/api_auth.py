"""API authentication: a bearer token, or the browser session (with CSRF).

Both leave ``request.user`` and ``request.scope`` as the pages have them, so endpoints
use the same scope mechanism. A staff session that has not passed TOTP never gets
here: RequireTwoFactorMiddleware refuses it for every /api/ path. A token is issued
to such staff only with a valid TOTP code (``issue_token``), so a token stands for a
verified login.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from accounts import codes, lockout
from accounts.models import ApiToken, User
from accounts.phone import normalize_phone
from accounts.scope import resolve_scope, scope_for_grant
from audit.context import acting_as

ROLE_HEADER = "X-Mulin-Role"
# A token lasts a month; the app asks for a new one with the password (and code) again.
TOKEN_LIFETIME = timedelta(days=30)
# Recording every use would make each API read a write; to the minute is enough.
LAST_USED_PRECISION = timedelta(minutes=5)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the role is the ``X-Mulin-Role`` grant, else the first."""

    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.valid()
            .select_related("user__home_area")
            .filter(key_hash=ApiToken.hash_key(token), user__is_active=True)
            .first()
        )
        if found is None:
            raise HttpError(401, _("The API token is not valid: it is wrong, expired or revoked."))
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        user = found.user
        # The token was issued after the TOTP step (see issue_token), so it counts as verified.
        # django-otp adds these two to the user at run time; the model does not declare them.
        user.otp_device = None  # type: ignore[attr-defined]
        user.is_verified = lambda: True  # type: ignore[attr-defined]
        request.user = user
        request.api_token = found
        request.scope = scope_for_grant(_chosen_grant(request, user))
        if user.language in {code for code, _name in settings.LANGUAGES}:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return user


def _chosen_grant(request, user: User):
    grants = user.grant_list
    wanted = request.headers.get(ROLE_HEADER, "").strip()
    if not wanted:
        return grants[0] if grants else None
    grant = next((g for g in grants if str(g.pk) == wanted), None)
    if grant is None:
        raise HttpError(
            403,
            _("%(header)s names no active role of yours: use an id from /api/v1/me/roles.")
            % {"header": ROLE_HEADER},
        )
    return grant


class VerifiedSessionAuth(SessionAuth):
    """The logged-in browser session; unsafe methods need the CSRF token.

    Without a logged-in session there is nothing a forged request could ride on, so the
    answer is a plain 401 rather than a CSRF failure.
    """

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        try:
            return super().__call__(request)
        except HttpError as exc:
            raise HttpError(
                403,
                _(
                    "The CSRF check failed: send the value of the csrftoken cookie in the "
                    "X-CSRFToken header, or use a bearer token."
                ),
            ) from exc

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and not hasattr(request, "scope"):
            request.scope = resolve_scope(user, request.session)
        return user


API_AUTH = [TokenAuth(), VerifiedSessionAuth()]


# --- Issuing tokens -------------------------------------------------------------------------


class TokenRefused(Exception):
    """Why no token was issued, with the HTTP status to answer."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        self.status = status
        self.message = message
        self.field = field  # the input at fault, for a 422
        super().__init__(message)


@sensitive_variables("password", "otp")
def issue_token(
    request, *, phone: str, password: str, otp: str | None, name: str = ""
) -> tuple[ApiToken, str]:
    """A new API token for the holder of ``phone``, after the same checks as the login page.

    The password goes through ``authenticate`` so that django-axes counts failures per
    number and locks the number out; staff who see personal data must also give the
    current code of their confirmed authenticator app; a password set by staff must be
    changed on the website first.
    """
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        raise TokenRefused(422, exc.messages[0], field="phone") from None
    if lockout.locked_here(request, phone):
        raise TokenRefused(429, _locked_out_message())
    if wait := lockout.number_wait_seconds(phone):
        raise TokenRefused(429, lockout.slowed_message(wait))
    user = authenticate(request, phone=phone, password=password)
    if getattr(request, "axes_locked_out", False):
        raise TokenRefused(429, _locked_out_message())
    if user is None:
        raise TokenRefused(401, _wrong_password_message(request))
    if user.must_change_password:
        raise TokenRefused(
            403, _("Your password was reset by staff: log in on the website and choose a new one first.")
        )
    if user.needs_two_factor:
        _check_totp(user, otp)
    name = name.strip()
    if not name.isprintable():
        raise TokenRefused(
            422, _("The token's name has a control character (such as a line break) in it."), "name"
        )
    with acting_as(user), transaction.atomic():
        return ApiToken.issue(user, name=name, expires_at=timezone.now() + TOKEN_LIFETIME)


def _locked_out_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Too many wrong passwords for this number from this network: it is locked here for "
        "%(minutes)d minute. Another network is not locked; a committee's administrator can "
        "lift the lock.",
        "Too many wrong passwords for this number from this network: it is locked here for "
        "%(minutes)d minutes. Another network is not locked; a committee's administrator can "
        "lift the lock.",
        minutes,
    ) % {"minutes": minutes}


def _wrong_password_message(request) -> str:
    message = _("The mobile number or the password is not right.")
    failures = getattr(request, "axes_failures_since_start", None)
    left = settings.AXES_FAILURE_LIMIT - failures if failures is not None else 0
    if left > 0:
        message += " " + ngettext(
            "%(left)d more wrong try locks this number on this network.",
            "%(left)d more wrong tries lock this number on this network.",
            left,
        ) % {"left": left}
    return message


def _check_totp(user: User, otp: str | None) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        raise TokenRefused(
            403,
            _(
                "Your roles need two-factor verification: set up an authenticator app on the "
                "website (Accounts → Two-factor) before using the API."
            ),
        )
    code = (otp or "").replace(" ", "")
    if not code:
        raise TokenRefused(401, _("Your roles need two-factor verification: send the app's code as otp."))
    if not code.isdigit() or len(code) != 6:
        raise TokenRefused(422, _("The code from the authenticator app has 6 digits."), field="otp")
    if throttled := codes.throttle_message(device):
        raise TokenRefused(429, throttled)
    if verify_token(user, device.persistent_id, code) is None:
        device.refresh_from_db()
        if codes.already_used(device, code):
            raise TokenRefused(401, codes.already_used_message(device))
        raise TokenRefused(
            401, _("That code is not right: enter the code the app shows now; each code works once.")
        )
