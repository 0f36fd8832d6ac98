"""Chromium through Playwright, against pytest-django's live server.

Debian's Chromium is used as installed (``/usr/bin/chromium``); ``playwright install`` is
never run. Logged-in browsers get the session cookie of a Django test client that logged
in with ``login_verified`` (the TOTP step already passed), so staff pages can be walked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.middleware import ELDERLY_COOKIE
from tests.browser.checks import AXE, CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.factories import login_verified

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
# test body are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make system-deps).")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci`.")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Open browser contexts: ``new_context(viewport, user=None, elderly=False, js=True)``."""
    contexts = []

    def make(viewport=PHONE, user=None, elderly=False, js=True):
        context = browser.new_context(
            viewport=viewport, base_url=live_server.url, java_script_enabled=js, locale="zh-CN"
        )
        cookies = []
        if user is not None:
            client = Client()
            login_verified(client, user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
        if elderly:
            cookies.append({"name": ELDERLY_COOKIE, "value": "1", "url": live_server.url})
        if cookies:
            context.add_cookies(cookies)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
