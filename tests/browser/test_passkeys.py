"""Passkeys in Chromium, with its virtual authenticator (the DevTools protocol's WebAuthn
domain): a real WebAuthn ceremony, signed by the authenticator, checked by py_webauthn.

A social worker with no second factor yet sets up a passkey with one tap and lands in the
workspace; logging in again, one tap on "use your passkey" opens it. No console error on the
way: the strict Content-Security-Policy lets the package's script and ours run."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from audit.models import AuditEntry
from tests.browser.checks import PHONE

pytestmark = pytest.mark.browser


def _in_workspace(url: str) -> bool:
    return urlparse(url).path == "/workspace/"


def _session_without_second_factor(user) -> str:
    client = Client()
    client.force_login(user)  # the password step only
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _page_with_authenticator(browser, live_server, user):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="zh-CN")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": _session_without_second_factor(user),
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",  # the phone's own fingerprint or face
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return context, page, cdp, authenticator["authenticatorId"], errors


def test_a_worker_sets_up_a_passkey_and_logs_in_with_it(browser, live_server, owner):
    assert live_server.url.startswith("http://localhost"), "passkeys need a host name, not an IP"
    context, page, cdp, authenticator, errors = _page_with_authenticator(browser, live_server, owner)

    page.goto("/accounts/two-factor/?next=/workspace/")
    assert page.locator(".staff-nav").count() == 0, "no workspace before the second factor"
    page.locator("#passkey-register-button").click()
    page.wait_for_url(_in_workspace)
    assert page.locator(".staff-nav").count() == 1
    credential = WebAuthnCredential.objects.get(user=owner)
    assert credential.confirmed
    assert AuditEntry.objects.filter(action="two_factor", actor=owner, note="passkey").exists()
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(stored) == 1

    # Logging in again: the password step, then one tap on the passkey.
    context.clear_cookies()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": _session_without_second_factor(owner),
                "url": live_server.url,
            }
        ]
    )
    page.goto("/workspace/")
    assert "/accounts/two-factor/" in page.url
    assert page.locator(".staff-nav").count() == 0
    assert page.locator('input[name="token"]').count() == 0, "no app enrolled: no code asked for"
    page.locator("#passkey-verification-button").click()
    try:
        page.wait_for_url(_in_workspace, timeout=15_000)
    except Exception:
        status = page.locator("#passkey-verification-status-message").text_content()
        raise AssertionError(f"not verified: {status!r} {errors}") from None
    assert page.locator(".staff-nav").count() == 1
    credential.refresh_from_db()
    assert credential.sign_count >= 1 or credential.last_used_at is not None

    assert errors == [], errors
    context.close()
