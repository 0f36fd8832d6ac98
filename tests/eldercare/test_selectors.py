"""What the today page and "my watch" read: right rows, fixed queries."""

from __future__ import annotations

from datetime import time

import pytest

from common.scope import NO_SCOPE
from eldercare import checks, cutoffs, selectors
from eldercare.models import AlertLevel, CheckKind, Slot, Watch, WatchPolicy
from tests.eldercare.conftest import DAY, at
from tests.factories import household, scope_of
from tests.factories import resident as make_resident

pytestmark = pytest.mark.django_db


def _more(tree, n: int) -> None:
    for i in range(n):
        person = make_resident(household(tree.building, f"4{i:02d}"), f"老人{i}")
        Watch.objects.create(resident=person, committee=tree.committee, checks_from=DAY)


def test_overdue_includes_watches_the_job_has_not_reached(world, owner):
    found = selectors.attention(scope_of(owner), now=at(10, 1))
    assert [w.resident.name for w in found.overdue] == ["刘阿姨"]
    assert found.overdue[0].late_slots == [Slot.DAY]  # type: ignore[attr-defined]
    assert found.alerts == [] and found.open_alerts == 0
    checks.record_check(world.neighbour, world.watch, CheckKind.CURTAINS, now=at(10, 2), scope=NO_SCOPE)
    assert selectors.attention(scope_of(owner), now=at(10, 3)).overdue == []


def test_due_soon_counts_the_next_two_hours(world, owner, tree):
    WatchPolicy.objects.create(committee=tree.committee, day_cutoff=time(10), night_cutoff=time(19))
    assert selectors.attention(scope_of(owner), now=at(8, 0)).due_soon == 1
    assert selectors.attention(scope_of(owner), now=at(7, 59)).due_soon == 0
    assert selectors.attention(scope_of(owner), now=at(17, 30)).due_soon == 1
    assert selectors.attention(scope_of(owner), now=at(23, 0)).due_soon == 0


def test_alerts_most_escalated_then_oldest_and_only_in_scope(world, owner, tree):
    _more(tree, 2)
    cutoffs.run_cutoffs(at(10, 0))
    checks.record_check(
        world.neighbour, world.watch, CheckKind.CONCERN, note="没开门", now=at(10, 30), scope=NO_SCOPE
    )
    found = selectors.attention(scope_of(owner), now=at(10, 40))
    # 刘阿姨's missed curtains stay open: a concern settles nothing.
    assert found.open_alerts == 4
    assert found.alerts[0].level == AlertLevel.WORKERS and found.alerts[0].watch == world.watch
    assert all(a.watch.committee == tree.committee for a in found.alerts)


def test_attention_runs_a_fixed_number_of_queries(world, owner, tree, django_assert_num_queries):
    cutoffs.run_cutoffs(at(10, 0))
    scope = scope_of(owner)
    with django_assert_num_queries(4):
        found = selectors.attention(scope, now=at(10, 30))
        [(a.watch.resident.household.building.name, a.committee.name) for a in found.alerts]
    _more(tree, 10)
    cutoffs.run_cutoffs(at(10, 5))
    with django_assert_num_queries(4):
        found = selectors.attention(scope, now=at(10, 30))
        [(a.watch.resident.household.building.name, a.committee.name) for a in found.alerts]
    assert len(found.overdue) == 11


def test_my_watch_lists_my_people_with_todays_slots(world, django_assert_num_queries):
    checks.record_check(world.leader, world.watch, CheckKind.CURTAINS, now=at(8, 0), scope=NO_SCOPE)
    with django_assert_num_queries(3):
        rows = selectors.my_watch(world.neighbour, now=at(20, 30))
    [row] = rows
    assert (row.day.state, row.night.state) == ("done", "late")
    assert row.needs_you
    assert selectors.my_watch(world.daughter, now=at(20, 30)) == []


def test_candidates_are_tagged_or_80_and_not_yet_watched(world, owner):
    names = [p.name for p in selectors.candidates(scope_of(owner), today=DAY)]
    assert names == ["钱伯伯"]
    assert list(selectors.candidates(scope_of(owner), tag="living_alone", today=DAY)) == []


def test_the_community_map_shows_the_watched_and_their_alerts(world, tree):
    from registry.community_map import build_plan

    def cells(metric: str) -> dict[str, float]:
        return {c.building.name: c.value for c in build_plan(tree.committee, metric).cells}

    assert cells("watched")["62号楼"] == 1
    assert cells("watch_alerts")["62号楼"] == 0
    cutoffs.run_cutoffs(at(10, 0))
    assert cells("watch_alerts")["62号楼"] == 1


def test_the_watch_list_says_which_slot_is_late(world, owner):
    row = selectors.watch_list(scope_of(owner), now=at(10, 1)).get(pk=world.watch.pk)
    assert (row.day_late, row.night_late) == (True, False)  # type: ignore[attr-defined]  # annotated
    checks.record_check(world.neighbour, world.watch, CheckKind.CURTAINS, now=at(10, 2), scope=NO_SCOPE)
    row = selectors.watch_list(scope_of(owner), now=at(10, 3)).get(pk=world.watch.pk)
    assert (row.day_late, row.night_late) == (False, False)  # type: ignore[attr-defined]  # annotated
