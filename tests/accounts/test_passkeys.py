"""Passkeys (WebAuthn) as a second factor beside the authenticator app.

The ceremony itself (a real authenticator's signature) is tested in the browser, with
Chromium's virtual authenticator: tests/browser/test_passkeys.py. Here: what the pages offer
and what the ceremony's endpoints let through before the second factor."""

from __future__ import annotations

import json

from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from tests.accounts.conftest import text
from tests.factories import totp_device

TWO_FACTOR = "/accounts/two-factor/"
BEGIN_REGISTRATION = "/accounts/two-factor/passkey/registration/begin/"
BEGIN_AUTHENTICATION = "/accounts/two-factor/passkey/authentication/begin/"


def _passkey(user) -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user,
        name="phone",
        confirmed=True,
        credential_id=b"\x01" * 16,
        public_key=b"\x02" * 77,
        sign_count=0,
        aaguid="00000000-0000-0000-0000-000000000000",
        transports=["internal"],
    )


def test_the_set_up_page_offers_a_passkey_first_and_the_app_as_the_alternative(client, owner):
    client.force_login(owner)
    page = text(client.get(TWO_FACTOR))
    passkey = page.index("Set up a passkey on this device")
    app = page.index("Or use an authenticator app")
    assert passkey < app
    assert 'id="passkey-register-button"' in page
    # The package's script and Mulin's, as files (the CSP allows no inline script).
    assert "django_otp_webauthn/otp_webauthn_register.js" in page and "js/passkeys.js" in page
    assert 'id="otp_webauthn_config" type="application/json"' in page


def test_a_staff_member_without_any_device_may_start_enrolling_a_passkey(client, owner):
    client.force_login(owner)
    response = client.post(BEGIN_REGISTRATION, HTTP_HOST="localhost")
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"id": "localhost", "name": "Mulin 睦邻"}
    assert options["user"]["name"]


def test_with_an_app_enrolled_a_passkey_is_added_only_after_the_code(client, owner):
    totp_device(owner)
    client.force_login(owner)  # password given, code not yet
    response = client.post(BEGIN_REGISTRATION, HTTP_HOST="localhost")
    assert response.status_code == 403
    assert WebAuthnCredential.objects.count() == 0


def test_the_login_step_offers_the_passkey_and_the_code(client, owner):
    totp_device(owner)
    _passkey(owner)
    client.force_login(owner)
    page = text(client.get(TWO_FACTOR))
    assert page.index('id="passkey-verification-button"') < page.index("Or enter the code")
    assert 'name="token"' in page
    assert "django_otp_webauthn/otp_webauthn_auth.js" in page


def test_with_a_passkey_only_the_login_step_asks_for_it_and_not_for_an_app(client, owner):
    _passkey(owner)
    client.force_login(owner)
    page = text(client.get(TWO_FACTOR))
    assert "Use your passkey" in page
    assert 'name="token"' not in page and "Set up two-factor" not in page
    response = client.post(BEGIN_AUTHENTICATION, HTTP_HOST="localhost")
    assert response.status_code == 200
    allowed = response.json()["allowCredentials"]
    assert len(allowed) == 1


def test_nobody_logs_in_with_a_passkey_alone(client, owner):
    _passkey(owner)
    response = client.post(BEGIN_AUTHENTICATION, HTTP_HOST="localhost")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_ceremony_pages_carry_the_strict_policy(client, owner):
    client.force_login(owner)
    response = client.post(BEGIN_REGISTRATION, HTTP_HOST="localhost")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    json.loads(response.content)


def test_the_passkey_script_speaks_chinese(db):
    # The package ships no Chinese; the messages of its script come from locale/ (djangojs).
    script = Client().get("/accounts/two-factor/passkey/jsi18n/").content.decode()
    assert "\\u8bbe\\u7f6e\\u6210\\u529f" in script or "设置成功" in script  # 设置成功 (registered)
