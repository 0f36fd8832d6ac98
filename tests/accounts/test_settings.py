"""Elderly mode and language: in cookies for visitors, on the account for users."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from accounts.middleware import ELDERLY_COOKIE
from tests.accounts.conftest import text
from tests.factories import login_verified

ELDERLY = "/settings/elderly-mode/"
LANGUAGE = "/settings/language/"
YEAR = 60 * 60 * 24 * 365


def test_a_visitors_elderly_mode_is_kept_in_a_cookie_for_a_year(client, db):
    response = client.post(ELDERLY, {"on": "1", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    cookie = response.cookies[ELDERLY_COOKIE]
    assert cookie.value == "1" and cookie["max-age"] == YEAR
    assert 'class="elderly"' in client.get("/").content.decode()
    response = client.post(ELDERLY, {"on": "0", "next": "/"})
    assert response.cookies[ELDERLY_COOKIE].value == "0"


def test_a_users_elderly_mode_is_saved_on_the_account(client, resident):
    login_verified(client, resident)
    client.post(ELDERLY, {"on": "1", "next": "/"})
    resident.refresh_from_db()
    assert resident.elderly_mode
    # Another device, no cookie: the account remembers.
    client.cookies.pop(ELDERLY_COOKIE)
    assert 'class="elderly"' in client.get("/").content.decode()
    client.post(ELDERLY, {"on": "0"})
    resident.refresh_from_db()
    assert not resident.elderly_mode


def test_a_visitors_language_is_kept_in_a_cookie(client, db):
    response = client.post(LANGUAGE, {"language": "zh-hans", "next": "/settings/"})
    assert response["Location"] == "/settings/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "zh-hans" and cookie["max-age"] == YEAR
    assert 'lang="zh-Hans"' in client.get("/settings/").content.decode()


def test_a_users_language_is_saved_on_the_account(client, resident):
    login_verified(client, resident)
    client.post(LANGUAGE, {"language": "zh-hans"})
    resident.refresh_from_db()
    assert resident.language == "zh-hans"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    client.post(LANGUAGE, {"language": "en"})
    resident.refresh_from_db()
    assert resident.language == "en"


def test_bad_values_change_nothing_and_say_why(client, resident):
    login_verified(client, resident)
    response = client.post(ELDERLY, {"on": "yes", "next": "/settings/"}, follow=True)
    assert "Elderly mode is switched with “1” (on) or “0” (off); nothing was changed." in text(response)
    response = client.post(LANGUAGE, {"language": "fr", "next": "/settings/"}, follow=True)
    assert "Choose Chinese or English; the language was not changed." in text(response)
    resident.refresh_from_db()
    assert not resident.elderly_mode and resident.language == ""


def test_the_switches_go_back_to_the_referring_page_but_never_off_site(client, db):
    response = client.post(ELDERLY, {"on": "1"}, HTTP_REFERER="http://testserver/accounts/login/")
    assert response["Location"] == "http://testserver/accounts/login/"
    response = client.post(ELDERLY, {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")
    response = client.post(LANGUAGE, {"language": "en"}, HTTP_REFERER="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_the_switches_take_a_post(client, db):
    assert client.get(ELDERLY).status_code == 405
    assert client.get(LANGUAGE).status_code == 405


def test_the_settings_page_works_for_visitors_and_users(client, resident):
    page = text(client.get("/settings/"))
    assert f'action="{ELDERLY}"' in page and f'action="{LANGUAGE}"' in page
    assert 'name="on" value="1"' in page
    assert "Log in to keep them with your account." in page
    login_verified(client, resident)
    page = text(client.get("/settings/"))
    assert f'href="{reverse("accounts:change_password")}"' in page
    assert "Saved with your account" in page
