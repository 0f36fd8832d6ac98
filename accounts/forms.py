"""Forms of the accounts pages: log in, two-factor, passwords, roles and settings."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import lockout
from accounts.models import User
from accounts.phone import normalize_phone
from accounts.roles import Role

PHONE_ATTRS = {
    "inputmode": "tel",
    "autocomplete": "username",
    "autocapitalize": "none",
    "spellcheck": "false",
}


class PhoneField(forms.CharField):
    """A mainland mobile number, normalised to 11 digits with a message saying what is wrong."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs=PHONE_ATTRS))
        kwargs.setdefault("error_messages", {"required": _("Enter your mobile number.")})
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalize_phone(value) if value else value


class LoginForm(forms.Form):
    """Mobile number and password; every attempt goes through ``authenticate`` so that
    django-axes counts the failures per number."""

    phone = PhoneField()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user: User | None = None
        self.locked_out = False  # the number is locked at this address: the view answers 429
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        phone, password = cleaned.get("phone"), cleaned.get("password")
        if phone and password:
            if lockout.locked_here(self.request, phone):
                self.locked_out = True
                raise ValidationError(_("This number is locked on this network for now"), code="locked")
            if wait := lockout.number_wait_seconds(phone):
                # Not checked at all, so a guess from yet another address learns nothing.
                raise ValidationError(lockout.slowed_message(wait), code="slowed")
            self.user = authenticate(self.request, phone=phone, password=password)
            if self.user is None:
                raise ValidationError(self._failure_message(), code="invalid_login")
        return cleaned

    def _failure_message(self) -> str:
        message = str(_("The mobile number or the password is not right. Check both and try again."))
        failures = getattr(self.request, "axes_failures_since_start", None)
        limit = settings.AXES_FAILURE_LIMIT
        if failures is not None and limit - failures > 0:
            left = limit - failures
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            message += " " + ngettext(
                "%(left)d more wrong try locks this number on this network for %(minutes)d minutes.",
                "%(left)d more wrong tries lock this number on this network for %(minutes)d minutes.",
                left,
            ) % {"left": left, "minutes": minutes}
        return message


class TokenForm(forms.Form):
    """The six-digit code from the authenticator app."""

    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "size": "8",
            }
        ),
        error_messages={"required": _("Enter the six-digit code shown in your authenticator app.")},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise ValidationError(_("The code has digits only."), code="digits")
        if len(token) != 6:
            raise ValidationError(
                _("The code has 6 digits; you entered %(count)d.") % {"count": len(token)}, code="length"
            )
        return token


class ResetPasswordForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the password being reset?"),
        help_text=_("Written to the audit log, e.g. “Came to the office, forgot the password”."),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the password is being reset; it goes into the log.")},
    )


class RolePickForm(forms.Form):
    """Step one of granting, a GET form: which role, and optionally which areas to list."""

    role = forms.ChoiceField(label=_("Role"))
    q = forms.CharField(
        label=_("Find the area by name, code or pinyin"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [(r, Role(r).label) for r in roles]


class GrantRoleForm(forms.Form):
    """Step two, POSTed: the role and the area it is held over."""

    role = forms.ChoiceField(
        label=_("Role"), error_messages={"invalid_choice": _("Choose a role from the list.")}
    )
    area = forms.IntegerField(
        label=_("Area"),
        widget=forms.Select,
        error_messages={
            "required": _("Choose the area the role is held over."),
            "invalid": _("Choose an area from the list."),
        },
    )

    def __init__(self, *args, roles: list[str], areas, area_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_queryset = area_queryset
        cast(forms.ChoiceField, self.fields["role"]).choices = [(r, Role(r).label) for r in roles]
        self.fields["area"].widget.choices = [("", _("— choose —"))] + [
            (a.pk, f"{a.name} · {a.get_level_display()} · {a.code}") for a in areas
        ]

    def clean_area(self):
        area = self.area_queryset.filter(pk=self.cleaned_data["area"]).first()
        if area is None:
            raise ValidationError(_("Choose an area from the list."), code="unknown")
        return area


class ElderlyModeForm(forms.Form):
    on = forms.ChoiceField(choices=[("1", _("On")), ("0", _("Off"))])


class MessageChannelsForm(forms.ModelForm):
    """Where messages reach a user besides the app: SMS to their login number, e-mail."""

    class Meta:
        model = User
        fields = ["email", "sms_notifications", "email_notifications"]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose Chinese or English.")},
    )


# --- Admin ------------------------------------------------------------------------------------


class AdminUserAddForm(AdminUserCreationForm):
    phone = PhoneField(widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))

    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]  # the stubs omit Meta
        model = User
        fields = ("phone", "name", "home_area")


class AdminUserChangeForm(UserChangeForm):
    phone = PhoneField(widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))

    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]  # the stubs omit Meta
        model = User
        fields = "__all__"
