"""The deliberation hall in Chromium: an elderly resident on a phone, JavaScript off, gives
her opinion on the red-roof garden and votes; her neighbour's post with a held word waits,
and a social worker hides it with a reason; anyone reads the outcome page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from deliberation import services
from deliberation.models import Ballot, Opinion
from tests import fixtures
from tests.browser.checks import PHONE, axe_violations, format_violations
from tests.deliberation import conftest as deliberation_fixtures
from tests.factories import scope_of

pytestmark = pytest.mark.browser
people = fixtures.people
immediate_tasks = fixtures.immediate_tasks
topic = deliberation_fixtures.topic
poll = deliberation_fixtures.poll


def test_speaking_voting_and_moderating(new_context, owner, people, poll):
    services.set_held_words(scope_of(owner), "加微信")
    li = new_context(PHONE, user=people.li_user, elderly=True, js=False).new_page()
    li.goto("/deliberation/")
    li.locator(".notice-item a", has_text="红屋顶花园怎么设计").click()
    li.locator("#id_body").fill("希望有带靠背的长椅")
    li.locator("button", has_text="发送").last.click()
    expect(li.locator("body")).to_contain_text("您的帖子已发布")  # retried while the page loads
    li.locator("label", has_text="露天电影场地").click()
    li.locator("button", has_text="投票").click()
    expect(li.locator("body")).to_contain_text("李秀英 的一票已记录")
    assert Ballot.objects.filter(resident=people.li).exists()
    assert li.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    wang = new_context(PHONE, user=people.wang_user).new_page()
    wang.goto(poll.topic.get_absolute_url())
    wang.locator("#id_body").fill("装修便宜，请加微信")
    wang.locator("button", has_text="发送").last.click()
    wang.locator(".message-warning").wait_for()
    assert "需要审核" in wang.locator(".message-warning").inner_text()
    violations = axe_violations(wang)  # the topic page with the poll and the discussion
    assert not violations, format_violations(violations)

    staff = new_context(PHONE, user=owner).new_page()
    staff.goto("/deliberation/moderation/")
    held = Opinion.objects.get(status="held")
    staff.locator(f"#hide-{held.pk}").fill("广告")
    staff.locator(f"#opinion-{held.pk} button", has_text="隐藏").click()
    staff.locator(".message-success").wait_for()
    assert Opinion.objects.get(pk=held.pk).status == "hidden"
    violations = axe_violations(staff)
    assert not violations, format_violations(violations)

    public = new_context(PHONE).new_page()
    public.goto(f"/deliberation/outcomes/{poll.topic.committee.code}/")
    text = public.content()
    assert "希望有带靠背的长椅" in text and "李**" in text and "请加微信" not in text
    violations = axe_violations(public)
    assert not violations, format_violations(violations)
