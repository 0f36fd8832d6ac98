"""Keeping the list: the rules each service enforces, and its refusals in words."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from common.scope import NO_SCOPE
from eldercare import checks, cutoffs, services
from eldercare.models import Alert, CheckKind, Outcome, Watch, WatcherKind, WatchStatus
from registry.models import ResidentStatus
from tests.eldercare.conftest import DAY, at
from tests.factories import UserFactory, scope_of

pytestmark = pytest.mark.django_db


def test_adding_a_resident_brings_the_building_leader_and_the_family_proxy(world, owner):
    watch = services.add_watch(owner, scope_of(owner), world.qian, now=at(15, 0))
    assert watch.checks_from == date(2026, 11, 25)
    assert [w.user for w in watch.watchers.all()] == [world.leader]
    world.watch.status = WatchStatus.ENDED
    world.watch.save()
    again = services.add_watch(owner, scope_of(owner), world.liu)
    assert (again.family_user, again.family_relation, again.family_phone) == (
        world.daughter,
        "女儿",
        world.daughter.phone,
    )


def test_adding_refuses_the_watched_the_departed_and_other_committees(world, owner, outsider):
    with pytest.raises(ValidationError, match="already on the watch list"):
        services.add_watch(owner, scope_of(owner), world.liu)
    world.qian.status = ResidentStatus.DECEASED
    world.qian.save()
    with pytest.raises(ValidationError, match="no longer lives here"):
        services.add_watch(owner, scope_of(owner), world.qian)
    with pytest.raises(PermissionDenied):
        services.add_watch(outsider, scope_of(outsider), world.liu)


def test_a_building_leader_may_not_keep_the_list(world):
    with pytest.raises(PermissionDenied, match="may not keep the elderly watch"):
        services.add_watch(world.leader, scope_of(world.leader), world.qian)


def test_pausing_for_hospital_closes_open_alerts_as_hospital(world, owner):
    cutoffs.run_cutoffs(at(10, 0))
    with pytest.raises(ValidationError, match="Say why"):
        services.change_status(owner, scope_of(owner), world.watch, WatchStatus.PAUSED)
    services.change_status(owner, scope_of(owner), world.watch, WatchStatus.PAUSED, "in_hospital", "瑞金医院")
    alert = Alert.objects.get(watch=world.watch)
    assert alert.outcome == Outcome.HOSPITAL and "瑞金医院" in alert.outcome_note
    resumed = services.change_status(owner, scope_of(owner), world.watch, WatchStatus.ACTIVE)
    assert resumed.status == WatchStatus.ACTIVE and resumed.checks_from > DAY


def test_ending_needs_a_note_for_other_and_is_final(world, owner):
    with pytest.raises(ValidationError, match="Describe the other reason"):
        services.change_status(owner, scope_of(owner), world.watch, WatchStatus.ENDED, "other")
    services.change_status(owner, scope_of(owner), world.watch, WatchStatus.ENDED, "family_moved_in")
    with pytest.raises(ValidationError, match="has ended"):
        services.change_status(owner, scope_of(owner), world.watch, WatchStatus.ACTIVE)


def test_watchers_any_account_but_not_twice_nor_the_person_themself(world, owner):
    scope = scope_of(owner)
    volunteer = UserFactory.create(name="赵志愿者")
    watcher = services.add_watcher(owner, scope, world.watch, volunteer, WatcherKind.VOLUNTEER)
    assert watcher.kind == WatcherKind.VOLUNTEER
    with pytest.raises(ValidationError, match="already watches"):
        services.add_watcher(owner, scope, world.watch, volunteer, WatcherKind.VOLUNTEER)
    world.liu.user = UserFactory.create(name="刘阿姨本人")
    world.liu.save()
    with pytest.raises(ValidationError, match="cannot watch themself"):
        services.add_watcher(owner, scope, world.watch, world.liu.user, WatcherKind.NEIGHBOUR)
    services.remove_watcher(scope, watcher)
    assert not checks.is_watcher(volunteer, world.watch)


def test_the_family_account_must_be_a_proxy_or_the_phones_own(world, owner):
    stranger = UserFactory.create()
    with pytest.raises(ValidationError) as refused:
        services.set_family(
            scope_of(owner),
            world.watch,
            name="某某",
            relation="",
            phone="13911112222",
            user=stranger,
        )
    assert "user" in refused.value.message_dict
    with pytest.raises(ValidationError, match="name"):
        services.set_family(scope_of(owner), world.watch, name="", relation="", phone="13911112222")
    watch = services.set_family(
        scope_of(owner), world.watch, name="刘阿姨的儿子", relation="儿子", phone="139 1111 2222"
    )
    assert (watch.family_phone, watch.family_user) == ("13911112222", None)


def test_cutoffs_and_policy_keep_the_night_after_the_day(world, owner):
    with pytest.raises(ValidationError, match="after the curtains"):
        services.set_cutoffs(scope_of(owner), world.watch, day=time(21, 0), night=None)
    with pytest.raises(ValidationError) as refused:
        services.save_policy(
            owner,
            scope_of(owner),
            day_cutoff=time(10),
            night_cutoff=time(9),
            night_from=time(16),
            workers_after=1,
            family_after=60,
        )
    assert set(refused.value.message_dict) == {"night_cutoff", "night_from", "workers_after"}
    policy = services.save_policy(
        owner,
        scope_of(owner),
        day_cutoff=time(9, 30),
        night_cutoff=time(19),
        night_from=time(15),
        workers_after=30,
        family_after=60,
    )
    assert policy.committee == world.watch.committee


def test_only_watchers_and_staff_record_checks_and_not_on_a_paused_watch(world, owner, outsider):
    with pytest.raises(PermissionDenied):
        checks.record_check(UserFactory.create(), world.watch, CheckKind.CURTAINS, scope=NO_SCOPE)
    with pytest.raises(PermissionDenied):
        checks.record_check(outsider, world.watch, CheckKind.CURTAINS, scope=scope_of(outsider))
    staff_check = checks.record_check(owner, world.watch, CheckKind.CALL, scope=scope_of(owner), now=at(9))
    assert staff_check.by == owner
    with pytest.raises(ValidationError, match="Choose what you saw"):
        checks.record_check(world.neighbour, world.watch, "dance", scope=NO_SCOPE)
    Watch.objects.filter(pk=world.watch.pk).update(status=WatchStatus.PAUSED)
    world.watch.refresh_from_db()
    with pytest.raises(ValidationError, match="paused or ended"):
        checks.record_check(world.neighbour, world.watch, CheckKind.CURTAINS, scope=NO_SCOPE)


def test_closing_needs_an_outcome_and_a_note_unless_fine(world, owner, outsider):
    cutoffs.run_cutoffs(at(10, 0))
    alert = Alert.objects.get(watch=world.watch)
    with pytest.raises(PermissionDenied):
        checks.acknowledge(outsider, scope_of(outsider), alert)
    with pytest.raises(ValidationError, match="what happened"):
        checks.close_alert(owner, scope_of(owner), alert, Outcome.HELP_SENT)
    closed = checks.close_alert(owner, scope_of(owner), alert, Outcome.HELP_SENT, "送医上门")
    assert closed.acknowledged_by == owner and closed.closed_by == owner
    with pytest.raises(ValidationError, match="already closed"):
        checks.acknowledge(owner, scope_of(owner), closed)


def test_acknowledging_twice_says_who_did(world, owner, colleague):
    cutoffs.run_cutoffs(at(10, 0))
    alert = Alert.objects.get(watch=world.watch)
    checks.acknowledge(owner, scope_of(owner), alert)
    with pytest.raises(ValidationError, match="社工甲 already acknowledged"):
        checks.acknowledge(colleague, scope_of(colleague), alert)


def test_closing_an_alert_the_family_heard_of_tells_them_the_outcome(
    world, owner, django_capture_on_commit_callbacks
):
    from notifications import backends

    world.watch.family_user = None
    world.watch.save()
    cutoffs.run_cutoffs(at(10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        cutoffs.run_cutoffs(at(13, 0))
    alert = Alert.objects.get(watch=world.watch)
    with django_capture_on_commit_callbacks() as after:
        checks.close_alert(owner, scope_of(owner), alert, Outcome.FINE, "", now=at(13, 10))
    # Nothing is sent until the close has committed.
    assert len([m for m in backends.outbox if m.to == world.daughter.phone]) == 1
    for callback in after:
        callback()
    texts = [m.text for m in backends.outbox if m.to == world.daughter.phone]
    assert len(texts) == 2 and "Fine" in texts[-1]
