"""Log in and out, two-factor, roles, password resets by staff, and per-user settings."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import codes, lockout, services
from accounts.forms import (
    ElderlyModeForm,
    GrantRoleForm,
    LanguageForm,
    LoginForm,
    MessageChannelsForm,
    ResetPasswordForm,
    RolePickForm,
    TokenForm,
)
from accounts.middleware import ELDERLY_COOKIE
from accounts.models import RoleGrant, User
from accounts.phone import mask_phone
from accounts.scope import SESSION_KEY
from areas.models import Area
from audit.services import record
from common.forms import posted
from common.scope import Capability, staff_scope

PREFERENCE_COOKIE_AGE = 60 * 60 * 24 * 365
PEOPLE_PER_PAGE = 25
AREA_CHOICES_SHOWN = 50


# --- Where to go next -----------------------------------------------------------------------


def safe_next(request, *candidates: str | None) -> str | None:
    """The first candidate that stays on this site, or None."""
    for url in candidates:
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return None


def _requested_next(request) -> str | None:
    return safe_next(request, request.POST.get("next"), request.GET.get("next"))


def _start_page(user: User) -> str:
    """Staff start in the workspace, residents at home."""
    return reverse("workspace") if user.active_grants.exists() else reverse("home")


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _after_login(user: User, next_url: str) -> str:
    """Two-factor first (the gate would insist anyway), then a forced password change."""
    if user.must_change_password:
        next_url = _with_next("accounts:change_password", next_url)
    if user.needs_two_factor:
        next_url = _with_next("accounts:two_factor", next_url)
    return next_url


# --- Log in and out ---------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
def login_view(request):
    next_url = _requested_next(request)
    if request.user.is_authenticated and request.method != "POST":
        return redirect(next_url or _start_page(request.user))
    form = LoginForm(request, posted(request))
    if request.method == "POST" and form.is_valid():
        user = form.user
        assert user is not None  # a valid login form has found its user
        auth_login(request, user)
        record("login", user, actor=user)
        if request.COOKIES.get(ELDERLY_COOKIE) == "1" and not user.elderly_mode:
            # A visitor who switched to 长辈版 before logging in keeps it, on the account too.
            user.elderly_mode = True
            user.save(update_fields=["elderly_mode"])
        return redirect(_after_login(user, next_url or _start_page(user)))
    if form.locked_out:
        return locked_out(request, {"phone": form.cleaned_data.get("phone", "")})
    return render(request, "accounts/login.html", {"form": form, "next": next_url or ""})


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a number has had too many wrong passwords.

    axes passes (request, original_response, credentials) or (request, credentials).
    """
    if isinstance(credentials, HttpResponse):
        credentials = args[0] if args else kwargs.get("credentials")
    phone = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or request.POST.get("phone", "")
    cool_off = settings.AXES_COOLOFF_TIME
    until = lockout.locked_until(request, phone) if phone else timezone.now() + cool_off
    context = {
        "masked_phone": mask_phone(phone) if phone else "",
        "minutes": int(cool_off.total_seconds() // 60),
        "until": timezone.localtime(until),
    }
    return render(request, "accounts/locked_out.html", context, status=429)


def logout_view(request):
    """GET shows a button; only POST logs out, so a link or an image cannot log anyone out."""
    if request.method == "POST":
        if request.user.is_authenticated:
            auth_logout(request)
            messages.success(request, _("You have logged out."))
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(request, "accounts/logout.html")


# --- Two-factor -------------------------------------------------------------------------------


def _wrong_code(form: TokenForm, device: TOTPDevice) -> None:
    device.refresh_from_db()
    if codes.already_used(device, form.cleaned_data["token"]):
        message = codes.already_used_message(device)
    else:
        message = _(
            "That code is not right. Check that the phone's clock is correct and enter the code "
            "the app shows now; each code works once and for 30 seconds."
        )
    wait = codes.throttle_wait(device)
    if wait > 1:  # the first one-second pause is not worth a word
        message += " " + codes.wait_words(wait)
    form.add_error("token", message)


@login_required
@never_cache
def two_factor(request):
    """Enrol a passkey or an authenticator app (first time), then at every login use the
    passkey or enter the app's current code."""
    user = request.user
    next_url = _requested_next(request) or _start_page(user)
    if user.is_verified():
        return render(request, "accounts/two_factor_done.html", {"next": next_url})
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    has_passkey = WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    form = TokenForm(posted(request))
    if device is not None or has_passkey:
        if device is not None and request.method == "POST" and form.is_valid():
            if throttled := codes.throttle_message(device):
                form.add_error("token", throttled)
            elif verified := verify_token(user, device.persistent_id, form.cleaned_data["token"]):
                otp_login(request, verified)
                return redirect(next_url)
            else:
                _wrong_code(form, device)
        context = {"form": form, "next": next_url, "has_code": device is not None, "has_passkey": has_passkey}
        return render(request, "accounts/two_factor_verify.html", context)

    device = services.pending_totp_device(user)
    if request.method == "POST" and form.is_valid():
        if throttled := codes.throttle_message(device):
            form.add_error("token", throttled)
        elif services.confirm_totp_device(user, device, form.cleaned_data["token"]):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, _("Two-factor verification is set up. Keep the app on your phone."))
            return redirect(next_url)
        else:
            _wrong_code(form, device)
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5,
        border=4,
        light="#fff",
        dark="#000",
        title=_("QR code for your authenticator app"),
        svgclass="qr",
    )
    context = {
        "form": form,
        "next": next_url,
        "qr": qr,
        "secret": services.grouped_secret(secret),
        "required": user.needs_two_factor,
    }
    return render(request, "accounts/two_factor_enrol.html", context)


