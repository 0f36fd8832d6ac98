"""The lobby display in Chromium: a TV at the service point, no login, shows a number called
at the stall a few seconds later, by itself, without reloading the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from servicedays import planning, queue
from tests.browser.checks import DESKTOP, axe_violations, format_violations
from tests.factories import scope_of
from tests.servicedays import conftest
from tests.servicedays.conftest import make_day, make_stall

pytestmark = pytest.mark.browser
site = conftest.site
soon = conftest.soon


def test_the_lobby_display_shows_a_call_without_a_reload(new_context, owner, site, soon):
    day = make_day(owner, site, soon)
    stall = make_stall(owner, day, "理发")
    planning.publish_day(day, scope=scope_of(owner))
    scope = scope_of(owner)
    queue.open_stall(owner, stall, scope=scope)
    queue.hand_out_paper(owner, stall, scope=scope)
    queue.hand_out_paper(owner, stall, scope=scope)

    tv = new_context(DESKTOP).new_page()
    tv.goto(f"/servicedays/{day.pk}/lobby/")
    number = tv.locator(f'[data-stall="{stall.pk}"] .lobby-number')
    expect(number).to_have_text("—")
    tv.evaluate("window.stillTheSamePage = true")

    queue.call_next(owner, stall, scope=scope)
    expect(number).to_have_text("1", timeout=10_000)  # the board refreshes every 3 s
    queue.call_next(owner, stall, scope=scope)
    expect(number).to_have_text("2", timeout=10_000)
    expect(tv.locator(f'[data-stall="{stall.pk}"] .lobby-earlier')).to_contain_text("1")
    assert tv.evaluate("window.stillTheSamePage === true")  # no reload
    violations = axe_violations(tv)
    assert not violations, format_violations(violations)
