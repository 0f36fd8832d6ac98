"""Elderly mode (长辈版) on a 360 px phone, on the pages an elderly resident lives on, with
something on them: this week's activities and one of them, a notice, a convention in
consultation, a request of theirs, the watch they keep over a neighbour, and settings.
The walk of tests/browser/test_pages.py sees these pages empty (no activity, no request, no
watch), so the buttons on them were never measured there.

Every target a finger must hit is 60 × 60 (tests/browser/checks.py, MAIN_TARGETS); the key
actions (情况不对, 撤回诉求, 对第 N 条提意见) are buttons on the page, not lines inside a
fold-out; the language switch is not in the elderly header (it stays in settings)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.scope import resolve_scope
from conventions.models import VersionState
from eldercare.models import Watch, Watcher, WatcherKind
from notices import services as notices
from notices.services import Draft
from tests import fixtures
from tests.activities.conftest import make_activity
from tests.browser.checks import PHONE, elderly_problems, screenshot_dir
from tests.conventions.conftest import make_convention
from tests.demands.conftest import submit

pytestmark = pytest.mark.browser
people = fixtures.people
immediate_tasks = fixtures.immediate_tasks


def _key_action_problem(page, text: str) -> str | None:
    """None if ``text`` is a button (or a link that looks like one) shown at full size, inside
    no <details>; else what is wrong."""
    found = page.locator(f"main :is(button, a.btn, .btn-primary):text-is('{text}')")
    if found.count() == 0:
        return f"no button {text!r}"
    button = found.first
    if not button.is_visible():
        return f"{text!r} is hidden"
    if button.evaluate("el => el.closest('details') !== null"):
        return f"{text!r} is inside a fold-out"
    box = button.bounding_box()
    if box is None or box["height"] < 60 or box["width"] < 60:
        return f"{text!r} is smaller than 60 × 60: {box}"
    return None


def test_elderly_pages_on_a_phone_keep_the_targets_big_and_the_actions_in_view(
    new_context, owner, tree, people
):
    wang = people.wang_user
    wang.elderly_mode = True
    wang.save(update_fields=["elderly_mode"])
    start = timezone.localtime() + timedelta(days=1)
    activity = make_activity(owner, title="书法班", starts_at=start, ends_at=start + timedelta(hours=2))
    scope = resolve_scope(owner, {})
    notice = notices.create_notice(
        owner,
        scope,
        Draft(category="health", title="冬季养生讲座", body="周二下午两点。", targets=[tree.committee]),
    )
    notices.publish(scope, notice)
    consulting = make_convention(owner, tree.committee, state=VersionState.CONSULTATION, title="文明养宠公约")
    demand = submit(wang, people.wang)
    watch = Watch.objects.create(resident=people.li, committee=tree.committee, checks_from=date(2026, 1, 1))
    Watcher.objects.create(watch=watch, user=wang, kind=WatcherKind.NEIGHBOUR)

    page = new_context(PHONE, user=wang).new_page()
    clause = consulting.clauses.get(order=2)
    pages = {
        "activities": ("/activities/?week=" + start.date().isoformat(), ["上一周", "下一周", "我的签到码"]),
        "activity": (activity.get_absolute_url(), ["全部活动"]),
        "notice": (notice.get_absolute_url(), ["我的全部通知"]),
        "convention": (
            consulting.convention.get_absolute_url(),
            ["我的全部公约", f"对第 {clause.order} 条提意见"],
        ),
        "demand": (f"/requests/{demand.pk}/", ["撤回诉求"]),
        "watch": ("/eldercare/mine/", ["情况不对"]),
        "settings": ("/settings/", []),
    }
    problems = []
    folder = screenshot_dir()
    for name, (url, actions) in pages.items():
        page.goto(url)
        assert "elderly" in (page.get_attribute("html", "class") or ""), url
        problems += [f"{url}: {p}" for p in elderly_problems(page)]
        if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            problems.append(f"{url}: scrolls sideways")
        problems += [f"{url}: {p}" for text in actions if (p := _key_action_problem(page, text))]
        if page.locator("header .language-switch").count():
            problems.append(f"{url}: the language switch is in the header")
        if folder is not None:
            page.screenshot(path=folder / f"elderly-360-{name}.png", full_page=True)
    assert not problems, "\n".join(problems)
    # The language can still be changed, in settings.
    page.goto("/settings/")
    assert page.locator("main section[aria-labelledby=language-heading] button").count() >= 1
