"""Staff find accounts of their area and reset a resident's forgotten password."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEntry
from tests.accounts.conftest import text
from tests.factories import UserFactory, grant, login_verified

PEOPLE = "/accounts/people/"


def _password(response) -> str:
    """The one-time password the page shows."""
    found = re.search(r'<code translate="no" lang="en">([a-z0-9]{8})</code>', response.content.decode())
    assert found is not None, "no password on the page"
    return found[1]


def reset_url(user) -> str:
    return reverse("accounts:reset_password", args=[user.pk])


@pytest.fixture
def grandma(tree):
    return UserFactory.create(name="王阿姨", phone="13812345678", home_area=tree.building)


# --- The list -------------------------------------------------------------------------------


def test_the_list_shows_people_of_the_area_with_masked_numbers(owner_client, tree, grandma, outsider):
    UserFactory.create(name="慧芝湖居民", home_area=tree.neighbour_group)
    page = text(owner_client.get(PEOPLE))
    assert "王阿姨" in page and "138****5678" in page
    assert "13812345678" not in page
    assert "慧芝湖居民" not in page and outsider.name not in page
    assert f'href="{reset_url(grandma)}"' in page


def test_staff_accounts_are_listed_as_staff_without_a_reset_button(owner_client, colleague):
    page = text(owner_client.get(PEOPLE))
    assert colleague.name in page
    assert reset_url(colleague) not in page


def test_search_by_name_or_by_digits_of_the_number(owner_client, tree, grandma):
    UserFactory.create(name="李伯伯", phone="13698765432", home_area=tree.committee)
    page = text(owner_client.get(PEOPLE, {"q": "王"}))
    assert "王阿姨" in page and "李伯伯" not in page
    page = text(owner_client.get(PEOPLE, {"q": "5678"}))
    assert "王阿姨" in page and "李伯伯" not in page
    page = text(owner_client.get(PEOPLE, {"q": "+86 136 9876 5432"}))
    assert "李伯伯" in page and "王阿姨" not in page
    page = text(owner_client.get(PEOPLE, {"q": "nobody"}))
    assert "Nobody in your area matches “nobody”." in page


def test_the_list_is_paginated(owner_client, tree):
    for n in range(30):
        UserFactory.create(name=f"居民{n:02d}", home_area=tree.committee)
    first = text(owner_client.get(PEOPLE))
    assert "Page 1 of 2" in first
    second = text(owner_client.get(PEOPLE, {"page": 2}))
    assert "Page 2 of 2" in second


def test_the_list_makes_a_fixed_number_of_queries(owner_client, tree, django_assert_num_queries):
    owner_client.get(PEOPLE)
    UserFactory.create(home_area=tree.committee)
    with django_assert_num_queries(7) as first:  # 7: the login locks of the page, one query
        owner_client.get(PEOPLE)
    for n in range(30):
        user = UserFactory.create(home_area=tree.group if n % 2 else tree.building)
        if n % 5 == 0:
            grant(user, Role.VOLUNTEER, tree.committee)
    with django_assert_num_queries(len(first)):
        response = owner_client.get(PEOPLE)
    assert len(re.findall(r"<tr>", response.content.decode())) == 25 + 1  # a full page and the header


def test_roles_without_account_management_cannot_open_the_list(client, tree):
    leader = UserFactory.create(home_area=tree.group)
    grant(leader, Role.BUILDING_LEADER, tree.group)
    login_verified(client, leader)
    assert client.get(PEOPLE).status_code == 403


def test_visitors_are_sent_to_log_in(client, db):
    response = client.get(PEOPLE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Reset --------------------------------------------------------------------------------------


def test_the_reset_asks_for_a_reason_first(owner_client, grandma):
    page = text(owner_client.get(reset_url(grandma)))
    assert "Reset the password of 王阿姨" in page
    page = text(owner_client.post(reset_url(grandma), {"reason": "  "}))
    assert "Say why the password is being reset; it goes into the log." in page
    assert not AuditEntry.objects.filter(action="password_reset").exists()
    assert authenticate(RequestFactory().post("/"), phone=grandma.phone, password="correct horse 7")


def test_a_reset_shows_the_temporary_password_once_and_logs_it(owner_client, owner, grandma):
    response = owner_client.post(reset_url(grandma), {"reason": "来居委会说忘记密码，已核对身份证"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    password = _password(response)
    assert "It is shown only this once." in text(response)
    grandma.refresh_from_db()
    assert grandma.check_password(password)
    assert grandma.must_change_password
    entry = AuditEntry.objects.get(action="password_reset")
    assert entry.actor == owner
    assert entry.object_id == str(grandma.pk)
    assert entry.note == "来居委会说忘记密码，已核对身份证"
    assert entry.area_path == grandma.home_area.path
    assert password not in str(list(AuditEntry.objects.values_list("changes", "note")))


def test_a_reset_lifts_the_lockout_of_the_number(owner_client, client, grandma):
    from django.test import Client

    other = Client()
    for _ in range(5):
        other.post("/accounts/login/", {"phone": grandma.phone, "password": "wrong guess 1"})
    assert other.post("/accounts/login/", {"phone": grandma.phone, "password": "x y z 1"}).status_code == 429
    response = owner_client.post(reset_url(grandma), {"reason": "locked out"})
    password = _password(response)
    assert other.post("/accounts/login/", {"phone": grandma.phone, "password": password}).status_code == 302


def test_after_a_reset_the_resident_must_choose_a_new_password(owner_client, client, grandma):
    response = owner_client.post(reset_url(grandma), {"reason": "forgot it"})
    password = _password(response)
    owner_client.logout()

    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"phone": grandma.phone, "password": password})
    assert response["Location"].startswith(reverse("accounts:change_password"))
    page = text(client.get(response["Location"]))
    assert "Choose your own password" in page
    assert 'autocomplete="new-password"' in page
    assert "Old password" not in page
    response = client.post(
        reverse("accounts:change_password"),
        {"new_password1": "桂花树下 2024", "new_password2": "桂花树下 2024", "next": "/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    grandma.refresh_from_db()
    assert not grandma.must_change_password and grandma.check_password("桂花树下 2024")
    # Still logged in after the change.
    assert client.get("/").context["user"] == grandma


def test_a_mismatched_new_password_is_explained(client, grandma):
    grandma.must_change_password = True
    grandma.save()
    client.force_login(grandma)
    page = text(
        client.post(reverse("accounts:change_password"), {"new_password1": "abc", "new_password2": "abd"})
    )
    assert "didn’t match" in page or "didn't match" in page


def test_an_ordinary_change_asks_for_the_old_password(client, grandma):
    client.force_login(grandma)
    page = text(client.get(reverse("accounts:change_password")))
    assert "Old password" in page and 'autocomplete="current-password"' in page


def test_a_resident_outside_the_scope_is_not_found(owner_client, tree):
    neighbour_resident = UserFactory.create(name="慧芝湖居民", home_area=tree.neighbour_group)
    assert owner_client.get(reset_url(neighbour_resident)).status_code == 404
    assert owner_client.post(reset_url(neighbour_resident), {"reason": "x"}).status_code == 404
    neighbour_resident.refresh_from_db()
    assert not neighbour_resident.must_change_password


def test_staff_passwords_cannot_be_reset_this_way(owner_client, colleague, tree):
    assert owner_client.get(reset_url(colleague)).status_code == 404
    assert owner_client.post(reset_url(colleague), {"reason": "x"}).status_code == 404
    site_admin = UserFactory.create(home_area=tree.committee, is_staff=True)
    assert owner_client.post(reset_url(site_admin), {"reason": "x"}).status_code == 404
    assert not AuditEntry.objects.filter(action="password_reset").exists()


def test_a_street_admin_resets_in_any_committee_of_the_street(client, tree):
    admin = UserFactory.create(home_area=tree.street)
    grant(admin, Role.STREET_ADMIN, tree.street)
    login_verified(client, admin)
    neighbour_resident = UserFactory.create(home_area=tree.neighbour_group)
    assert (
        client.post(reset_url(neighbour_resident), {"reason": "asked at the street office"}).status_code
        == 200
    )
