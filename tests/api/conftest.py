"""API tests: clients with a bearer token, messages in English (their source language)."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import ApiToken
from tests import fixtures
from tests.factories import totp_device

PASSWORD = "correct horse 7"  # what tests.factories.UserFactory sets


english = fixtures.english


def api_client(user=None, *, role=None) -> Client:
    """A client that reads English and, given a user, sends a fresh token of theirs."""
    headers = {}
    if user is not None:
        if user.needs_two_factor:
            totp_device(user)
        _token, key = ApiToken.issue(user, name="test")
        headers["Authorization"] = f"Bearer {key}"
    if role is not None:
        headers["X-Mulin-Role"] = str(role)
    client = Client(headers=headers)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def anonymous_api(db) -> Client:
    return api_client()


@pytest.fixture
def owner_api(owner) -> Client:
    return api_client(owner)


@pytest.fixture
def outsider_api(outsider) -> Client:
    return api_client(outsider)


@pytest.fixture
def resident_api(resident) -> Client:
    return api_client(resident)
