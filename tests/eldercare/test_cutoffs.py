"""The cutoff job with a frozen clock: alerts at the cutoff, one per slot however often it
runs, climbing watcher → social workers → family, stopped by an acknowledgement."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
import time_machine

from common.scope import NO_SCOPE
from eldercare import checks, cutoffs, telling
from eldercare.models import Alert, AlertLevel, Cause, CheckKind, FamilyReach, Slot, WatchPolicy, WatchStatus
from notifications import backends
from notifications.models import Notification
from tests.eldercare.conftest import DAY, at
from tests.factories import scope_of

pytestmark = pytest.mark.django_db


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_nothing_before_the_cutoff(world):
    summary = cutoffs.run_cutoffs(at(9, 59))
    assert summary.raised == 0
    assert not Alert.objects.exists()


def test_missed_curtains_raise_one_alert_per_watch_and_tell_its_watchers(world):
    summary = cutoffs.run_cutoffs(at(10, 0))
    assert summary.raised == 2
    alert = Alert.objects.get(watch=world.watch)
    assert (alert.day, alert.slot, alert.cause, alert.level) == (
        DAY,
        Slot.DAY,
        Cause.MISSED,
        AlertLevel.WATCHERS,
    )
    assert alert.workers_due_at == at(11, 0) and alert.family_due_at == at(13, 0)
    assert any("刘阿姨" in t for t in _titles(world.leader))
    assert any("刘阿姨" in t for t in _titles(world.neighbour))


def test_repeated_and_same_moment_runs_never_duplicate(world):
    cutoffs.run_cutoffs(at(10, 0))
    again = cutoffs.run_cutoffs(at(10, 5))
    same = cutoffs.run_cutoffs(at(10, 0))
    assert again.raised == 0 and same.raised == 0
    assert Alert.objects.filter(watch=world.watch).count() == 1


def test_the_unique_constraint_holds_against_a_concurrent_insert(world):
    from django.db import IntegrityError, transaction

    cutoffs.run_cutoffs(at(10, 0))
    first = Alert.objects.get(watch=world.watch)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            watch=world.watch,
            committee=first.committee,
            day=DAY,
            slot=Slot.DAY,
            raised_at=at(10, 1),
            workers_due_at=at(11, 1),
            family_due_at=at(13, 1),
        )


def test_a_check_before_the_cutoff_means_no_alert(world, owner):
    checks.record_check(world.neighbour, world.watch, CheckKind.CURTAINS, now=at(8, 30), scope=NO_SCOPE)
    cutoffs.run_cutoffs(at(10, 30))
    assert not Alert.objects.filter(watch=world.watch).exists()


def test_a_morning_call_counts_for_the_day_an_evening_visit_for_the_night(world):
    call = checks.record_check(world.leader, world.watch, CheckKind.CALL, now=at(9, 0), scope=NO_SCOPE)
    visit = checks.record_check(world.leader, world.watch, CheckKind.VISIT, now=at(17, 0), scope=NO_SCOPE)
    assert (call.slot, visit.slot) == (Slot.DAY, Slot.NIGHT)
    cutoffs.run_cutoffs(at(21, 0))
    assert not Alert.objects.filter(watch=world.watch).exists()


def test_escalates_to_the_social_workers_after_the_delay_with_sms(
    world, owner, colleague, outsider, django_capture_on_commit_callbacks
):
    cutoffs.run_cutoffs(at(10, 0))
    assert cutoffs.run_cutoffs(at(10, 59)).to_workers == 0
    with django_capture_on_commit_callbacks(execute=True):
        summary = cutoffs.run_cutoffs(at(11, 0))
    assert summary.to_workers == 2
    alert = Alert.objects.get(watch=world.watch)
    assert alert.level == AlertLevel.WORKERS and alert.workers_told_at == at(11, 0)
    assert any("刘阿姨" in t for t in _titles(owner))
    assert any("刘阿姨" in t for t in _titles(colleague))
    assert not any("刘阿姨" in t for t in _titles(outsider))
    assert any("慧芝湖老人" in t for t in _titles(outsider))
    assert {m.to for m in backends.outbox} >= {owner.phone, colleague.phone}


def test_then_the_family_account_and_an_sms_to_a_family_without_one(
    world, django_capture_on_commit_callbacks
):
    cutoffs.run_cutoffs(at(10, 0))
    cutoffs.run_cutoffs(at(11, 0))
    backends.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        summary = cutoffs.run_cutoffs(at(13, 0))
    assert summary.to_family == 2 and summary.family_sms == 1
    mine = Alert.objects.get(watch=world.watch)
    far = Alert.objects.get(watch=world.far_watch)
    assert (mine.level, mine.family_reached) == (AlertLevel.FAMILY, FamilyReach.ACCOUNT)
    assert (far.level, far.family_reached) == (AlertLevel.FAMILY, FamilyReach.SMS)
    assert any("刘阿姨" in t for t in _titles(world.daughter))
    assert [m for m in backends.outbox if m.to == "13900009999" and "慧芝湖老人" in m.text]
    assert cutoffs.run_cutoffs(at(15, 0)).to_family == 0


def test_the_family_hears_of_last_night_after_midnight_not_of_today(
    world, django_capture_on_commit_callbacks
):
    """The night slot's alert reaches the family past midnight: the text names the night
    (and the day's, yesterday), on the account and in the SMS sent from the task."""
    cutoffs.run_cutoffs(at(23, 50))  # both of the day's slots missed: curtains and light
    cutoffs.run_cutoffs(at(0, 50, DAY + timedelta(days=1)))
    backends.outbox.clear()
    with (
        time_machine.travel(at(3, 0, DAY + timedelta(days=1)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert cutoffs.run_cutoffs(at(3, 0, DAY + timedelta(days=1))).to_family == 4
    told = _titles(world.daughter)
    assert (
        "刘阿姨: light not seen on last night. The committee is looking into it; please call or visit."
        in told
    )
    assert (
        "刘阿姨: curtains not seen opened yesterday. The committee is looking into it; please call or visit."
        in told
    )
    texts = [m.text for m in backends.outbox if m.to == "13900009999"]
    assert len(texts) == 2 and all("today" not in t for t in texts)
    assert any("light not seen on last night" in t for t in texts)
    # Days later (a job that was down), the day is named.
    alert = Alert.objects.get(watch=world.watch, slot=Slot.NIGHT)
    assert "on November 24." in telling.family_text(alert, DAY + timedelta(days=3))
    assert "light not seen on today." in telling.family_text(alert, DAY)


def test_the_family_sms_leaves_after_the_job_commits_and_only_once(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    cutoffs.run_cutoffs(at(10, 0))
    cutoffs.run_cutoffs(at(11, 0))
    backends.outbox.clear()
    with django_capture_on_commit_callbacks() as queued:
        cutoffs.run_cutoffs(at(13, 0))
    far = Alert.objects.get(watch=world.far_watch)
    # Inside the job's transaction no gateway is called: the SMS waits for the commit.
    assert far.family_reached == FamilyReach.SMS_QUEUED
    assert [c.func.__self__.name for c in queued].count("text_families") == 1
    assert not [m for m in backends.outbox if m.to == "13900009999"]
    # A gateway that fails is recorded on the alert, not raised.
    monkeypatch.setattr(backends.LocmemSMSBackend, "send", lambda self, to, text: 1 / 0)
    assert telling.send_family_texts([far.pk]) == 0
    far.refresh_from_db()
    assert far.family_reached == FamilyReach.SMS_FAILED
    monkeypatch.undo()
    # Run again (a retried task): an alert already sent or failed is not texted twice.
    Alert.objects.filter(pk=far.pk).update(family_reached=FamilyReach.SMS_QUEUED)
    assert telling.send_family_texts([far.pk]) == 1
    assert telling.send_family_texts([far.pk]) == 0
    assert len([m for m in backends.outbox if m.to == "13900009999"]) == 1


def test_a_late_first_run_catches_up_both_steps(world):
    cutoffs.run_cutoffs(at(10, 0))
    summary = cutoffs.run_cutoffs(at(16, 0))
    assert summary.to_workers == 2 and summary.to_family == 2


def test_an_acknowledged_alert_climbs_no_further(world, owner):
    cutoffs.run_cutoffs(at(10, 0))
    alert = Alert.objects.get(watch=world.watch)
    checks.acknowledge(owner, scope_of(owner), alert, now=at(10, 20))
    summary = cutoffs.run_cutoffs(at(16, 0))
    alert.refresh_from_db()
    assert alert.level == AlertLevel.WATCHERS and alert.workers_told_at is None
    assert summary.to_workers == 1  # only the other committee's


def test_a_late_check_closes_the_alert_as_fine_and_says_so(world, owner):
    cutoffs.run_cutoffs(at(10, 0))
    cutoffs.run_cutoffs(at(11, 0))
    check = checks.record_check(
        world.neighbour, world.watch, CheckKind.CURTAINS, now=at(11, 20), scope=NO_SCOPE
    )
    alert = Alert.objects.get(watch=world.watch)
    assert alert.closed_at == at(11, 20) and alert.outcome == "fine"
    assert alert.acknowledged_by == world.neighbour and alert.resolved_by_check == check
    assert "11:20" in alert.outcome_note and "邻居孙" in alert.outcome_note
    assert any("Fine" in t for t in _titles(owner))
    assert cutoffs.run_cutoffs(at(16, 0)).to_family == 1  # the other committee's only


def test_a_night_check_also_settles_the_mornings_alert_but_not_the_reverse(world):
    cutoffs.run_cutoffs(at(10, 0))
    checks.record_check(world.neighbour, world.watch, CheckKind.LIGHT, now=at(19, 0), scope=NO_SCOPE)
    assert Alert.objects.get(watch=world.watch, slot=Slot.DAY).outcome == "fine"


def test_paused_watches_and_watches_starting_tomorrow_are_not_alerted(world, owner):
    from eldercare import services

    services.change_status(owner, scope_of(owner), world.watch, WatchStatus.PAUSED, "in_hospital")
    world.far_watch.checks_from = DAY + timedelta(days=1)
    world.far_watch.save()
    assert cutoffs.run_cutoffs(at(21, 0)).raised == 0


def test_the_committee_policy_and_the_watch_override_move_the_cutoff(world, tree):
    WatchPolicy.objects.create(committee=tree.committee, day_cutoff=time(9, 0), night_cutoff=time(19, 0))
    assert cutoffs.run_cutoffs(at(9, 0)).raised == 1
    world.watch.night_cutoff = time(21, 30)
    world.watch.save()
    cutoffs.run_cutoffs(at(20, 0))
    assert not Alert.objects.filter(watch=world.watch, slot=Slot.NIGHT).exists()
    cutoffs.run_cutoffs(at(21, 30))
    assert Alert.objects.filter(watch=world.watch, slot=Slot.NIGHT).exists()


def test_the_policy_delays_are_fixed_on_the_alert_when_raised(world, tree):
    WatchPolicy.objects.create(committee=tree.committee, workers_after=15, family_after=30)
    cutoffs.run_cutoffs(at(10, 0))
    alert = Alert.objects.get(watch=world.watch)
    assert (alert.workers_due_at, alert.family_due_at) == (at(10, 15), at(10, 45))


def test_something_wrong_goes_to_the_social_workers_at_once(world, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        check = checks.record_check(
            world.neighbour, world.watch, CheckKind.CONCERN, note="敲门没人应", now=at(8, 0), scope=NO_SCOPE
        )
    alert = Alert.objects.get(watch=world.watch)
    assert (alert.cause, alert.level, alert.raised_by_check) == (Cause.CONCERN, AlertLevel.WORKERS, check)
    assert any("刘阿姨" in t for t in _titles(owner))
    assert any(m.to == owner.phone for m in backends.outbox)
    assert any("邻居孙" in t for t in _titles(world.leader))
    # The concern is a look at the slot: no second, missed-check alert at the cutoff; the
    # family hears after the committee's delay (120 minutes).
    cutoffs.run_cutoffs(at(9, 59))
    assert Alert.objects.get(watch=world.watch).level == AlertLevel.WORKERS
    cutoffs.run_cutoffs(at(10, 0))
    assert Alert.objects.filter(watch=world.watch).count() == 1
    assert Alert.objects.get(watch=world.watch).level == AlertLevel.FAMILY


def _queries(run) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def _more_watches(tree, n: int) -> None:
    from eldercare.models import Watch, Watcher, WatcherKind
    from tests.factories import UserFactory, household
    from tests.factories import resident as make_resident

    for i in range(n):
        person = make_resident(household(tree.building, f"3{i:02d}"), f"老人{i}")
        family = UserFactory.create()
        watch = Watch.objects.create(
            resident=person, committee=tree.committee, checks_from=DAY, family_name="家属", family_user=family
        )
        Watcher.objects.create(watch=watch, user=UserFactory.create(), kind=WatcherKind.VOLUNTEER)


def test_the_job_runs_the_same_queries_for_1_watch_and_for_21(world, tree):
    """Set-based: raising, climbing to workers and to families cost no query per watch."""
    world.far_watch.delete()

    def day() -> None:
        cutoffs.run_cutoffs(at(9, 0))
        cutoffs.run_cutoffs(at(10, 0))
        cutoffs.run_cutoffs(at(11, 0))
        cutoffs.run_cutoffs(at(13, 0))

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        day()
    Alert.objects.all().delete()
    _more_watches(tree, 20)
    with CaptureQueriesContext(connection) as many:
        day()

    # One UPDATE per way the families were reached, at most four: here all had accounts.
    def shapes(captured) -> list[str]:
        return [re.sub(r"\d+", "N", q["sql"][:60]) for q in captured if "SAVEPOINT" not in q["sql"]]

    assert shapes(many.captured_queries) == shapes(one.captured_queries)
    assert Alert.objects.filter(level=AlertLevel.FAMILY).count() == 21


def test_the_task_runs_the_job_at_the_frozen_time(world):
    from eldercare.tasks import watch_cutoffs

    with time_machine.travel(at(10, 5), tick=False):
        result = watch_cutoffs.enqueue()
    assert "2 alerts raised" in result.return_value
    assert Alert.objects.get(watch=world.watch).raised_at == at(10, 5)
