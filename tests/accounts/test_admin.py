"""The admin site's account pages, for site administrators."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts import lockout
from accounts.models import ApiToken, User
from tests.factories import login_verified


@pytest.fixture
def admin_client(client, tree):
    root = User.objects.create_superuser("13700000000", "a long admin password 1", name="运维")
    login_verified(client, root)
    return client


def test_the_user_pages_open_and_a_user_is_added_by_mobile_number(admin_client, tree, resident, owner):
    assert admin_client.get("/admin/accounts/user/").status_code == 200
    assert admin_client.get(f"/admin/accounts/user/{owner.pk}/change/").status_code == 200
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "phone": "+86 135 0000 1111",
            "name": "新社工",
            "home_area": tree.committee.pk,
            "usable_password": "true",
            "password1": "a good long password 9",
            "password2": "a good long password 9",
            "role_grants-TOTAL_FORMS": "0",
            "role_grants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(phone="13500001111").name == "新社工"


def test_a_bad_number_is_refused_in_the_admin_too(admin_client, tree):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "phone": "1350000111",
            "name": "x",
            "usable_password": "false",
            "role_grants-TOTAL_FORMS": "0",
            "role_grants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "11 digits" in response.content.decode()


def test_tokens_show_their_hash_read_only_and_cannot_be_added(admin_client, resident):
    token, key = ApiToken.issue(resident, name="小程序")
    page = admin_client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.key_hash in page
    assert 'name="key_hash"' not in page
    assert key not in page
    assert admin_client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_role_grants_are_listed(admin_client, owner):
    assert admin_client.get("/admin/accounts/rolegrant/").status_code == 200


def test_a_site_administrator_lifts_a_login_lock(admin_client, owner):
    for n in range(5):
        Client().post("/accounts/login/", {"phone": owner.phone, "password": f"guess {n}"})
    assert lockout.locked_numbers([owner.phone]) == {owner.phone}
    response = admin_client.post(
        "/admin/accounts/user/", {"action": "lift_login_lock", "_selected_action": [owner.pk]}, follow=True
    )
    assert "1 login lock(s) lifted." in response.content.decode()
    assert lockout.locked_numbers([owner.phone]) == set()
