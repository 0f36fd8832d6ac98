"""Every page the tests know, in Chromium, as a visitor, a resident and staff, in standard
and elderly mode, on a 360 px phone and a desktop: axe-core finds no serious or critical
violation, nothing scrolls sideways, the console stays clean, and elderly mode keeps MIIT's
sizes. The pages come from tests/urlwalk.py, so routes added later are walked too.

The walk is one test per actor, mode, width and section of the site (the first part of the
path: ``registry``, ``requests``…; the small ones together as ``other``), so pytest-xdist
spreads it over the workers and ``-k registry`` walks one section. Each test opens one
browser context with axe-core loaded into it once, and one page that goes from URL to URL.
A failing page is photographed into ``screenshots/``; ``MULIN_SCREENSHOTS=1`` photographs
every page (see tests/browser/checks.py).
"""

from __future__ import annotations

import re
from collections import Counter
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

ACTORS = ["anonymous", "resident", "staff"]
MODES = ["standard", "elderly"]
VIEWPORTS = {PHONE["width"]: PHONE, DESKTOP["width"]: DESKTOP}
# Sections with fewer routes than this are walked together, as "other".
SMALLEST_SECTION = 8
OTHER = "other"
# Pages no route reaches on its own: the friendly 404.
EXTRA_URLS = {OTHER: [("not_found", "/this-page-does-not-exist/")]}


def _first_part(route: urlwalk.Route) -> str:
    return route.route.split("/", 1)[0]


def _sections() -> dict[str, list[str]]:
    """Route names by section, from the URLconf (read at collection: no database needed)."""
    routes = urlwalk.routes()
    sizes = Counter(_first_part(r) for r in routes)
    sections: dict[str, list[str]] = {}
    for route in routes:
        part = _first_part(route)
        sections.setdefault(part if sizes[part] >= SMALLEST_SECTION else OTHER, []).append(route.name)
    return dict(sorted(sections.items()))


SECTIONS = _sections()


@dataclass
class Walk:
    actor: str
    mode: str
    width: int
    problems: list[str] = field(default_factory=list)
    visited: int = 0
    not_pages: int = 0

    def add(self, where: str, what: str) -> None:
        self.problems.append(f"[{self.actor}/{self.mode}] {where}: {what}")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "home"


def _users(tree, actor: str, elderly: bool):
    if actor == "anonymous":
        return None
    if actor == "resident":
        user = UserFactory.create(name="居民王阿姨", home_area=tree.building)
    else:
        user = UserFactory.create(name="书记李", home_area=tree.committee)
        grant(user, Role.COMMITTEE_LEAD, tree.committee)
        grant(user, Role.SOCIAL_WORKER, tree.neighbour)
    if elderly:
        user.elderly_mode = True
        user.save(update_fields=["elderly_mode"])
    return user


def _visit(page, console: list[str], walk: Walk, name: str, url: str, elderly: bool, seen: set) -> None:
    # POST-only routes (logout, the switches, retire...) answer GET with an empty 405, and
    # plain-text ones (healthz) are no pages: ask first, through the context's own cookies.
    probe = page.request.get(url)
    if probe.status == 405 or "text/html" not in probe.headers.get("content-type", ""):
        walk.not_pages += 1
        return
    console.clear()
    response = page.goto(url)
    if response is None:
        walk.add(url, "no response")
        return
    final = urlparse(page.url)
    redirected = final.path != urlparse(url).path
    # Many routes redirect a visitor to the same login page: check that page once.
    key = final.path if redirected else page.url
    if key in seen:
        return
    seen.add(key)
    walk.visited += 1
    where = f"{url} ({name}, {walk.width}px)" + (f" → {final.path}" if redirected else "")
    if response.status >= 500:
        walk.add(where, f"HTTP {response.status}")
        return

    found = len(walk.problems)
    violations = axe_violations(page)
    if violations:
        walk.add(where, "axe:\n" + format_violations(violations))
    if walk.width == PHONE["width"]:
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
            path=folder / f"{walk.actor}-{walk.mode}-{walk.width}-{_slug(name)}.png", full_page=True
        )


def _counts(msg) -> bool:
    """A console error, or the warning a browser gives when it drops an input's value (a date
    input given "2026/09/09": ``The specified value … does not conform to the required format``)."""
    return msg.type == "error" or (
        msg.type == "warning" and "does not conform to the required format" in msg.text
    )


@pytest.mark.parametrize("section", list(SECTIONS))
@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("actor", ACTORS)
def test_every_page_is_accessible(tree, new_context, actor, mode, width, section):
    elderly = mode == "elderly"
    user = _users(tree, actor, elderly)
    wanted = set(SECTIONS[section])
    routes = [route for route in urlwalk.routes() if route.name in wanted]
    assert routes, f"no routes in section {section}"
    pages = [(route.name, urlwalk.fill(route, tree.committee)) for route in routes]
    pages += EXTRA_URLS.get(section, [])
    walk = Walk(actor, mode, width)
    context = new_context(VIEWPORTS[width], user=user, elderly=elderly and user is None)
    inject_axe(context)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if _counts(msg) else None)
    page.on("pageerror", lambda exc: console.append(f"uncaught: {exc}"))
    seen: set = set()
    for name, url in pages:
        _visit(page, console, walk, name, url, elderly, seen)
    assert walk.visited > 0, f"no page visited: {pages}"
    assert not walk.problems, f"{len(walk.problems)} problems:\n" + "\n".join(walk.problems)
