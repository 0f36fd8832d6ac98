"""Every page the tests know, in Chromium, as a visitor, a resident and staff, in standard
and elderly mode, on a 360 px phone and a desktop: axe-core finds no serious or critical
violation, nothing scrolls sideways, the console stays clean, and elderly mode keeps MIIT's
sizes. The pages come from tests/urlwalk.py, so routes added later are walked too.
A failing page is photographed into ``screenshots/``; ``MULIN_SCREENSHOTS=1`` photographs
every page (see tests/browser/checks.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest

from accounts.roles import Role
from tests import urlwalk
from tests.browser.checks import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    axe_violations,
    elderly_problems,
    format_violations,
    horizontal_overflow,
    inject_axe,
    screenshot_dir,
)
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.browser

# Pages no route reaches on its own: the friendly 404.
EXTRA_URLS = [("not_found", "/this-page-does-not-exist/")]


@dataclass
class Walk:
    actor: str
    mode: str
    problems: list[str] = field(default_factory=list)
    visited: int = 0

    def add(self, where: str, what: str) -> None:
        self.problems.append(f"[{self.actor}/{self.mode}] {where}: {what}")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "home"


def _users(tree, actor: str, elderly: bool):
    if actor == "anonymous":
        return None
    if actor == "resident":
        user = UserFactory(name="居民王阿姨", home_area=tree.building)
    else:
        user = UserFactory(name="书记李", home_area=tree.committee)
        grant(user, Role.COMMITTEE_LEAD, tree.committee)
        grant(user, Role.SOCIAL_WORKER, tree.neighbour)
    if elderly:
        user.elderly_mode = True
        user.save(update_fields=["elderly_mode"])
    return user


def _visit(
    page, console: list[str], walk: Walk, name: str, url: str, viewport: dict, elderly: bool, seen: set
) -> None:
    # POST-only routes (logout, the switches, retire...) answer GET with an empty 405, and
    # plain-text ones (healthz) are no pages: ask first, through the context's own cookies.
    probe = page.request.get(url)
    if probe.status == 405 or "text/html" not in probe.headers.get("content-type", ""):
        return
    console.clear()
    response = page.goto(url)
    if response is None:
        walk.add(url, "no response")
        return
    final = urlparse(page.url)
    redirected = final.path != urlparse(url).path
    # Many routes redirect a visitor to the same login page: check that page once.
    key = (final.path if redirected else page.url, viewport["width"])
    if key in seen:
        return
    seen.add(key)
    walk.visited += 1
    where = f"{url} ({name}, {viewport['width']}px)" + (f" → {final.path}" if redirected else "")
    if response.status >= 500:
        walk.add(where, f"HTTP {response.status}")
        return

    found = len(walk.problems)
    violations = axe_violations(page)
    if violations:
        walk.add(where, "axe:\n" + format_violations(violations))
    if viewport["width"] == PHONE["width"]:
        overflow = horizontal_overflow(page, PHONE["width"])
        if overflow:
            walk.add(where, f"scrolls sideways: scrollWidth {overflow}px > 360px")
    if elderly:
        if "elderly" not in (page.get_attribute("html", "class") or ""):
            walk.add(where, "elderly mode is on but <html> has no class 'elderly'")
        for problem in elderly_problems(page):
            walk.add(where, problem)
    # A 403/404 page logs its own status as a failed resource; anything else is a fault.
    errors = [c for c in console if not (response.status >= 400 and "status of 4" in c)]
    if errors:
        walk.add(where, f"console errors: {errors}")

    # Full-page screenshots cost more than the checks: only of a page at fault, or when asked.
    folder = screenshot_dir()
    if folder is None and len(walk.problems) > found:
        folder = SCREENSHOTS
        folder.mkdir(exist_ok=True)
    if folder is not None:
        page.screenshot(
            path=folder / f"{walk.actor}-{walk.mode}-{viewport['width']}-{_slug(name)}.png", full_page=True
        )


@pytest.mark.parametrize("mode", ["standard", "elderly"])
@pytest.mark.parametrize("actor", ["anonymous", "resident", "staff"])
def test_every_page_is_accessible(tree, new_context, actor, mode):
    elderly = mode == "elderly"
    user = _users(tree, actor, elderly)
    pages = [(route.name, url) for route, url in urlwalk.page_urls(tree.committee)] + EXTRA_URLS
    walk = Walk(actor, mode)
    for viewport in (PHONE, DESKTOP):
        # One page per context goes from URL to URL, with axe-core loaded as each document starts.
        context = new_context(viewport, user=user, elderly=elderly and user is None)
        inject_axe(context)
        page = context.new_page()
        console: list[str] = []
        page.on(
            "console", lambda msg, console=console: console.append(msg.text) if msg.type == "error" else None
        )
        page.on("pageerror", lambda exc, console=console: console.append(f"uncaught: {exc}"))
        seen: set = set()
        for name, url in pages:
            _visit(page, console, walk, name, url, viewport, elderly, seen)
    assert walk.visited >= 4, f"only {walk.visited} pages visited: {pages}"
    assert not walk.problems, f"{len(walk.problems)} problems:\n" + "\n".join(walk.problems)
