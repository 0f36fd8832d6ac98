"""Activities in Chromium: an elderly resident on a phone, JavaScript off, signs up for the
calligraphy class from this week's list; her neighbour finds it full and joins the waiting
list; at the door a social worker on a phone ticks who came, and the sign-in sheet prints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, Signup
from tests import fixtures
from tests.activities.conftest import make_activity
from tests.browser.checks import PHONE, axe_violations, format_violations

pytestmark = pytest.mark.browser
people = fixtures.people
immediate_tasks = fixtures.immediate_tasks


def test_signing_up_waiting_and_checking_in(new_context, owner, people):
    start = timezone.localtime() + timedelta(days=1)
    activity = make_activity(
        owner, title="书法班", capacity=1, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    li = new_context(PHONE, user=people.li_user, elderly=True, js=False).new_page()
    li.goto("/activities/?week=" + start.date().isoformat())
    li.locator(".notice-item a", has_text="书法班").click()
    # Her husband shares her household: one form, her own box ticked.
    li.locator("button", has_text="为勾选的人报名").click()
    expect(li.locator("body")).to_contain_text("李秀英报名成功")  # retried while the page loads
    assert li.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    wang = new_context(PHONE, user=people.wang_user).new_page()
    wang.goto(activity.get_absolute_url())
    wang.locator("button", has_text="王建国候补报名").click()
    wang.locator(".message-warning").wait_for()
    assert "候补第 1 位" in wang.locator(".message-warning").inner_text()
    violations = axe_violations(wang)
    assert not violations, format_violations(violations)

    soon = timezone.now() + timedelta(minutes=10)  # check-in at the door is open
    Activity.objects.filter(pk=activity.pk).update(starts_at=soon, ends_at=soon + timedelta(hours=2))
    door = new_context(PHONE, user=owner).new_page()
    door.goto(f"/activities/{activity.pk}/door/")
    first = Signup.objects.get(resident=people.li)
    door.locator(f"#came-{first.pk}").check()
    door.locator("button[value=check_in]").click()
    door.locator(".message-success").wait_for()
    assert Signup.objects.get(pk=first.pk).checked_in_at is not None
    violations = axe_violations(door)
    assert not violations, format_violations(violations)
    response = door.request.get(f"/activities/{activity.pk}/sign-in-sheet.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
