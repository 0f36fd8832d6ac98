"""Passkeys (WebAuthn) as a second factor beside the authenticator app: the phone's
fingerprint or face, enrolled in a few taps. django-otp-webauthn does the ceremony (with
py_webauthn) and serves its JavaScript as a static file, so the strict CSP holds.

What Mulin adds: the relying party is the site the request came to (its host is checked
against ALLOWED_HOSTS by Django before anything here runs), so one setting fits development,
the browser tests' live server and production; passwordless login stays off (the password is
the first factor); an enrolment is written to the audit log like a TOTP one.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.views import CompleteCredentialRegistrationView

from audit.services import record


def relying_party_id(request: HttpRequest) -> str:
    """The site's host name without the port: passkeys are bound to it."""
    return request.get_host().rsplit(":", 1)[0].strip("[]")


def _own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


class PasskeyHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        return [*settings.OTP_WEBAUTHN_ALLOWED_ORIGINS, _own_origin(self.request)]


class CompleteRegistration(CompleteCredentialRegistrationView):
    """The package's view, with the enrolment in the audit log."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            record("two_factor", self.request.user, actor=self.request.user, note="passkey")
        return response
