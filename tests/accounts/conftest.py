"""Accounts tests read pages in English, the source language of every message."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """PBKDF2's deliberate slowness only slows the tests; the hasher is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield client


def text(response) -> str:
    """The page's text with runs of whitespace collapsed, for phrase assertions."""
    import re

    return re.sub(r"\s+", " ", response.content.decode())
