"""Visit plans: every household covered, split by building group among workers."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from areas.models import AreaLevel
from audit.models import AuditEntry
from notifications.models import Notification
from tests.factories import household, local, scope_of
from tests.visits.conftest import TODAY
from visits import planning, services
from visits.models import PlanShare, Visit, VisitPlan
from visits.services import PlanDraft


def draft(*workers, assignments=None, start=TODAY, days=90, title="2026年第四季度四百走访"):
    return PlanDraft(title, start, start + timedelta(days=days), list(workers), assignments)


def shares(plan):
    return {
        s.area.name: s.worker.name
        for s in PlanShare.objects.filter(plan=plan).select_related("area", "worker")
    }


def test_a_plan_gives_every_building_group_a_worker_and_tells_them(owner, colleague, homes):
    plan = services.create_plan(owner, scope_of(owner), draft(owner, colleague))
    # 62号楼组 has three households, 64号楼组 two: one each, balanced.
    assert shares(plan) == {"62号楼组": "社工甲", "64号楼组": "书记乙"}
    told = Notification.objects.get(user=colleague)
    assert told.kind == "visit" and "64号楼组" in told.body and told.url == plan.get_absolute_url()


def test_the_split_keeps_groups_whole_and_balances_households(tree, owner, colleague, homes):
    for n in (66, 68, 70):
        group = local(tree.grid, AreaLevel.BUILDING_GROUP, f"{n}号楼组", n)
        building = local(group, AreaLevel.BUILDING, f"{n}号楼", n)
        for room in range(n - 65):  # 1, 3 and 5 households
            household(building, str(101 + room))
    plan = services.create_plan(owner, scope_of(owner), draft(owner, colleague))
    loads: dict[str, int] = {}
    for unit in planning.units_of(tree.committee):
        worker = PlanShare.objects.get(plan=plan, area=unit.area).worker
        loads[worker.name] = loads.get(worker.name, 0) + unit.households
    assert sorted(loads.values()) == [7, 7]  # 5+2 and 3+3+1


def test_a_building_leader_takes_only_their_own_group(owner, leader, homes):
    plan = services.create_plan(owner, scope_of(owner), draft(owner, leader))
    assert shares(plan) == {"62号楼组": "社工甲", "64号楼组": "周楼组长"}
    with pytest.raises(ValidationError) as refused:
        services.assign_shares(scope_of(owner), plan, {homes.a301.building.parent_id: leader})
    assert "building leader of another group" in str(refused.value)


def test_a_building_leader_alone_leaves_the_other_groups_uncovered(owner, leader, homes):
    with pytest.raises(ValidationError) as refused:
        services.create_plan(owner, scope_of(owner), draft(leader))
    assert "These building groups have no worker yet: 62号楼组." in str(refused.value)
    assert "3 households would not be visited" in str(refused.value)


def test_given_assignments_must_cover_every_unit_including_loose_buildings(tree, owner, homes):
    # A building whose group was retired around it stands outside any building group.
    loose = local(tree.committee, AreaLevel.GRID, "新网格", 9)
    stray = household(homes.building2, "103")
    assert stray
    group64 = homes.building2.parent
    group64.parent = loose
    group64.level = AreaLevel.GRID  # the group became a grid: 64号楼 is in no building group now
    group64.save()
    units = {u.area.name: u.households for u in planning.units_of(tree.committee)}
    assert units == {"62号楼组": 3, "64号楼": 3}
    with pytest.raises(ValidationError) as refused:
        services.create_plan(owner, scope_of(owner), draft(assignments={tree.group.pk: owner}))
    text = str(refused.value)
    assert "not in any building group and need a worker too: 64号楼" in text
    plan = services.create_plan(
        owner, scope_of(owner), draft(assignments={tree.group.pk: owner, homes.building2.pk: owner})
    )
    assert shares(plan) == {"62号楼组": "社工甲", "64号楼": "社工甲"}


def test_plans_of_a_committee_may_not_overlap_and_dates_are_checked(owner, homes):
    services.create_plan(owner, scope_of(owner), draft(owner))
    with pytest.raises(ValidationError) as refused:
        services.create_plan(owner, scope_of(owner), draft(owner, start=TODAY + timedelta(days=30)))
    assert "already runs from 2026-11-24 to 2027-02-22" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.create_plan(owner, scope_of(owner), draft(owner, start=TODAY + timedelta(days=400), days=-1))
    assert "end on or after the day it starts" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.create_plan(owner, scope_of(owner), draft(start=TODAY + timedelta(days=400)))
    assert "at least one worker" in str(refused.value)


def test_workers_must_hold_a_role_in_the_committee(owner, outsider, homes):
    with pytest.raises(ValidationError) as refused:
        services.create_plan(owner, scope_of(owner), draft(outsider))
    assert "邻居社工丙 has no social worker, lead or building leader role in this committee" in str(
        refused.value
    )


def test_only_a_committee_role_plans(owner, leader, outsider, street_admin, homes):
    with pytest.raises(PermissionDenied):
        services.create_plan(leader, scope_of(leader), draft(leader))
    with pytest.raises(PermissionDenied):
        services.create_plan(street_admin, scope_of(street_admin), draft(owner))
    plan = services.create_plan(owner, scope_of(owner), draft(owner))
    with pytest.raises(PermissionDenied):
        services.assign_shares(scope_of(outsider), plan, {})


def test_reassigning_tells_the_new_worker_only(owner, colleague, homes, tree):
    plan = services.create_plan(owner, scope_of(owner), draft(owner))
    Notification.objects.all().delete()
    changed = services.assign_shares(
        scope_of(owner), plan, {tree.group.pk: colleague, homes.building2.parent_id: owner}
    )
    assert changed == 1
    assert shares(plan)["62号楼组"] == "书记乙"
    assert list(Notification.objects.values_list("user__name", flat=True)) == ["书记乙"]


def test_households_added_later_get_a_share(owner, tree, homes):
    plan = services.create_plan(owner, scope_of(owner), draft(owner))
    group = local(tree.grid, AreaLevel.BUILDING_GROUP, "66号楼组", 66)
    household(local(group, AreaLevel.BUILDING, "66号楼", 66), "101")
    services.assign_shares(scope_of(owner), plan, {group.pk: owner})
    assert shares(plan)["66号楼组"] == "社工甲"


street_admin = __import__("tests.notices.conftest", fromlist=["street_admin"]).street_admin


def running(owner, *workers, start_days=-10, days=90):
    """A plan around the real today (the deletion rule looks at today's date)."""
    return services.create_plan(
        owner,
        scope_of(owner),
        draft(*workers, start=timezone.localdate() + timedelta(days=start_days), days=days),
    )


def test_a_plan_made_by_mistake_goes_with_its_shares_and_the_visits_stay(owner, colleague, homes):
    plan = running(owner, owner, colleague)
    plan_id, share_ids = plan.pk, list(plan.shares.values_list("pk", flat=True))
    visit = services.log_visit(owner, scope_of(owner), services.VisitDraft(homes.a301, timezone.localdate()))
    Notification.objects.all().delete()
    services.delete_plan(scope_of(owner), plan)
    assert not VisitPlan.objects.filter(pk=plan_id).exists()
    assert not PlanShare.objects.filter(pk__in=share_ids).exists()
    assert Visit.objects.filter(pk=visit.pk).exists()
    # The colleague who had a share is told; the worker who deleted it is not.
    told = Notification.objects.get()
    assert told.user == colleague and told.kind == "visit" and "withdrawn" in told.body
    deleted = AuditEntry.objects.filter(action="delete")
    assert set(deleted.values_list("content_type__model", "object_id")) == {
        ("visitplan", str(plan_id)),
        *(("planshare", str(pk)) for pk in share_ids),
    }


def test_an_ended_plan_stays_as_the_record_of_its_round(owner, homes):
    plan = running(owner, owner, start_days=-40, days=30)  # ended ten days ago
    with pytest.raises(ValidationError) as refused:
        services.delete_plan(scope_of(owner), plan)
    assert f"This plan ended on {plan.ends_on.isoformat()}" in str(refused.value)
    assert VisitPlan.objects.filter(pk=plan.pk).exists()
    last_day = running(owner, owner, start_days=-9, days=9)  # ends today: still running
    services.delete_plan(scope_of(owner), last_day)
    assert not VisitPlan.objects.filter(pk=last_day.pk).exists()


def test_only_the_committee_deletes_its_plan(owner, leader, outsider, street_admin, homes):
    plan = running(owner, owner, leader)
    for someone in (leader, outsider, street_admin):
        with pytest.raises(PermissionDenied):
            services.delete_plan(scope_of(someone), plan)
    assert PlanShare.objects.filter(plan=plan).count() == 2
