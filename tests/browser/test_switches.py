"""The 长辈版 switch and the language switch, clicked in Chromium, with JavaScript off too."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from accounts.models import User
from tests.browser.checks import PHONE
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse 7"


def _html_class(page) -> str:
    return page.get_attribute("html", "class") or ""


def _log_in(page, phone: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator('input[name="password"]'))
    form.locator('input[name="phone"]').fill(phone)
    form.locator('input[name="password"]').fill(PASSWORD)
    with page.expect_navigation():
        form.locator('button[type="submit"], input[type="submit"]').first.click()


def test_elderly_switch_without_javascript_is_remembered_after_logging_in(tree, new_context):
    resident = UserFactory.create(name="居民张伯伯", home_area=tree.committee)
    page = new_context(PHONE, js=False).new_page()
    page.goto("/")
    switch = page.locator("main .elderly-switch")
    assert switch.is_visible(), "the 长辈版 switch must be on the home page itself"
    assert page.locator("header .elderly-switch").is_visible(), "and in the header of every page"
    assert "elderly" not in _html_class(page)

    with page.expect_navigation():
        switch.click()
    assert "elderly" in _html_class(page)
    assert urlparse(page.url).path == "/", "the switch brings you back to the page you were on"
    assert page.locator("main .elderly-switch").inner_text().strip() in ("标准版", "Standard mode")

    # Logging in keeps the choice, and it is saved on the account.
    _log_in(page, resident.phone)
    assert "elderly" in _html_class(page), "elderly mode was lost when logging in"
    resident.refresh_from_db()
    assert resident.elderly_mode

    # Another device: the account remembers it.
    other = new_context(PHONE, js=False).new_page()
    _log_in(other, resident.phone)
    assert "elderly" in _html_class(other)

    # And back to standard, saved again.
    with other.expect_navigation():
        other.locator("header .elderly-switch").click()
    assert "elderly" not in _html_class(other)
    assert not User.objects.get(pk=resident.pk).elderly_mode


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_language_switch_shows_english_and_back(db, new_context, js):
    page = new_context(PHONE, js=js).new_page()
    page.goto("/")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "欢迎来到睦邻"

    with page.expect_navigation():
        page.locator('.language-switch[value="en"]').click()
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h1").inner_text() == "Welcome to Mulin"
    assert page.locator(".elderly-switch").first.inner_text().strip() == "Elderly mode"

    with page.expect_navigation():
        page.locator('.language-switch[value="zh-hans"]').click()
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "欢迎来到睦邻"


def test_htmx_is_loaded_from_npm_and_echarts_only_where_asked(db, new_context):
    page = new_context(PHONE).new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto("/")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("typeof window.echarts") == "undefined"
    assert not failed
    # No inline scripts: a strict Content-Security-Policy stays possible.
    assert (
        page.evaluate("[...document.scripts].filter(s => !s.src && s.type !== 'application/json').length")
        == 0
    )
