"""A request's life through the services: submitted or logged, assigned with a due time
from its category's service level, answered, resolved, rated, reopened, withdrawn,
declined; each step on the timeline, refusals with their reasons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.scope import NO_SCOPE
from demands import categories, services
from demands.models import Assignee, Demand, DemandSource, DemandStatus, EventKind
from notifications.models import Notification
from tests.demands.conftest import category, log, submit
from tests.factories import scope_of


def _png(name="leak.png") -> SimpleUploadedFile:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_resident_submits_and_the_timeline_starts(people, demand):
    assert demand.status == DemandStatus.NEW and demand.source == DemandSource.ONLINE
    assert demand.committee == people.wang.committee and demand.household == people.wang.household
    assert demand.submitted_by == people.wang_user
    assert [e.kind for e in demand.events.all()] == [EventKind.SUBMITTED]
    assert demand.where == people.wang.household.address


def test_a_daughter_asks_for_her_father_and_strangers_may_not(people):
    made = submit(people.daughter, people.zhao, "助医", "父亲要配药，想请人代配。")
    assert made.resident == people.zhao and made.submitted_by == people.daughter
    with pytest.raises(PermissionDenied):
        submit(people.li_user, people.zhao)


def test_a_public_place_with_photos(people, tree):
    made = submit(
        people.wang_user,
        people.wang,
        "环境卫生",
        "自行车棚堆满垃圾",
        place="62号楼后面的车棚",
        building=tree.building,
        photos=[_png()],
    )
    assert made.household is None and made.where == "62号楼后面的车棚 (62号楼)"
    assert made.photos.count() == 1
    with pytest.raises(ValidationError) as error:
        submit(
            people.wang_user, people.wang, photos=[_png("a.png"), _png("b.png"), _png("c.png"), _png("d.png")]
        )
    assert "at most 3 photos" in str(error.value)
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        submit(people.wang_user, people.wang, photos=[fake])
    assert "“x.jpg” is not a photo" in str(error.value)
    assert Demand.objects.count() == 1  # nothing half-written


def test_refusals_say_why(people, tree):
    with pytest.raises(ValidationError) as error:
        submit(people.wang_user, people.wang, text="  ")
    assert error.value.message_dict["text"] == ["Say what is needed."]
    with pytest.raises(ValidationError) as error:
        submit(people.wang_user, people.wang, place="x" * 130)
    assert "120 characters" in str(error.value)
    far_building = people.far.household.building
    with pytest.raises(ValidationError) as error:
        submit(people.wang_user, people.wang, place="门口", building=far_building)
    assert "Choose a building of 延长新村居委会" in str(error.value)


def test_staff_log_for_a_resident_in_scope_only(owner, outsider, people, leader):
    made = log(owner, people.zhao)
    assert made.source == DemandSource.PHONE and made.submitted_by == owner
    assert made.events.get().kind == EventKind.LOGGED
    with pytest.raises(PermissionDenied):
        log(outsider, people.zhao)
    with pytest.raises(ValidationError) as error:
        log(owner, people.zhao, source=DemandSource.ONLINE)
    assert "say how it reached you" in str(error.value)
    # A building leader logs what a visit found, for a household of their group.
    assert log(leader, people.zhao, source=DemandSource.VISIT).source == DemandSource.VISIT
    with pytest.raises(PermissionDenied):
        log(leader, people.wang)


def test_a_category_not_offered_is_refused(owner, people):
    scope = scope_of(owner)
    categories.retire_category(scope=scope, category=category("停车管理"))
    with pytest.raises(ValidationError) as error:
        log(owner, people.zhao, "停车管理")
    assert "does not offer the category “停车管理”" in str(error.value)


def test_assignment_sets_the_due_time_and_tells_the_worker(owner, colleague, demand):
    now = timezone.now()
    assigned = services.assign(
        actor=colleague,
        scope=scope_of(colleague),
        demand=demand,
        kind=Assignee.WORKER,
        worker=owner,
        now=now,
    )
    assert assigned.status == DemandStatus.ASSIGNED and assigned.assignee == owner
    assert assigned.due_at == now + timedelta(hours=72)  # 物业报修
    note = Notification.objects.get(user=owner)
    assert "A request for you" in note.title and note.url == demand.get_absolute_url()
    # Reassigning to the property management keeps the clock.
    again = services.assign(
        actor=owner,
        scope=scope_of(owner),
        demand=demand,
        kind=Assignee.PROPERTY,
        name="延长物业",
        now=now + timedelta(hours=5),
    )
    assert again.due_at == assigned.due_at and again.assignee is None
    assert again.assignee_label == "Property management: 延长物业"
    # A different category sets a new due time from its level.
    recat = services.assign(
        actor=owner,
        scope=scope_of(owner),
        demand=demand,
        kind=Assignee.PROPERTY,
        name="延长物业",
        category=category("安全隐患"),
        now=now,
    )
    assert recat.due_at == now + timedelta(hours=24) and recat.category.name == "安全隐患"


def test_assignment_refusals(owner, outsider, demand):
    scope = scope_of(owner)
    with pytest.raises(ValidationError) as error:
        services.assign(actor=owner, scope=scope, demand=demand, kind=Assignee.WORKER, worker=outsider)
    assert "does not handle requests for 延长新村居委会" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.assign(actor=owner, scope=scope, demand=demand, kind=Assignee.OWNERS)
    assert "Name the partner unit" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.assign(
            actor=outsider, scope=scope_of(outsider), demand=demand, kind=Assignee.WORKER, worker=outsider
        )


def test_a_committee_service_level_applies(owner, demand):
    scope = scope_of(owner)
    categories.set_service_level(scope=scope, category=category("物业报修"), hours=48)
    now = timezone.now()
    made = services.assign(
        actor=owner, scope=scope, demand=demand, kind=Assignee.WORKER, worker=owner, now=now
    )
    assert made.due_at == now + timedelta(hours=48)
    assert category("物业报修").service_hours == 72  # the default is untouched for others


def test_replies_both_ways_and_internal_notes(owner, people, demand):
    scope = scope_of(owner)
    services.assign(actor=owner, scope=scope, demand=demand, kind=Assignee.WORKER, worker=owner)
    services.reply(actor=owner, demand=demand, text="明天上午物业来修。", scope=scope)
    services.reply(actor=owner, demand=demand, text="物业说缺灯管", scope=scope, internal=True)
    services.reply(actor=people.wang_user, demand=demand, text="好的，谢谢", scope=NO_SCOPE)
    told = Notification.objects.filter(user=people.wang_user, title__contains="A reply").get()
    assert "A reply on your request" in told.title and told.url == demand.resident_url()
    assert Notification.objects.filter(user=owner, title__contains="The resident replied").exists()
    kinds = [(e.kind, e.internal) for e in demand.events.all()]
    assert (EventKind.NOTE, True) in kinds and (EventKind.RESIDENT_REPLY, False) in kinds
    with pytest.raises(PermissionDenied):
        services.reply(actor=people.wang_user, demand=demand, text="x", internal=True, scope=NO_SCOPE)
    with pytest.raises(PermissionDenied):
        services.reply(actor=people.li_user, demand=demand, text="我也要说", scope=NO_SCOPE)


def test_resolve_rate_reopen_and_the_clock_restarts(owner, people, demand):
    scope = scope_of(owner)
    services.assign(actor=owner, scope=scope, demand=demand, kind=Assignee.WORKER, worker=owner)
    services.start(actor=owner, scope=scope, demand=demand)
    done = services.resolve(actor=owner, scope=scope, demand=demand, resolution="已更换灯管。")
    assert done.status == DemandStatus.RESOLVED and done.resolved_by == owner
    assert Notification.objects.filter(user=people.wang_user, title__contains="is resolved").exists()
    rated = services.rate(actor=people.wang_user, demand=demand, rating=2, comment="第二天又坏了")
    assert rated.rating == 2
    with pytest.raises(ValidationError) as error:
        services.rate(actor=people.wang_user, demand=demand, rating=5)
    assert "already been rated" in str(error.value)
    later = timezone.now() + timedelta(days=2)
    back = services.reopen(actor=people.wang_user, demand=demand, reason="灯又不亮了", now=later)
    assert back.status == DemandStatus.REOPENED and back.resolution == "" and back.rating is None
    assert back.due_at == later + timedelta(hours=72) and back.reopened_count == 1
    assert back.assignee == owner
    assert Notification.objects.filter(user=owner, title__contains="Reopened").exists()


def test_reopening_has_a_window(owner, people, demand):
    scope = scope_of(owner)
    services.resolve(actor=owner, scope=scope, demand=demand, resolution="已修好")
    with pytest.raises(ValidationError) as error:
        services.reopen(
            actor=people.wang_user, demand=demand, reason="又坏了", now=timezone.now() + timedelta(days=15)
        )
    assert "within 14 days" in str(error.value)
    with pytest.raises(ValidationError):
        services.reopen(actor=people.wang_user, demand=demand, reason=" ")


def test_rating_waits_for_the_resolution(people, demand):
    with pytest.raises(ValidationError) as error:
        services.rate(actor=people.wang_user, demand=demand, rating=5)
    assert "once it is resolved" in str(error.value)


def test_withdraw_and_decline(owner, people, demand):
    gone = services.withdraw(actor=people.wang_user, demand=demand, reason="邻居帮忙修好了")
    assert gone.status == DemandStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.withdraw(actor=people.wang_user, demand=demand)
    other = submit(people.li_user, people.li, "邻里纠纷", "楼上装修太吵")
    with pytest.raises(ValidationError) as error:
        services.decline(actor=owner, scope=scope_of(owner), demand=other, reason="")
    assert "Say why" in str(error.value)
    declined = services.decline(actor=owner, scope=scope_of(owner), demand=other, reason="请走人民调解。")
    assert declined.status == DemandStatus.DECLINED
    assert Notification.objects.filter(user=people.li_user, title__contains="declined").exists()
    with pytest.raises(ValidationError) as error:
        services.resolve(actor=owner, scope=scope_of(owner), demand=other, resolution="x")
    assert "“Declined” cannot be resolved" in str(error.value)


def test_retiring_keeps_the_requests(owner, demand):
    scope = scope_of(owner)
    own = categories.add_category(scope=scope, name="加装电梯", service_hours=240)
    with pytest.raises(ValidationError) as error:
        categories.add_category(scope=scope, name="物业报修", service_hours=10)
    assert "already a category here" in str(error.value)
    categories.retire_category(scope=scope, category=own)
    categories.retire_category(scope=scope, category=category("物业报修"))
    demand.refresh_from_db()
    assert demand.category.name == "物业报修"
    from demands.selectors import categories_for

    names = [c.name for c in categories_for(scope.area)]
    assert "物业报修" not in names and "加装电梯" not in names and names[0] == "助急"
    categories.retire_category(scope=scope, category=category("物业报修"), retired=False)
    assert "物业报修" in [c.name for c in categories_for(scope.area)]
