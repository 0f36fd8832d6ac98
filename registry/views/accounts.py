"""Resident accounts and the registry: signing up, verification by staff or by identity
number, accounts made by staff for elderly residents, family proxies, and "my household"."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.forms import PhoneField
from accounts.phone import mask_phone
from areas.models import Area, AreaLevel
from common.forms import form_errors, posted, show_errors
from common.scope import Capability, staff_scope
from registry import verification
from registry.models import Proxy, Registration, RegistrationStatus, Resident
from registry.views.common import resident_in_scope

PER_PAGE = 30
COMMITTEES_SHOWN = 30


class RegisterForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Your name"), max_length=50, help_text=gettext_lazy("As on your identity card.")
    )
    phone = PhoneField()
    password = forms.CharField(
        label=gettext_lazy("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 8 characters, not only digits."),
    )
    building = forms.ChoiceField(label=gettext_lazy("Your building"), required=False)
    unit = forms.CharField(label=gettext_lazy("Unit (单元)"), max_length=12, required=False)
    room = forms.CharField(label=gettext_lazy("Room (室号)"), max_length=22, required=False)

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["building"]).choices = [
            ("", _("I cannot find it")),
            *((str(b.pk), b.name) for b in buildings),
        ]


class IdNumberForm(forms.Form):
    id_number = forms.CharField(
        label=gettext_lazy("Your identity-card number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter the 18 characters of your identity-card number.")},
    )


class RejectForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Why not"), max_length=200)


class AccountForm(forms.Form):
    phone = PhoneField(label=gettext_lazy("The resident's mobile number"))


class ProxyForm(forms.Form):
    phone = PhoneField(label=gettext_lazy("The family member's mobile number"))
    relation = forms.CharField(
        label=gettext_lazy("Relation to the resident"),
        max_length=30,
        help_text=gettext_lazy("e.g. 女儿 (daughter)."),
    )


# --- Signing up (public) ----------------------------------------------------------------------


@sensitive_post_parameters("password")
def register(request):
    """Step one: find your committee by name. Step two: your details and your door."""
    if request.user.is_authenticated and request.method != "POST":
        return redirect("registry:me")
    code = request.GET.get("committee", "")
    committee = (
        Area.objects.filter(code=code, level=AreaLevel.COMMITTEE, retired_at__isnull=True).first()
        if code
        else None
    )
    if committee is None:
        text = request.GET.get("q", "").strip()[:50]
        committees = (
            Area.objects.filter(level=AreaLevel.COMMITTEE).active().search(text).select_related("parent")
        )
        found = list(committees[:COMMITTEES_SHOWN]) if text else []
        return render(request, "registry/register_find.html", {"q": text, "committees": found})
    buildings = list(
        Area.objects.subtree(committee).filter(level=AreaLevel.BUILDING).active().order_by("path")[:1000]
    )
    form = RegisterForm(posted(request), buildings=buildings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        building = next((b for b in buildings if str(b.pk) == data["building"]), None)
        try:
            registration = verification.register(
                phone=data["phone"],
                name=data["name"],
                password=data["password"],
                committee=committee,
                building=building,
                unit=data["unit"],
                room=data["room"],
            )
        except ValidationError as error:
            for key, texts in error.message_dict.items():
                form.add_error(key if key in form.fields else None, texts)
        else:
            auth_login(request, registration.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Your account is made. Verify it with your identity-card number, or wait for the "
                    "committee to check it."
                ),
            )
            return redirect("registry:me")
    return render(request, "registry/register.html", {"committee": committee, "form": form})


# --- The resident's own pages ------------------------------------------------------------------


@login_required
def me(request):
    """My registry record, my verification, the people I act for, and my data download."""
    user = request.user
    record = (
        Resident.objects.filter(user=user, anonymised_at__isnull=True)
        .select_related("household__building", "committee")
        .first()
    )
    context = {
        "record": record,
        "pending": verification.pending_registration(user),
        "last": Registration.objects.filter(user=user)
        .select_related("committee")
        .order_by("-created_at")
        .first(),
        "acting_for": verification.acting_for(user),
        "form": IdNumberForm(),
        "masked_phone": mask_phone(user.phone),
    }
    return render(request, "registry/me.html", context)


@require_POST
@login_required
def verify_self(request):
    form = IdNumberForm(request.POST)
    if form.is_valid():
        try:
            person = verification.verify_self(request.user, form.cleaned_data["id_number"])
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(
                request,
                _("Verified: you are on record at %(address)s.") % {"address": person.household.address},
            )
    else:
        messages.error(request, _("Enter the 18 characters of your identity-card number."))
    return redirect("registry:me")


# --- Staff: registrations, accounts, proxies ------------------------------------------------------


@login_required
def registrations(request):
    scope = staff_scope(request, Capability.MANAGE_ACCOUNTS)
    status = request.GET.get("status", RegistrationStatus.PENDING)
    status = status if status in RegistrationStatus.values else RegistrationStatus.PENDING
    found = scope.restrict(
        Registration.objects.filter(status=status).select_related("user", "area", "committee")
    )
    page = Paginator(found.order_by("created_at", "pk"), PER_PAGE).get_page(request.GET.get("page"))
    for registration in page.object_list:
        registration.masked_phone = mask_phone(registration.user.phone)
    context = {"page": page, "status": status, "statuses": RegistrationStatus.choices, "area": scope.area}
    return render(request, "registry/registrations.html", context)


@login_required
def registration(request, registration_id: int):
    """One registration: the records it may belong to, verify one or say why not."""
    scope = staff_scope(request, Capability.MANAGE_ACCOUNTS)
    entry = scope.get(Registration.objects.select_related("user", "area", "committee"), pk=registration_id)
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify":
                value = request.POST.get("resident", "")
                person = scope.get(
                    Resident.objects.select_related("household__building"),
                    pk=int(value) if value.isdigit() else 0,
                )
                verification.verify(request.user, scope, entry, person)
                messages.success(request, _("%(name)s's account is verified.") % {"name": person.name})
                return redirect("registry:registrations")
            if request.POST.get("action") == "reject" and reject_form.is_valid():
                verification.reject(request.user, scope, entry, reject_form.cleaned_data["note"])
                messages.success(request, _("Marked as not verified."))
                return redirect("registry:registrations")
        except ValidationError as error:
            show_errors(request, error)
    context = {
        "entry": entry,
        "masked_phone": mask_phone(entry.user.phone),
        "candidates": verification.candidates(entry) if entry.is_pending else [],
        "reject_form": reject_form,
    }
    return render(request, "registry/registration.html", context)


@sensitive_post_parameters()
@login_required
def resident_account(request, resident_id: int):
    """Staff make an account for a resident (often elderly) and hand over a temporary password."""
    scope = staff_scope(request, Capability.MANAGE_ACCOUNTS)
    person = resident_in_scope(scope, resident_id)
    form = AccountForm(
        posted(request), initial={"phone": person.phone if person.phone.startswith("1") else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user, password = verification.create_account(
                request.user, scope, person, form.cleaned_data["phone"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            context = {"resident": person, "password": password, "masked_phone": mask_phone(user.phone)}
            return render(request, "registry/resident_account_done.html", context)
    return render(request, "registry/resident_account.html", {"resident": person, "form": form})


@login_required
def resident_proxies(request, resident_id: int):
    """Link or unlink a family member who acts for the resident."""
    scope = staff_scope(request, Capability.MANAGE_ACCOUNTS)
    person = resident_in_scope(scope, resident_id)
    form = ProxyForm(request.POST if request.POST.get("action") == "link" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "unlink":
                value = request.POST.get("proxy", "")
                proxy = get_object_or_404(Proxy, pk=int(value) if value.isdigit() else 0, resident=person)
                verification.unlink_proxy(request.user, scope, proxy)
                messages.success(
                    request,
                    _("%(name)s no longer acts for %(resident)s.")
                    % {"name": proxy.user.name, "resident": person.name},
                )
                return redirect("registry:resident_proxies", resident_id=person.pk)
            if form.is_valid():
                proxy = verification.link_proxy(
                    request.user, scope, person, form.cleaned_data["phone"], form.cleaned_data["relation"]
                )
                messages.success(
                    request,
                    _("%(name)s now acts for %(resident)s.")
                    % {"name": proxy.user.name, "resident": person.name},
                )
                return redirect("registry:resident_proxies", resident_id=person.pk)
        except ValidationError as error:
            form_errors(form, error)
    proxies = list(person.proxies.filter(revoked_at__isnull=True).select_related("user"))
    for proxy in proxies:
        proxy.masked_phone = mask_phone(proxy.user.phone)  # type: ignore[attr-defined]
    return render(
        request, "registry/resident_proxies.html", {"resident": person, "form": form, "proxies": proxies}
    )
