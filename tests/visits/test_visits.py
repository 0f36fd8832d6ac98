"""Logging visits: who was seen, the date, the scope, and a need raised as a request."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import scope_of
from tests.visits.conftest import TODAY
from visits import services
from visits.models import Visit, VisitDemand, Way
from visits.services import NeedDraft, VisitDraft


def visit(homes, home=None, **extra):
    values = {"household": home or homes.a301, "visited_on": TODAY, "way": Way.DOOR}
    values.update(extra)
    return VisitDraft(**values)


def test_a_visit_records_who_was_seen_and_what_was_found(owner, homes):
    made = services.log_visit(
        owner,
        scope_of(owner),
        visit(
            homes, seen=[homes.wang], others="女儿", findings="王老伯腿脚不便，楼道扶手松了。", needs="修扶手"
        ),
        today=TODAY,
    )
    made.refresh_from_db()
    assert list(made.seen.all()) == [homes.wang] and made.others == "女儿"
    assert made.recorded_by == owner and made.way == "door"


def test_a_visit_is_not_dated_in_the_future_and_sees_only_people_living_there(owner, homes):
    with pytest.raises(ValidationError) as refused:
        services.log_visit(
            owner, scope_of(owner), visit(homes, visited_on=TODAY + timedelta(days=1)), today=TODAY
        )
    assert "cannot be dated in the future" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.log_visit(owner, scope_of(owner), visit(homes, seen=[homes.zhao]), today=TODAY)
    assert "赵老伯 does not live in this household" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.log_visit(owner, scope_of(owner), visit(homes, way="letter"), today=TODAY)
    assert "at the door, by phone or met outside" in str(refused.value)
    assert not Visit.objects.exists()


def test_visits_stay_within_the_scope(owner, outsider, leader, homes):
    with pytest.raises(PermissionDenied):
        services.log_visit(outsider, scope_of(outsider), visit(homes), today=TODAY)
    # The building leader of 64号楼组 visits their own group only.
    services.log_visit(leader, scope_of(leader), visit(homes, homes.b101, seen=[homes.sun]), today=TODAY)
    with pytest.raises(PermissionDenied):
        services.log_visit(leader, scope_of(leader), visit(homes, homes.a301), today=TODAY)


def test_a_need_becomes_a_request_in_the_same_step(owner, homes, category):
    from demands.models import Demand

    made = services.log_visit(
        owner,
        scope_of(owner),
        visit(homes, needs="家里需要打扫", demand=NeedDraft(homes.li, category, "李阿姨家需要助洁服务")),
        today=TODAY,
    )
    demand = VisitDemand.objects.get(visit=made).demand
    assert demand.resident == homes.li and demand.source == "visit" and demand.category == category
    assert Demand.objects.count() == 1


def test_the_visit_and_its_request_are_saved_together_or_not_at_all(owner, homes, category, monkeypatch):
    from demands import services as demand_services

    def refuse(**kwargs):
        raise ValidationError("The request service refused.")

    monkeypatch.setattr(demand_services, "log_for_resident", refuse)
    with pytest.raises(ValidationError) as refused:
        services.log_visit(
            owner, scope_of(owner), visit(homes, demand=NeedDraft(homes.li, category, "助洁")), today=TODAY
        )
    assert "The request service refused." in str(refused.value)
    assert not Visit.objects.exists()


def test_a_request_needs_a_category_of_the_committee_text_and_a_resident(owner, homes, category, tree):
    from demands.models import Category

    far = Category.objects.create(committee=tree.neighbour, name="邻居的类别", service_hours=24)
    with pytest.raises(ValidationError) as refused:
        services.log_visit(
            owner, scope_of(owner), visit(homes, demand=NeedDraft(homes.wang, far, " ")), today=TODAY
        )
    assert "Choose a category of this committee" in str(refused.value)
    assert "Say what the request is about" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.log_visit(
            owner,
            scope_of(owner),
            visit(homes, homes.a401, demand=NeedDraft(None, category, "x")),
            today=TODAY,
        )
    assert "Nobody living here is recorded" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.log_visit(
            owner, scope_of(owner), visit(homes, demand=NeedDraft(homes.zhao, category, "x")), today=TODAY
        )
    assert "someone who lives in this household" in str(refused.value)
    assert not Visit.objects.exists()


def test_a_need_on_a_saved_visit_is_raised_later(owner, homes, category):
    made = services.log_visit(owner, scope_of(owner), visit(homes, needs="想申请助餐"), today=TODAY)
    demand = services.raise_demand(owner, scope_of(owner), made, NeedDraft(None, category, "申请助餐"))
    assert demand.resident == homes.wang  # the first person living there
    assert list(made.raised.values_list("demand", flat=True)) == [demand.pk]


def test_whoever_recorded_a_visit_corrects_it_within_a_week(owner, colleague, homes, category):
    from audit.models import AuditEntry

    scope = scope_of(owner)
    made = services.log_visit(
        owner,
        scope,
        visit(
            homes,
            seen=[homes.wang],
            findings="扶手松了",
            needs="修扶手",
            demand=NeedDraft(None, category, "修扶手"),
        ),
        today=TODAY,
    )
    fixed = services.correct_visit(
        owner,
        scope,
        made,
        visit(
            homes,
            visited_on=TODAY - timedelta(days=1),
            way=Way.PHONE,
            seen=[homes.li],
            findings="  电话里说扶手松了 ",
        ),
        today=TODAY,
    )
    fixed.refresh_from_db()
    assert fixed.visited_on == TODAY - timedelta(days=1) and fixed.way == Way.PHONE
    assert list(fixed.seen.all()) == [homes.li] and fixed.findings == "电话里说扶手松了" and fixed.needs == ""
    assert fixed.corrected_at is not None and fixed.recorded_by == owner
    assert VisitDemand.objects.filter(visit=fixed).count() == 1  # the raised request stays
    entries = AuditEntry.objects.filter(content_type__model="visit", object_id=str(made.pk), action="update")
    changed = {key for entry in entries for key in entry.changes}
    assert {"visited_on", "way", "findings", "seen"} <= changed
    seen_changes = [e.changes["seen"] for e in entries.order_by("pk") if "seen" in e.changes]
    # as logged (who was seen is a many-to-many link), then as corrected: set() is one entry
    assert seen_changes == [[[], [homes.wang.pk]], [[homes.wang.pk], [homes.li.pk]]]
    assert next(e.changes["findings"] for e in entries if "findings" in e.changes) == "[hidden]"


def test_a_correction_is_refused_to_others_after_a_week_and_for_bad_input(owner, colleague, homes):
    scope = scope_of(owner)
    made = services.log_visit(owner, scope, visit(homes, findings="原样"), today=TODAY)
    with pytest.raises(PermissionDenied, match="Only whoever recorded"):
        services.correct_visit(colleague, scope_of(colleague), made, visit(homes, findings="改"), today=TODAY)
    with pytest.raises(ValidationError) as refused:
        services.correct_visit(owner, scope, made, visit(homes, seen=[homes.zhao]), today=TODAY)
    assert "赵老伯 does not live in this household" in str(refused.value)
    with pytest.raises(ValidationError, match="stays with its household"):
        services.correct_visit(owner, scope, made, visit(homes, homes.a302), today=TODAY)
    Visit.objects.filter(pk=made.pk).update(recorded_at=made.recorded_at - timedelta(days=8))
    made.refresh_from_db()
    assert not services.may_correct(owner, made)
    with pytest.raises(PermissionDenied, match="within 7 days"):
        services.correct_visit(owner, scope, made, visit(homes, findings="改"), today=TODAY)
    made.refresh_from_db()
    assert made.findings == "原样" and made.corrected_at is None
