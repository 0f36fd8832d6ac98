"""Staff on a phone see the page's content first: the header is one bar with the brand and a
菜单 button, which unfolds the switches, the account and both menus (a <details>, no script).
The resident and the staff menus used to take about 460 of the 780 px above the content on
every staff page, again after each check or visit was saved. Wider screens show everything."""

from __future__ import annotations

from datetime import date

import pytest

from eldercare.models import Watch
from tests.browser.checks import DESKTOP, axe_violations, elderly_problems, format_violations, screenshot_dir
from tests.visits import conftest as visit_fixtures

pytestmark = pytest.mark.browser
homes = visit_fixtures.homes
category = visit_fixtures.category
immediate_tasks = visit_fixtures.immediate_tasks

PHONE_780 = {"width": 360, "height": 780}
CONTENT_TOP = 160  # px: the main content starts within this of the top of the screen


def _content_top(page) -> float:
    return page.evaluate("document.querySelector('main').getBoundingClientRect().top")


def _shot(page, name: str) -> None:
    folder = screenshot_dir()
    if folder is not None:
        page.screenshot(path=folder / f"header-{name}.png", full_page=False)


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
def test_staff_pages_on_a_phone_start_with_the_content(new_context, owner, tree, homes, elderly):
    watch = Watch.objects.create(resident=homes.zhao, committee=tree.committee, checks_from=date(2026, 1, 1))
    owner.elderly_mode = elderly
    owner.save(update_fields=["elderly_mode"])
    page = new_context(PHONE_780, user=owner).new_page()
    mode = "elderly" if elderly else "standard"
    urls = ["/today/", "/workspace/", f"/registry/area/{tree.committee.code}/", "/visits/", "/eldercare/"]
    for url in urls:
        page.goto(url)
        top = _content_top(page)
        assert top <= CONTENT_TOP, f"{url}: the content starts at {top:.0f} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_780["width"], url
    _shot(page, f"{mode}-closed")

    # The menus are one tap away, and keyboard and screen-reader users reach them the same way.
    assert not page.locator(".staff-nav a").first.is_visible()
    page.locator("summary.menu-toggle").click()
    page.locator(".staff-nav a", has_text="走访").wait_for()
    assert page.locator(".main-nav a", has_text="首页").is_visible()
    assert page.locator(".site-menu .elderly-switch").is_visible()
    _shot(page, f"{mode}-open")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    if elderly:
        assert not elderly_problems(page), elderly_problems(page)
    page.locator(".staff-nav a", has_text="走访").click()
    page.wait_for_url("**/visits/")

    # After a save the page comes back with its message, the content still first.
    page.goto(f"/eldercare/{watch.pk}/")
    page.locator("button[value=call]").click()  # a call fills the slot of the hour, day or night
    page.locator(".message-success").wait_for()
    assert _content_top(page) <= CONTENT_TOP
    page.goto(f"/visits/household/{homes.a302.pk}/")
    page.locator('input[name="way"][value="phone"]').check()
    page.locator("#id_findings").fill("电话联系，一切都好。")
    page.locator(".visit-form button[type=submit]").click()
    page.locator(".message-success").wait_for()
    assert _content_top(page) <= CONTENT_TOP
    _shot(page, f"{mode}-saved")


def test_the_skip_link_still_leads_to_the_content(new_context, owner):
    page = new_context(PHONE_780, user=owner).new_page()
    page.goto("/workspace/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_on_a_desktop_the_menus_show_without_the_button(new_context, owner):
    page = new_context(DESKTOP, user=owner).new_page()
    page.goto("/workspace/")
    assert not page.locator("summary.menu-toggle").is_visible()
    assert page.locator(".staff-nav a", has_text="走访").is_visible()
    assert page.locator(".main-nav a", has_text="首页").first.is_visible()
    _shot(page, "desktop")
