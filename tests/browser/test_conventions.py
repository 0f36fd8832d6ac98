"""Conventions in Chromium: an elderly resident on a 360 px phone, elderly mode on and
JavaScript off, comments on a clause of the draft in consultation (its form is on the page,
not folded away), then reads building 62's health convention by theme and signs it; the
building leader of 62号楼组, on a phone, ticks her neighbour who signed the paper sheet at
the ceremony, and undoes a wrong tick."""

from __future__ import annotations

import pytest

from conventions.models import ClauseComment, Signature, VersionState
from tests import fixtures
from tests.browser.checks import PHONE, axe_violations, elderly_problems, format_violations
from tests.conventions import conftest as convention_fixtures
from tests.conventions.conftest import make_convention

pytestmark = pytest.mark.browser
people = fixtures.people
immediate_tasks = fixtures.immediate_tasks
group_leader = convention_fixtures.group_leader


def _clean(page, *, axe: bool = True) -> None:
    """No sideways scroll; and axe-core finds nothing serious (it needs JavaScript to run)."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if axe:
        violations = axe_violations(page)
        assert not violations, format_violations(violations)


def test_an_elderly_resident_comments_and_signs(new_context, owner, tree, people):
    consulting = make_convention(owner, tree.committee, state=VersionState.CONSULTATION, title="文明养宠公约")
    health = make_convention(owner, tree.group, title="62号楼楼组健康公约")
    people.li_user.elderly_mode = True
    people.li_user.save(update_fields=["elderly_mode"])
    li = new_context(PHONE, user=people.li_user, js=False).new_page()

    li.goto("/conventions/")
    _clean(li, axe=False)
    li.locator(".notice-item a", has_text="文明养宠公约").click()
    clause = consulting.clauses.get(order=2)
    li.locator(f"#comment-{clause.pk}").fill("楼道里的自行车也请挪走。")
    li.locator(f"#clause-{clause.pk} button[type=submit]").click()
    assert ClauseComment.objects.get().text == "楼道里的自行车也请挪走。"
    assert "楼道里的自行车也请挪走。" in li.locator(f"#clause-{clause.pk}").inner_text()
    _clean(li, axe=False)
    assert not elderly_problems(li), elderly_problems(li)

    li.goto("/conventions/")
    li.locator(".notice-item a", has_text="62号楼楼组健康公约").click()
    for theme in ("居民凝聚类", "环境美化类", "社区议事类", "社区健康类", "邻里互助类"):
        assert li.locator("h2", has_text=theme).count() == 1
    assert not elderly_problems(li), elderly_problems(li)
    li.locator("form[action$='/sign/'] button.btn-primary").click()
    signature = Signature.objects.get()
    assert (signature.resident, signature.version, signature.via) == (people.li, health, "online")
    assert li.locator(".message-success").count() == 1
    assert li.locator(f"form[action$='/signatures/{signature.pk}/withdraw/']").count() == 1
    _clean(li, axe=False)
    assert not elderly_problems(li), elderly_problems(li)
    # The same pages with JavaScript, for axe-core: the signed page and the consultation.
    checked = new_context(PHONE, user=people.li_user).new_page()
    for url in (health.convention.get_absolute_url(), consulting.convention.get_absolute_url()):
        checked.goto(url)
        _clean(checked)


def test_a_building_leader_ticks_a_paper_signature(new_context, owner, tree, people, group_leader):
    health = make_convention(owner, tree.group, title="62号楼楼组健康公约")
    page = new_context(PHONE, user=group_leader).new_page()
    page.goto(f"/conventions/{health.convention_id}/signatures/")
    _clean(page)
    page.locator(f"#paper-{people.wang.pk}").check()
    page.locator("button[value=paper]").click()
    page.locator(".message-success").wait_for()
    made = Signature.objects.get()
    assert (made.resident, made.via, made.recorded_by) == (people.wang, "paper", group_leader)
    _clean(page)
    page.locator(f"button[form=undo-form][value='{made.pk}']").click()
    page.locator(".message-success").wait_for()
    made.refresh_from_db()
    assert made.withdrawn_at is not None and made.withdrawn_by == group_leader
    response = page.request.get(f"/conventions/{health.convention_id}/poster.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