# --- Own password -----------------------------------------------------------------------------


@sensitive_post_parameters()
@login_required
@never_cache
def change_password(request):
    """After a reset by staff only the new password is asked; otherwise the old one too."""
    user = request.user
    forced = user.must_change_password
    form_class = SetPasswordForm if forced else PasswordChangeForm
    form = form_class(user, posted(request))
    if request.method == "POST" and form.is_valid():
        services.change_password(user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Your new password is saved. Use it next time you log in."))
        return redirect(_requested_next(request) or _start_page(user))
    context = {"form": form, "forced": forced, "next": _requested_next(request) or ""}
    return render(request, "accounts/change_password.html", context)


# --- Roles ------------------------------------------------------------------------------------


@login_required
def roles(request):
    grants = request.user.active_grants.select_related("area__parent").order_by("granted_at", "pk")
    active = request.scope.grant.pk if request.scope.grant else None
    return render(request, "accounts/roles.html", {"grants": grants, "active_id": active})


@require_POST
@login_required
def switch_role(request):
    """Only one of the user's own active grants can become the active role."""
    try:
        grant_id = int(request.POST.get("grant", ""))
    except ValueError:
        raise Http404 from None
    grant = get_object_or_404(request.user.active_grants, pk=grant_id)
    request.session[SESSION_KEY] = grant.pk
    record("role_switch", grant, actor=request.user)
    messages.success(
        request,
        _("You now act as %(role)s of %(area)s.")
        % {"role": grant.get_role_display(), "area": grant.area.name},
    )
    return redirect("workspace")


# --- People: password resets and role grants by staff -------------------------------------------


def _search_people(queryset, text: str):
    text = text.strip()
    if not text:
        return queryset
    compact = text.replace(" ", "").replace("-", "").removeprefix("+86")
    if compact.isdigit():
        return queryset.filter(phone__contains=compact)
    return queryset.filter(name__icontains=text)


@login_required
def people(request):
    scope = staff_scope(request, Capability.MANAGE_ACCOUNTS)
    query = request.GET.get("q", "")[:50]
    accounts = _search_people(
        scope.restrict(User.objects.with_role_flag()).select_related("home_area"), query
    ).order_by("name", "pk")
    page = Paginator(accounts, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    locked = lockout.locked_numbers([account.phone for account in page.object_list])
    for account in page.object_list:
        account.masked_phone = mask_phone(account.phone)
        account.login_locked = account.phone in locked
    context = {
        "page": page,
        "q": query,
        "query": urlencode({"q": query}) if query else "",
        "area": scope.area,
        "can_grant": scope.can(Capability.GRANT_ROLES),
    }
    return render(request, "accounts/people.html", context)


@sensitive_post_parameters()
@login_required
@never_cache
def reset_password(request, user_id: int):
    scope = staff_scope(request, Capability.MANAGE_ACCOUNTS)
    resident = get_object_or_404(services.resettable_users(scope).select_related("home_area"), pk=user_id)
    form = ResetPasswordForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            password = services.reset_password(request.user, scope, resident, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown once, in this response only; never stored in plain text anywhere.
            context = {"resident": resident, "masked_phone": mask_phone(resident.phone), "password": password}
            return render(request, "accounts/reset_password_done.html", context)
    context = {"resident": resident, "masked_phone": mask_phone(resident.phone), "form": form}
    return render(request, "accounts/reset_password.html", context)


@require_POST
@login_required
def lift_lockout(request, user_id: int):
    """Lift a person's login lock (wrong passwords), from the people page."""
    scope = staff_scope(request, Capability.MANAGE_ACCOUNTS)
    person = get_object_or_404(scope.restrict(User.objects.all()), pk=user_id)
    if services.lift_lockout(request.user, scope, person):
        messages.success(request, _("%(name)s can log in again: the lock is lifted.") % {"name": person.name})
    else:
        messages.info(request, _("%(name)s was not locked out.") % {"name": person.name})
    return redirect(safe_next(request, request.POST.get("next")) or reverse("accounts:people"))


def _grant_forms(request, scope):
    """Step one (GET: role and area search) and step two (POST: role and area)."""
    roles = services.grantable_roles(scope)
    posted = request.POST if request.method == "POST" else None
    pick = RolePickForm(request.GET if "role" in request.GET else None, roles=roles)
    role = (posted or request.GET).get("role")
    role = role if role in roles else None
    areas, more = [], False
    if role:
        found = list(
            services.grantable_areas(scope, role)
            .search(request.GET.get("q", "")[:100])
            .order_by("path")[: AREA_CHOICES_SHOWN + 1]
        )
        areas, more = found[:AREA_CHOICES_SHOWN], len(found) > AREA_CHOICES_SHOWN
    grant_form = GrantRoleForm(
        posted,
        roles=roles,
        areas=areas,
        area_queryset=scope.restrict(Area.objects.all()),
        initial={"role": role},
    )
    return pick, grant_form, role, areas, more


@login_required
def grant_role(request, user_id: int):
    """A lead's page to grant and revoke the roles of one person of their area."""
    scope = staff_scope(request, Capability.GRANT_ROLES)
    person = get_object_or_404(scope.restrict(User.objects.all()).select_related("home_area"), pk=user_id)
    if request.method == "POST" and request.POST.get("action") == "revoke":
        return _revoke(request, scope, person)
    pick, grant_form, role, areas, more = _grant_forms(request, scope)
    if request.method == "POST" and grant_form.is_valid():
        try:
            grant = services.grant_role(
                request.user, scope, person, grant_form.cleaned_data["role"], grant_form.cleaned_data["area"]
            )
        except ValidationError as error:
            grant_form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s of %(area)s.")
                % {"name": person.name, "role": grant.get_role_display(), "area": grant.area.name},
            )
            return redirect("accounts:grant_role", user_id=person.pk)
    grants = scope.restrict(RoleGrant.objects.active().filter(user=person)).select_related("area")
    context = {
        "person": person,
        "masked_phone": mask_phone(person.phone),
        "grants": grants.order_by("granted_at", "pk"),
        "pick": pick,
        "grant_form": grant_form,
        "role": role,
        "areas": areas,
        "more_areas": more,
        "shown": AREA_CHOICES_SHOWN,
    }
    return render(request, "accounts/grant_role.html", context)


def _revoke(request, scope, person: User):
    try:
        grant_id = int(request.POST.get("grant", ""))
    except ValueError:
        raise Http404 from None
    grant = scope.get(RoleGrant.objects.active().filter(user=person), pk=grant_id)
    try:
        services.revoke_role(request.user, scope, grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer %(role)s of %(area)s.")
            % {"name": person.name, "role": grant.get_role_display(), "area": grant.area.name},
        )
    return redirect("accounts:grant_role", user_id=person.pk)


# --- Settings ---------------------------------------------------------------------------------


def settings_page(request):
    channels = MessageChannelsForm(instance=request.user) if request.user.is_authenticated else None
    return render(request, "accounts/settings.html", {"next": request.get_full_path(), "channels": channels})


@login_required
def message_channels(request):
    """E-mail address and whether messages also come by SMS or e-mail (always in the app)."""
    form = MessageChannelsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved: how messages reach you."))
        return redirect("settings:index")
    return render(request, "accounts/settings.html", {"next": reverse("settings:index"), "channels": form})


def _back(request):
    """To a safe ``next``, else the page the switch was on, else home."""
    return redirect(safe_next(request, request.POST.get("next"), request.META.get("HTTP_REFERER")) or "home")


def _remember(response, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=PREFERENCE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )


@require_POST
def toggle_elderly_mode(request):
    """Saved on the account when logged in (it follows the user), and on this device always."""
    form = ElderlyModeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Elderly mode is switched with “1” (on) or “0” (off); nothing was changed.")
        )
        return _back(request)
    on = form.cleaned_data["on"] == "1"
    user = request.user
    if user.is_authenticated and user.elderly_mode != on:
        user.elderly_mode = on
        user.save(update_fields=["elderly_mode"])
    response = _back(request)
    _remember(response, ELDERLY_COOKIE, "1" if on else "0")
    return response


@require_POST
def set_language(request):
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose Chinese or English; the language was not changed."))
        return _back(request)
    language = form.cleaned_data["language"]
    user = request.user
    if user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    translation.activate(language)
    response = _back(request)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=PREFERENCE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
