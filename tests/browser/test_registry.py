"""The registry in Chromium, as people use it: a social worker revealing a number (with
htmx and without JavaScript), a census uploaded, checked and applied, the community map on
a phone (a grid as wide as the screen) and on a desktop (the plan), and an elderly resident
registering and verifying with JavaScript off."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from accounts.models import User
from accounts.roles import Role
from registry import crypto
from registry.models import AccessLog, Registration, Resident
from tests.browser.checks import (
    DESKTOP,
    PHONE,
    axe_violations,
    elderly_problems,
    format_violations,
    screenshot_dir,
)
from tests.factories import UserFactory, grant, household, id_number, local, resident
from tests.registry.sheets import person, write_csv

pytestmark = pytest.mark.browser


@pytest.fixture
def worker(tree):
    user = UserFactory.create(name="社工小王", home_area=tree.committee)
    grant(user, Role.SOCIAL_WORKER, tree.committee)
    return user


@pytest.fixture
def auntie(tree):
    return resident(household(tree.building, "301"), "王秀英", number=id_number("1948-02-02", male=False))


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_revealing_a_number_asks_why_and_shows_it_once(new_context, worker, auntie, js):
    page = new_context(PHONE, user=worker, js=js).new_page()
    page.goto(f"/registry/residents/{auntie.pk}/")
    number = crypto.decrypt(auntie.id_cipher)
    assert auntie.id_masked in page.content() and number not in page.content()
    page.locator("main a", has_text="显示完整号码").click()
    page.fill('input[name="reason"]', "办理敬老卡")
    url_before = page.url
    page.locator("#reveal-box button[type=submit]").click()
    page.locator(".revealed-value").wait_for()
    assert page.locator(".revealed-value").inner_text().strip() == number
    if js:
        assert page.url == url_before  # swapped in place by htmx
    assert AccessLog.objects.get().reason == "办理敬老卡"


def test_a_census_is_uploaded_checked_and_applied(new_context, worker, tree, tmp_path, settings):
    settings.REGISTRY_UPLOAD_DIR = tmp_path / "uploads"
    sheet = write_csv(
        tmp_path / "人口信息.csv",
        [
            person("张建国", id_number("1950-01-02")),
            person("李秀兰", id_number("1953-04-05", male=False), relation="配偶"),
        ],
    )
    page = new_context(DESKTOP, user=worker).new_page()
    page.goto("/registry/import/")
    page.set_input_files('input[name="file"]', str(sheet))
    page.locator("main button", has_text="检查这张表").click()
    page.locator("h1", has_text="人口信息.csv").wait_for()
    assert "导入将会改动什么" in page.content() and not Resident.objects.exists()
    page.locator("main button", has_text="导入人口信息").click()
    page.locator(".message-success").wait_for()
    assert Resident.objects.count() == 2
    assert "已导入" in page.locator("main").inner_text()


def _buildings(tree, count: int) -> None:
    for n in range(1, count + 1):
        local(tree.group, "building", f"{n}号小楼", 100 + n)


def _map_rows(page) -> dict:
    """How the phone shows the map: whether its box scrolls sideways, and the buildings fully
    inside the screen on its first row."""
    return page.evaluate(
        """() => {
          const grid = document.querySelector(".map-grid");
          const cells = [...grid.querySelectorAll("a")].map(a => a.getBoundingClientRect());
          const top = cells[0].top;
          const first = cells.filter(r => Math.abs(r.top - top) < 1);
          return {
            scrolls: grid.scrollWidth > grid.clientWidth,
            perRow: first.filter(r => r.left >= 0 && r.right <= window.innerWidth).length,
            narrowest: Math.min(...cells.map(r => r.width)),
            lowest: Math.min(...cells.map(r => r.height)),
          };
        }"""
    )


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
def test_the_community_map_on_a_phone_wraps_to_the_screen_and_leads_to_the_building(
    new_context, worker, tree, auntie, elderly
):
    """The buildings wrap in a grid as wide as the phone: three to a row (two, 60 px and more,
    in elderly mode) with nothing to scroll sideways; it was a 1000 px plan scrolling inside
    its box, two and a half buildings in view."""
    _buildings(tree, 8)
    worker.elderly_mode = elderly
    worker.save(update_fields=["elderly_mode"])
    page = new_context(PHONE, user=worker).new_page()
    page.goto(f"/registry/area/{tree.committee.code}/map/")
    page.select_option("#map-metric", "living_alone")
    with page.expect_navigation():
        page.locator(".filters button").click()
    assert "metric=living_alone" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    rows = _map_rows(page)
    assert not rows["scrolls"], rows
    assert rows["perRow"] >= (2 if elderly else 3), rows
    if elderly:
        assert "elderly" in (page.get_attribute("html", "class") or "")
        assert rows["narrowest"] >= 60 and rows["lowest"] >= 60, rows
        assert not elderly_problems(page), elderly_problems(page)
    assert not page.locator(".map-plan").is_visible()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    folder = screenshot_dir()
    if folder is not None:
        page.screenshot(path=folder / f"map-360-{'elderly' if elderly else 'standard'}.png", full_page=True)
    with page.expect_navigation():
        page.locator(f".map-grid a[href='/registry/area/{tree.building.code}/']").click()
    assert urlparse(page.url).path == f"/registry/area/{tree.building.code}/"
    assert "王秀英" in page.content()


def test_the_community_map_on_a_desktop_is_the_plan(new_context, worker, tree):
    _buildings(tree, 3)
    page = new_context(DESKTOP, user=worker).new_page()
    page.goto(f"/registry/area/{tree.committee.code}/map/")
    assert page.locator(".map-plan").is_visible()
    assert not page.locator(".map-grid").is_visible()


def test_an_elderly_resident_registers_and_verifies_without_javascript(new_context, tree, auntie):
    page = new_context(PHONE, js=False, elderly=True).new_page()
    page.goto("/registry/register/")
    page.fill('input[name="q"]', "延长")
    with page.expect_navigation():
        page.locator("main form button").click()
    with page.expect_navigation():
        page.locator("main a", has_text="延长新村居委会").click()
    page.fill('input[name="name"]', "王秀英")
    page.fill('input[name="phone"]', "139 1111 2222")
    page.fill('input[name="password"]', "correct horse 7")
    page.select_option('select[name="building"]', label="62号楼")
    page.fill('input[name="room"]', "301")
    with page.expect_navigation():
        page.locator("main form button", has_text="注册").click()
    assert urlparse(page.url).path == "/registry/me/"
    assert "等待认证" in page.content()
    page.fill('input[name="id_number"]', crypto.decrypt(auntie.id_cipher))
    with page.expect_navigation():
        page.locator("main form button", has_text="认证").click()
    assert "认证通过" in page.content()
    auntie.refresh_from_db()
    assert auntie.user == User.objects.get(phone="13911112222")
    assert Registration.objects.get().status == "verified"


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_searching_by_identity_number_keeps_it_out_of_the_address(new_context, worker, auntie, js):
    """The search form posts: with htmx the results swap in place, without JavaScript the page
    comes back; either way the number is in no address the server (or its log) sees."""
    number = crypto.decrypt(auntie.id_cipher)
    page = new_context(PHONE, user=worker, js=js).new_page()
    addresses: list[str] = []
    page.on("request", lambda request: addresses.append(request.url))
    page.goto("/registry/search/")
    page.fill("#search-q", number.lower())
    page.locator("main form[role=search] button[type=submit]").click()
    page.locator("#search-results a", has_text="王秀英").wait_for()
    assert "女" in page.locator("#search-results").inner_text()
    if js:
        assert page.url.endswith("/registry/search/")
    assert addresses and not any(number in url or number.lower() in url for url in addresses)
