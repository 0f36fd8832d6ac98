"""At the stall: check-in from an hour before the start, check-out writing the hours to the
ledger, "did not come" once the shift has started; the reminder the day before, sent once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from common.scope import NO_SCOPE
from notifications import backends
from notifications.models import Notification
from tests.factories import scope_of
from tests.volunteers import shift_fixtures
from tests.volunteers.shift_fixtures import backdate, claim_as, post
from volunteers import roster
from volunteers.jobs import remind_due, remind_shifts
from volunteers.models import ClaimStatus, HoursEntry, HoursSource, Shift, ShiftClaim

english = shift_fixtures.english
immediate_tasks = shift_fixtures.immediate_tasks
world = shift_fixtures.world


def messages_of(error) -> str:
    return " ".join(error.value.messages)


def test_check_in_then_out_writes_the_hours_confirmed_by_the_leader(world):
    shift = post(world.owner, team=world.team)
    claim = claim_as(world.ming, shift)
    leader = world.leader.user
    start = shift.starts_at
    roster.check_in(leader, claim, scope=NO_SCOPE, now=start - timedelta(minutes=10))
    entry = roster.check_out(leader, claim, scope=NO_SCOPE, now=start + timedelta(hours=2, minutes=5))
    assert entry.hours == Decimal("2.25") and entry.source == HoursSource.SHIFT
    assert entry.confirmed_by == leader and entry.shift == shift and entry.volunteer == world.ming
    claim.refresh_from_db()
    assert claim.checked_out_at == start + timedelta(hours=2, minutes=5)
    with pytest.raises(ValidationError) as error:
        roster.check_out(leader, claim, scope=NO_SCOPE, now=start + timedelta(hours=3))
    assert messages_of(error).startswith("小明 checked out at ")
    assert HoursEntry.objects.count() == 1


def test_a_forgotten_check_out_counts_to_an_hour_past_the_end(world):
    shift = post(world.owner)
    claim = claim_as(world.ming, shift)
    roster.check_in(world.owner, claim, scope=scope_of(world.owner), now=shift.starts_at)
    entry = roster.check_out(
        world.owner, claim, scope=scope_of(world.owner), now=shift.starts_at + timedelta(hours=9)
    )
    assert entry.hours == Decimal("3.00")


def test_check_in_refusals(world):
    shift = post(world.owner)
    claim = claim_as(world.ming, shift)
    scope = scope_of(world.owner)
    with pytest.raises(ValidationError) as error:
        roster.check_in(world.owner, claim, scope=scope, now=shift.starts_at - timedelta(hours=2))
    assert "Check-in opens at" in messages_of(error) and "an hour before the start" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        roster.check_in(world.owner, claim, scope=scope, now=shift.ends_at)
    assert "check-in is closed" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        roster.check_out(world.owner, claim, scope=scope, now=shift.starts_at)
    assert messages_of(error) == "小明 has not checked in."
    with pytest.raises(PermissionDenied):
        roster.check_in(world.hong.user, claim, scope=NO_SCOPE, now=shift.starts_at)
    roster.check_in(world.owner, claim, scope=scope, now=shift.starts_at)
    with pytest.raises(ValidationError) as error:
        roster.check_in(world.owner, claim, scope=scope, now=shift.starts_at)
    assert messages_of(error).startswith("小明 checked in at ")
    with pytest.raises(ValidationError) as error:
        roster.check_out(world.owner, claim, scope=scope, now=shift.starts_at + timedelta(minutes=10))
    assert "under a quarter of an hour" in messages_of(error)
    assert not HoursEntry.objects.exists()


def test_did_not_come_frees_the_place_once_the_shift_started(world):
    shift = post(world.owner, places=1)
    claim = claim_as(world.ming, shift)
    scope = scope_of(world.owner)
    with pytest.raises(ValidationError) as error:
        roster.no_show(world.owner, claim, scope=scope, now=shift.starts_at - timedelta(minutes=1))
    assert "nobody can have missed it yet" in messages_of(error)
    roster.no_show(world.owner, claim, scope=scope, now=shift.starts_at + timedelta(minutes=20))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.NO_SHOW and claim.marked_by == world.owner
    assert Shift.objects.get(pk=shift.pk).taken == 0
    with pytest.raises(ValidationError) as error:
        roster.no_show(world.owner, claim, scope=scope, now=shift.starts_at + timedelta(minutes=30))
    assert messages_of(error) == "小明 is already marked as not come."
    # Late after all, while the place is still free: back on the roster.
    roster.check_in(world.owner, claim, scope=scope, now=shift.starts_at + timedelta(minutes=40))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CLAIMED and Shift.objects.get(pk=shift.pk).taken == 1


def test_a_late_comer_whose_place_was_taken_is_told(world):
    shift = post(world.owner, places=1)
    claim = claim_as(world.ming, shift)
    shift = backdate(shift, starts=-timedelta(minutes=30))
    scope = scope_of(world.owner)
    roster.no_show(world.owner, claim, scope=scope)
    claim_as(world.hong, shift)  # a stand-in took the freed place
    with pytest.raises(ValidationError) as error:
        roster.check_in(world.owner, claim, scope=scope)
    assert messages_of(error) == "小明 was marked as not come and the place has been taken since."


def test_the_roster_offers_what_the_services_allow(world):
    shift = post(world.owner)
    claim = claim_as(world.ming, shift)
    start = shift.starts_at
    assert roster.actions(claim, shift, start - timedelta(hours=2)) == ["remove"]
    assert roster.actions(claim, shift, start - timedelta(minutes=30)) == ["check_in", "remove"]
    assert roster.actions(claim, shift, start + timedelta(minutes=5)) == ["check_in", "no_show", "remove"]
    roster.check_in(world.owner, claim, scope=scope_of(world.owner), now=start)
    claim.refresh_from_db()
    assert roster.actions(claim, shift, start + timedelta(hours=1)) == ["check_out"]


# --- The reminder ------------------------------------------------------------------------------


def test_the_reminder_goes_once_in_the_app_and_by_sms(world, django_capture_on_commit_callbacks):
    soon = backdate(post(world.owner), starts=timedelta(hours=20))
    later = post(world.owner, title="量血压")  # three days ahead: not yet
    claim_as(world.ming, soon)
    claim_as(world.hong, soon)
    claim_as(world.ming, later)
    withdrawn = claim_as(world.loner, soon)
    withdrawn.status = ClaimStatus.WITHDRAWN
    withdrawn.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due(timezone.now()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due(timezone.now()) == 0
        remind_shifts.enqueue()  # the job itself, as the worker runs it
    told = Notification.objects.filter(title="Reminder: 理发摊")
    assert sorted(n.user.name for n in told) == ["小明", "小红"]
    assert [m.to for m in backends.outbox if "理发摊" in m.text].count(world.ming.user.phone) == 1
    assert Shift.objects.get(pk=soon.pk).reminded_at is not None
    assert Shift.objects.get(pk=later.pk).reminded_at is None
    assert not Notification.objects.filter(title="Reminder: 量血压").exists()


def test_a_cancelled_shift_gets_no_reminder(world):
    shift = backdate(post(world.owner), starts=timedelta(hours=5))
    claim_as(world.ming, shift)
    Shift.objects.filter(pk=shift.pk).update(cancelled_at=timezone.now())
    assert remind_due(timezone.now()) == 0
    assert not ShiftClaim.objects.filter(shift=shift, status=ClaimStatus.WITHDRAWN).exists()
