"""Logging in with a mobile number, failures counted per number and address, lockout, logging out."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import lockout
from audit.models import AuditEntry
from tests.accounts.conftest import text
from tests.factories import UserFactory, login_verified

PASSWORD = "correct horse 7"  # tests.factories.UserFactory's
LOGIN = "/accounts/login/"


def _login(client, phone, password=PASSWORD, **extra):
    return client.post(LOGIN, {"phone": phone, "password": password, **extra})


def test_the_login_page_asks_for_a_phone_and_a_password_with_the_right_keyboard(client, db):
    page = text(client.get(LOGIN))
    assert 'inputmode="tel"' in page and 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert reverse("accounts:login") == LOGIN


def test_a_resident_logs_in_with_any_spelling_of_the_number_and_lands_home(client, resident):
    spelled = f"+86 {resident.phone[:3]} {resident.phone[3:7]} {resident.phone[7:]}"
    response = _login(client, spelled)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get("/").context["user"] == resident
    entry = AuditEntry.objects.get(action="login")
    assert entry.actor == resident and entry.object_id == str(resident.pk)


def test_a_resident_goes_on_to_a_safe_next_page_but_never_off_site(client, resident):
    response = _login(client, resident.phone, next="/settings/")
    assert response["Location"] == "/settings/"
    client.logout()
    response = _login(client, resident.phone, next="https://evil.example/steal")
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_refused_with_plain_words_and_tries_left(client, resident):
    response = _login(client, resident.phone, "not my password")
    assert response.status_code == 200
    page = text(response)
    assert "The mobile number or the password is not right." in page
    assert "4 more wrong tries lock this number on this network for 15 minutes." in page
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(action="login").exists()


def test_an_unknown_number_reads_the_same_as_a_wrong_password(client, db):
    page = text(_login(client, "13912345678", "anything at all"))
    assert "The mobile number or the password is not right." in page


def test_a_disabled_account_cannot_log_in(client, tree):
    user = UserFactory.create(home_area=tree.committee, is_active=False)
    assert "not right" in text(_login(client, user.phone))


def test_empty_fields_each_say_what_is_missing(client, db):
    page = text(client.post(LOGIN, {"phone": "", "password": ""}))
    assert "Enter your mobile number." in page
    assert "Enter your password." in page


def test_five_wrong_passwords_lock_the_number_and_the_right_one_is_refused_while_locked(client, resident):
    for _ in range(4):
        assert _login(client, resident.phone, "guess again 1").status_code == 200
    response = _login(client, resident.phone, "guess again 1")  # the fifth
    assert response.status_code == 429
    page = text(response)
    assert "This number is locked on this network for now" in page
    assert "locked for 15 minutes" in page
    assert f"{resident.phone[:3]}****{resident.phone[-4:]}" in page
    assert "ask the social worker of your residents' committee to reset it" in page

    response = _login(client, resident.phone, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_number_not_per_office(client, tree, resident):
    neighbour = UserFactory.create(home_area=tree.committee)
    for _ in range(5):
        _login(client, resident.phone, "guess again 1")
    assert _login(client, resident.phone).status_code == 429
    assert _login(client, neighbour.phone).status_code == 302


def test_the_other_spelling_of_a_locked_number_is_locked_too(client, resident):
    for _ in range(5):
        _login(client, resident.phone, "guess again 1")
    assert _login(client, "+86" + resident.phone).status_code == 429


def test_staff_go_to_the_workspace_after_two_factor(client, owner):
    response = _login(client, owner.phone)
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    assert "next=%2Fworkspace%2F" in response["Location"]


def test_logging_out_takes_a_post_and_a_get_only_shows_the_button(client, resident):
    client.force_login(resident)
    page = text(client.get(reverse("accounts:logout")))
    assert f'<form method="post" action="{reverse("accounts:logout")}"' in page
    assert client.session.get("_auth_user_id") == str(resident.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_logged_in_visitor_of_the_login_page_is_sent_on(client, resident):
    client.force_login(resident)
    assert client.get(LOGIN)["Location"] == reverse("home")


# --- Locked by number and address, slowed by number alone ------------------------------------

OFFICE, HOME, ELSEWHERE = "10.1.0.1", "10.2.0.2", "10.3.0.3"


def _from(client, address, phone, password=PASSWORD):
    return client.post(LOGIN, {"phone": phone, "password": password}, REMOTE_ADDR=address)


def test_wrong_passwords_from_one_address_do_not_lock_the_worker_out_from_another(client, owner):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(5):
            _from(client, ELSEWHERE, owner.phone, f"guess {n}")
        # Repeated from that address: locked there, even with the right password.
        assert _from(client, ELSEWHERE, owner.phone).status_code == 429
        # From the worker's office: not locked, only slowed for a few seconds, and told so.
        response = _from(client, OFFICE, owner.phone)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        assert "too many wrong passwords, some from other places" in text(response)
        assert "wait 5 seconds and try again" in text(response)
    with time_machine.travel(start + timedelta(seconds=6), tick=False):
        response = _from(client, OFFICE, owner.phone)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_delay_for_the_number_alone_grows_with_each_wrong_password(client, resident):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(5):
            _from(client, ELSEWHERE, resident.phone, f"guess {n}")
        assert lockout.number_wait_seconds(resident.phone) == 5
    # A guess from yet another address after the wait, wrong again: the next wait doubles.
    with time_machine.travel(start + timedelta(seconds=6), tick=False):
        assert _from(client, HOME, resident.phone, "guess 6").status_code == 200
        assert lockout.number_wait_seconds(resident.phone) == 10
        # While it waits the password is not even checked (not counted either).
        assert "wait 10 seconds" in text(_from(client, OFFICE, resident.phone, "guess 7"))
        assert lockout.number_wait_seconds(resident.phone) == 10
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert lockout.number_wait_seconds(resident.phone) == 0


def test_the_lockout_page_says_how_long_and_how_to_get_in(client, owner):
    at = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    with time_machine.travel(at, tick=False):
        for n in range(5):
            response = _from(client, ELSEWHERE, owner.phone, f"guess {n}")
    page = text(response)
    assert response.status_code == 429
    assert "locked for 15 minutes" in page and "Try again after 09:15." in page
    # Trying again while locked neither counts nor pushes the time back.
    with time_machine.travel(at + timedelta(minutes=5), tick=False):
        again = _from(client, ELSEWHERE, owner.phone)
    assert again.status_code == 429 and "Try again after 09:15." in text(again)
    assert "ask whoever manages your committee's or street's accounts to lift the lock" in page
    assert "“Lift login lock”" in page
    assert "log in from another one" in page


def test_who_manages_the_accounts_lifts_a_workers_lock_on_the_people_page(client, owner, colleague):
    for n in range(5):
        _from(client, ELSEWHERE, owner.phone, f"guess {n}")
    assert _from(client, ELSEWHERE, owner.phone).status_code == 429

    lead = Client()
    lead.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login_verified(lead, colleague)
    page = text(lead.get("/accounts/people/"))
    assert "Login locked" in page and "Lift login lock" in page
    response = lead.post(f"/accounts/people/{owner.pk}/unlock/", follow=True)
    assert f"{owner.name} can log in again: the lock is lifted." in text(response)
    assert "Login locked" not in text(lead.get("/accounts/people/"))
    entry = AuditEntry.objects.get(action="update", object_id=str(owner.pk), note="login lock lifted")
    assert entry.actor == colleague and entry.note == "login lock lifted"

    assert _from(client, ELSEWHERE, owner.phone).status_code == 302


def test_only_who_manages_accounts_of_the_area_may_lift_a_lock(client, owner, outsider, resident):
    for n in range(5):
        _from(client, ELSEWHERE, owner.phone, f"guess {n}")
    other = Client()
    login_verified(other, outsider)  # a social worker of the neighbouring committee
    assert other.post(f"/accounts/people/{owner.pk}/unlock/").status_code == 404
    neighbour = Client()
    neighbour.force_login(resident)
    assert neighbour.post(f"/accounts/people/{owner.pk}/unlock/").status_code == 403
    assert lockout.locked_numbers([owner.phone]) == {owner.phone}
