"""Staff enrol TOTP before any page with personal data, and enter a code at every login."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from tests.accounts.conftest import text
from tests.factories import totp_device

TWO_FACTOR = "/accounts/two-factor/"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app would show now (or ``steps_ahead`` steps from now)."""
    t0 = device.t0 - steps_ahead * device.step
    return f"{totp(device.bin_key, device.step, t0, device.digits, device.drift):0{device.digits}d}"


@pytest.fixture
def staff_client(client, owner):
    client.force_login(owner)  # password checked, TOTP step not yet done
    return client


def test_staff_without_a_device_are_sent_from_the_workspace_to_enrol(staff_client):
    response = staff_client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)
    page = text(staff_client.get(response["Location"]))
    assert "Set up two-factor verification" in page
    assert "<svg" in page and "QR code for your authenticator app" in page
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page


def test_residents_are_not_asked_for_two_factor(client, resident):
    client.force_login(resident)
    assert client.get("/settings/").status_code == 200
    assert client.get("/").status_code == 200


def test_enrolment_shows_the_same_secret_until_confirmed(staff_client, owner):
    first = text(staff_client.get(TWO_FACTOR))
    second = text(staff_client.get(TWO_FACTOR))
    device = TOTPDevice.objects.get(user=owner)
    assert not device.confirmed
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert grouped in first and grouped in second


def test_enrolment_with_a_real_code_confirms_the_device_and_opens_the_workspace(staff_client, owner):
    staff_client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    response = staff_client.post(TWO_FACTOR, {"token": code_for(device), "next": "/workspace/"})
    assert response.status_code == 302
    assert response["Location"] == "/workspace/"
    device.refresh_from_db()
    assert device.confirmed
    assert staff_client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert staff_client.get("/workspace/").status_code == 200
    entry = AuditEntry.objects.get(action="two_factor")
    assert entry.actor == owner


def test_a_wrong_code_is_refused_then_throttled_then_accepted_after_the_wait(staff_client, owner):
    staff_client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=owner)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    page = text(staff_client.post(TWO_FACTOR, {"token": wrong}))
    assert "That code is not right." in page
    # Straight away another try is held back, even with the right code (as after three misses).
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now(), throttling_failure_count=3
    )
    page = text(staff_client.post(TWO_FACTOR, {"token": code_for(device)}))
    assert "Too many wrong codes in a row. Wait 4 seconds before the next try." in page
    device.refresh_from_db()
    assert not device.confirmed
    # After the wait the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5)
    )
    assert staff_client.post(TWO_FACTOR, {"token": code_for(device)}).status_code == 302


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("12345", "The code has 6 digits; you entered 5."),
        ("12a456", "The code has digits only."),
        ("", "Enter the six"),
    ],
)
def test_malformed_codes_say_what_is_wrong_and_do_not_count(staff_client, owner, token, words):
    staff_client.get(TWO_FACTOR)
    assert words in text(staff_client.post(TWO_FACTOR, {"token": token}))
    assert TOTPDevice.objects.get(user=owner).throttling_failure_count == 0


def test_enrolled_staff_verify_with_a_code_after_logging_in(client, owner):
    device = totp_device(owner)
    response = client.post(reverse("accounts:login"), {"phone": owner.phone, "password": "correct horse 7"})
    assert response["Location"].startswith(TWO_FACTOR)
    page = text(client.get(response["Location"]))
    assert "Enter your verification code" in page
    assert "Set up" not in page
    response = client.post(TWO_FACTOR, {"token": code_for(device), "next": "/workspace/"})
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200


def test_a_code_works_only_once(client, owner):
    device = totp_device(owner)
    client.force_login(owner)
    code = code_for(device)
    client.post(TWO_FACTOR, {"token": code})
    client.logout()
    client.force_login(owner)
    client.cookies["django_language"] = "en"
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    page = text(client.post(TWO_FACTOR, {"token": code}))
    # Said as it is: not "not right", but used, and when the next one comes.
    assert "That code is not right." not in page
    assert "This code was already used: each code works only once." in page
    assert re.search(r"Wait for the next code, in \d+ seconds?, and enter that one.", page)


def test_a_used_code_says_when_the_next_one_comes(client, owner):
    device = totp_device(owner)
    client.force_login(owner)
    # 10 s into a 30 s step (a minute from now, so the session stays fresh): the next code in 20 s.
    with time_machine.travel((int(time.time()) // 30 + 2) * 30 + 10, tick=False):
        first = client.post(TWO_FACTOR, {"token": code_for(device)})
        assert first.status_code == 302, text(first)[-3000:]
        client.logout()
        client.force_login(owner)
        client.cookies["django_language"] = "en"
        response = client.post(TWO_FACTOR, {"token": code_for(device)})
        assert response.status_code == 200, response
        page = text(response)
    assert "Wait for the next code, in 20 seconds, and enter that one." in page


def test_a_wrong_code_still_says_it_is_not_right(client, owner):
    device = totp_device(owner)
    client.force_login(owner)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    page = text(client.post(TWO_FACTOR, {"token": wrong}))
    assert "That code is not right." in page and "already used" not in page


def test_the_next_page_after_two_factor_stays_on_the_site(client, owner):
    device = totp_device(owner)
    client.force_login(owner)
    response = client.post(TWO_FACTOR, {"token": code_for(device), "next": "//evil.example/"})
    assert response["Location"] == "/workspace/"


def test_anonymous_visitors_are_asked_to_log_in_first(client, db):
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_two_factor_gate_keeps_a_next_url_with_a_query_string(client, owner):
    from urllib.parse import parse_qs, urlsplit

    client.force_login(owner)
    response = client.get("/audit/?action=update&page=2")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["next"] == ["/audit/?action=update&page=2"]


# --- Nothing of the workspace before the second factor ----------------------------------------


def _workspace_shows(page: str, owner) -> list[str]:
    shown = [
        ("staff menu", 'class="main-nav staff-nav"'),
        ("workspace link", 'href="/workspace/"'),
        ("name", owner.name),
        ("role", "Social worker"),
        ("switch role", "/accounts/roles/"),
        ("registry link", "/registry/"),
    ]
    return [what for what, needle in shown if needle in page]


def test_nothing_of_the_workspace_shows_before_the_second_factor(client, owner):
    totp_device(owner)
    response = client.post(reverse("accounts:login"), {"phone": owner.phone, "password": "correct horse 7"})
    page = text(client.get(response["Location"]))
    assert "Enter your verification code" in page
    assert _workspace_shows(page, owner) == []
    assert "Log out" in page
    # Nor on the pages still open before it: the settings, and the home page sends on to the code.
    assert _workspace_shows(text(client.get("/settings/")), owner) == []
    assert client.get("/").status_code == 302


def test_after_the_second_factor_the_workspace_menu_shows(client, owner):
    device = totp_device(owner)
    client.force_login(owner)
    client.post(TWO_FACTOR, {"token": code_for(device)})
    page = text(client.get("/settings/"))
    assert {"staff menu", "name", "workspace link"} <= set(_workspace_shows(page, owner))
