"""Notices in Chromium: a social worker writes one with an image and publishes it; an elderly
resident on a phone, JavaScript off, finds it on the home page and reads it; the building
leader ticks who was told in person."""

from __future__ import annotations

import pytest
from PIL import Image
from playwright.sync_api import expect

from notices.models import Notice, NoticeRead
from tests import fixtures
from tests.browser.checks import DESKTOP, PHONE, axe_violations, format_violations

pytestmark = pytest.mark.browser
people = fixtures.people
leader = fixtures.leader
immediate_tasks = fixtures.immediate_tasks


def test_a_notice_from_writing_to_reading_to_follow_up(
    new_context, owner, people, leader, tree, building2, tmp_path, live_server
):
    image = tmp_path / "讲座海报.png"
    Image.new("RGB", (300, 200), (180, 40, 40)).save(image)
    page = new_context(DESKTOP, user=owner).new_page()
    page.goto("/notices/new/")
    page.select_option("select[name=category]", "health")
    page.fill("input[name=title]", "冬季养生健康讲座")
    page.fill("textarea[name=body]", "周二下午两点，居委会二楼活动室。\n\n现场免费测血压。")
    page.locator("label", has_text="延长新村居委会").first.click()
    page.set_input_files("input[name=files]", str(image))
    page.locator("main button[type=submit]", has_text="保存为草稿").click()
    page.locator("button[value=publish]").click()
    page.locator(".message-success").wait_for()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    notice = Notice.objects.get()
    assert notice.state() == "published" and notice.attachments.get().is_image

    zhao = fixtures.give_account(people.zhao, "赵老伯", "13900001005")  # 86, uses 长辈版
    resident = new_context(PHONE, user=zhao, elderly=True, js=False).new_page()
    resident.goto("/")
    resident.locator(".notice-item a", has_text="冬季养生健康讲座").click()
    expect(resident.locator("body")).to_contain_text("现场免费测血压。")  # retried while the page loads
    poster = resident.locator(".notice-images img")
    poster.scroll_into_view_if_needed()  # loading="lazy": fetched near the viewport, in its own time
    expect(poster).to_have_js_property("naturalWidth", 300)  # retried until it has loaded
    assert resident.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert NoticeRead.objects.filter(resident=people.zhao, how="online").exists()

    follow = new_context(PHONE, user=leader).new_page()
    follow.goto(f"/notices/{notice.pk}/receipts/")
    follow.locator("a", has_text="64号楼组").first.click()
    violations = axe_violations(follow)  # axe needs JavaScript: checked on the leader's phone
    assert not violations, format_violations(violations)
    follow.locator(f"#told-{people.sun.pk}").check()
    follow.locator("main button[type=submit]").click()
    follow.locator(".message-success").wait_for()
    assert NoticeRead.objects.get(resident=people.sun).how == "in_person"
