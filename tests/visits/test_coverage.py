"""Coverage of a plan, the worker's planned households, households not visited for N days,
and the community map's visit figures: right numbers, a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from areas.models import AreaLevel
from registry.community_map import build_plan
from tests.factories import household, local, scope_of
from tests.visits.conftest import TODAY
from visits import selectors, services
from visits.models import Visit, VisitPlan, Way
from visits.services import PlanDraft


def plan_for(owner, *workers, start=TODAY - timedelta(days=30)):
    return services.create_plan(
        owner, scope_of(owner), PlanDraft("四百走访", start, start + timedelta(days=90), list(workers))
    )


def visited(home, day, way=Way.DOOR):
    return Visit.objects.create(household=home, visited_on=day, way=way)


def test_coverage_per_building_group_and_worker(owner, colleague, homes):
    plan = plan_for(owner, owner, colleague)
    visited(homes.a301, TODAY)
    visited(homes.a302, TODAY - timedelta(days=40))  # before the plan: does not count
    visited(homes.b101, TODAY - timedelta(days=1), Way.PHONE)
    covered = selectors.coverage(plan, scope_of(owner))
    assert (covered.total.visited, covered.total.total) == (2, 5)
    units = {
        u.area.name: (u.tally.visited, u.tally.total, u.share.worker.name if u.share else None)
        for u in covered.units
    }
    assert units == {"62号楼组": (1, 3, "社工甲"), "64号楼组": (1, 2, "书记乙")}
    workers = {w.worker.name: (w.tally.visited, w.tally.left) for w in covered.workers}
    assert workers == {"社工甲": (1, 2), "书记乙": (1, 1)}
    left = [h.room for h in selectors.to_visit(plan, scope_of(owner))]
    assert left == ["302", "401", "102"]
    assert [h.room for h in selectors.to_visit(plan, scope_of(owner), worker=colleague)] == ["102"]


def test_a_building_leader_sees_their_group_of_the_plan(owner, leader, homes):
    plan = plan_for(owner, owner, leader)
    covered = selectors.coverage(plan, scope_of(leader))
    assert [u.area.name for u in covered.units] == ["64号楼组"] and covered.total.total == 2
    assert selectors.plan_in_scope(scope_of(leader), plan.pk) == plan


def test_households_added_later_show_as_unassigned(owner, tree, homes):
    plan = plan_for(owner, owner)
    group = local(tree.grid, AreaLevel.BUILDING_GROUP, "66号楼组", 66)
    household(local(group, AreaLevel.BUILDING, "66号楼", 66), "101")
    covered = selectors.coverage(plan, scope_of(owner))
    assert [u.area.name for u in covered.unassigned] == ["66号楼组"]


def test_coverage_runs_a_fixed_number_of_queries(owner, tree, homes):
    plan = plan_for(owner, owner)
    with CaptureQueriesContext(connection) as few:
        selectors.coverage(plan, scope_of(owner))
    for n in range(5):
        group = local(tree.grid, AreaLevel.BUILDING_GROUP, f"{70 + n}号楼组", 70 + n)
        building = local(group, AreaLevel.BUILDING, f"{70 + n}号楼", 70 + n)
        visited(household(building, "101"), TODAY)
    with CaptureQueriesContext(connection) as many:
        selectors.coverage(plan, scope_of(owner))
    assert len(few) == len(many) == 3


def test_planned_for_lists_what_is_left_of_my_share(owner, colleague, homes, django_assert_num_queries):
    plan = plan_for(owner, owner, colleague)
    visited(homes.a301, TODAY - timedelta(days=2))
    with django_assert_num_queries(3):
        planned = selectors.planned_for(owner, scope_of(owner), today=TODAY)
    assert planned.plan == plan and planned.total == 2
    assert [h.room for h in planned.households] == ["302", "401"]
    assert planned.households[0].building.name == "62号楼"
    # Nothing planned after the plan is over; no share, one query.
    assert selectors.planned_for(owner, scope_of(owner), today=plan.ends_on + timedelta(days=1)).total == 0
    VisitPlan.objects.all().delete()
    with django_assert_num_queries(1):
        assert selectors.planned_for(owner, scope_of(owner), today=TODAY).plan is None


def test_planned_for_shows_ten_and_counts_all(owner, homes):
    for room in range(20):
        household(homes.a301.building, str(500 + room))
    plan_for(owner, owner)
    planned = selectors.planned_for(owner, scope_of(owner), today=TODAY)
    assert planned.total == 25 and len(planned.households) == 10


def test_not_visited_for_n_days_never_visited_first(owner, outsider, homes):
    visited(homes.a301, TODAY - timedelta(days=100), Way.PHONE)
    visited(homes.a302, TODAY - timedelta(days=10))
    visited(homes.b101, TODAY - timedelta(days=200), Way.OUTSIDE)
    rows = list(selectors.not_visited(scope_of(owner), days=90, today=TODAY))
    assert [(h.building.name, h.room) for h in rows] == [
        ("62号楼", "401"),
        ("64号楼", "102"),
        ("64号楼", "101"),
        ("62号楼", "301"),
    ]
    assert rows[2].last_visit_on == TODAY - timedelta(days=200) and rows[2].last_way == "outside"  # type: ignore[attr-defined]
    assert len(selectors.not_visited(scope_of(owner), days=5, today=TODAY)) == 5
    by_building = selectors.not_visited(scope_of(owner), days=90, today=TODAY, sort="building")
    assert [h.room for h in by_building] == ["301", "401", "101", "102"]
    assert not selectors.not_visited(scope_of(outsider), days=90, today=TODAY).exists()


def test_the_community_map_shows_the_visits(owner, tree, homes):
    today = timezone.localdate()  # the map's figures are as of today
    plan_for(owner, owner, start=today - timedelta(days=30))
    visited(homes.a301, today)
    visited(homes.b101, today - timedelta(days=400))
    cells = {c.building.name: c.value for c in build_plan(tree.committee, "visited_in_plan").cells}
    assert cells["62号楼"] == pytest.approx(100 / 3) and cells["64号楼"] == 0
    cells = {c.building.name: c.value for c in build_plan(tree.committee, "not_visited_90").cells}
    assert cells == {"62号楼": 2, "64号楼": 2}
