"""What a watch, an alert and a slot say about themselves; templates and services ask these."""

from datetime import date, time

import pytest
from django.utils.translation import override

from eldercare.models import Alert, CalendarMark, Cause, Watch, WatchStatus
from eldercare.selectors import SlotToday


@pytest.mark.parametrize(
    ("status", "active", "paused", "ended"),
    [
        (WatchStatus.ACTIVE, True, False, False),
        (WatchStatus.PAUSED, False, True, False),
        (WatchStatus.ENDED, False, False, True),
    ],
)
def test_a_watchs_status_answers(status, active, paused, ended):
    watch = Watch(status=status)
    assert (watch.is_active, watch.is_paused, watch.is_ended) == (active, paused, ended)


@pytest.mark.parametrize(
    ("status", "checks_from", "due"),
    [
        (WatchStatus.ACTIVE, date(2026, 5, 1), True),
        (WatchStatus.ACTIVE, date(2026, 5, 2), False),
        (WatchStatus.PAUSED, date(2026, 4, 1), False),
    ],
)
def test_checks_are_due_on_a_running_watch_once_it_started(status, checks_from, due):
    assert Watch(status=status, checks_from=checks_from).checks_due_on(date(2026, 5, 1)) is due


def test_an_alert_tells_a_concern_from_a_missed_check():
    assert Alert(cause=Cause.CONCERN).is_concern
    assert not Alert(cause=Cause.MISSED).is_concern


def _slot(checks=(), due=True, cutoff=time(10), now=time(9)):
    return SlotToday("day", cutoff, list(checks), None, now, due)


def test_a_slot_is_ahead_only_while_due_unchecked_and_before_its_cutoff():
    assert _slot().is_ahead
    assert not _slot(now=time(11)).is_ahead  # late
    assert not _slot(due=False).is_ahead
    assert not _slot(checks=[object()]).is_ahead  # done


def test_a_calendar_mark_reads_in_words_and_a_symbol():
    assert (CalendarMark.SEEN.symbol, CalendarMark.MISSED.symbol) == ("✓", "✗")
    assert (CalendarMark.DUE.symbol, CalendarMark.OFF.symbol) == ("…", "—")
    with override("en"):
        assert str(CalendarMark.DUE.label) == "not yet due"
