"""Household visits in Chromium: a social worker at the door, on a phone with JavaScript
off, picks the building and the door, taps "by phone", ticks who was seen, writes a line and
raises the need as a request in the same step; the plan's coverage page reads on a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.checks import PHONE, axe_violations, format_violations, screenshot_dir
from tests.factories import scope_of
from tests.visits import conftest as visit_fixtures
from visits import services
from visits.models import Visit, VisitDemand
from visits.services import PlanDraft

pytestmark = pytest.mark.browser
homes = visit_fixtures.homes
category = visit_fixtures.category
immediate_tasks = visit_fixtures.immediate_tasks


def _shot(page, name: str) -> None:
    folder = screenshot_dir()
    if folder is not None:
        page.screenshot(path=folder / f"visits-{name}.png", full_page=True)


def test_logging_a_visit_at_the_door_with_a_request(new_context, owner, homes, category):
    page = new_context(PHONE, user=owner, js=False).new_page()
    page.goto(f"/visits/log/?building={homes.a301.building.code}")
    _shot(page, "doors")
    page.locator(f'a[href="/visits/household/{homes.a302.pk}/"]').first.click()
    page.locator('input[name="way"][value="phone"]').check()
    page.locator(f'input[name="seen"][value="{homes.zhao.pk}"]').check()
    page.locator("#id_findings").fill("电话联系，赵老伯说最近腿疼，不太下楼。")
    page.locator("#id_needs").fill("想订社区食堂的午餐")
    page.locator(".need-box summary").click()
    page.locator('input[name="raise_demand"]').check()
    page.locator("#id_demand_category").select_option(str(category.pk))
    _shot(page, "form")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator(".visit-form button[type=submit]").click()
    page.locator(".message-success").wait_for()
    made = Visit.objects.get()
    assert made.way == "phone" and list(made.seen.all()) == [homes.zhao]
    assert VisitDemand.objects.get(visit=made).demand.text == "想订社区食堂的午餐"
    _shot(page, "saved")


def test_the_plan_page_on_a_phone(new_context, owner, colleague, homes):
    today = timezone.localdate()
    plan = services.create_plan(
        owner,
        scope_of(owner),
        PlanDraft("四百走访", today - timedelta(days=5), today + timedelta(days=60), [owner, colleague]),
    )
    services.log_visit(owner, scope_of(owner), services.VisitDraft(homes.a301, today, seen=[homes.wang]))
    for elderly in (False, True):
        page = new_context(PHONE, user=owner, elderly=elderly).new_page()
        page.goto(f"/visits/plans/{plan.pk}/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        _shot(page, "plan-elderly" if elderly else "plan")
    for url in (f"/visits/household/{homes.a301.pk}/", "/visits/not-visited/", "/visits/"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
    _shot(page, "index")
