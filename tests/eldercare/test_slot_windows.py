"""Which day and slot a check fills follows the moment it was made and the slots' windows,
never the calendar date alone: the day from dawn (06:00) until ``night_from`` (16:00), the
night from then until the next dawn. A light seen at 05:49 is the night before's, so that
evening's missed light still raises its alert."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.scope import NO_SCOPE
from eldercare import checks, cutoffs, rules, selectors, services
from eldercare.models import Alert, Cause, Check, CheckKind, Slot
from tests.eldercare.conftest import DAY, at
from tests.factories import login_verified, scope_of

BEFORE = DAY - timedelta(days=1)
DEFAULT = rules.Rules()


def _expected(kind: str, hour: int) -> tuple:
    """The rule in words, hour by hour: before dawn it is the night before's."""
    before_dawn = hour < 6
    day = BEFORE if before_dawn else DAY
    window = Slot.NIGHT if before_dawn or hour >= 16 else Slot.DAY
    if kind == CheckKind.CURTAINS:
        return day, "" if before_dawn else Slot.DAY
    if kind == CheckKind.LIGHT:
        return day, window if window == Slot.NIGHT else ""
    return day, window


@pytest.mark.parametrize("hour", range(24))
@pytest.mark.parametrize("kind", list(CheckKind))
def test_every_hour_of_the_day_places_each_kind_by_the_slots_windows(kind, hour):
    for minute in (0, 49):
        assert rules.placement(kind, at(hour, minute), DEFAULT) == _expected(kind, hour), (kind, hour, minute)


def test_the_windows_follow_the_committees_night_from():
    early = rules.Rules(night_from=at(15).time())
    assert rules.placement(CheckKind.CALL, at(15, 30), early) == (DAY, Slot.NIGHT)
    assert rules.placement(CheckKind.LIGHT, at(15, 30), early) == (DAY, Slot.NIGHT)
    assert rules.placement(CheckKind.CALL, at(15, 30), DEFAULT) == (DAY, Slot.DAY)
    assert rules.placement(CheckKind.LIGHT, at(15, 30), DEFAULT) == (DAY, "")


def test_an_aware_utc_moment_near_midnight_lands_on_shanghai_time():
    # 21:49 UTC on the day before is 05:49 in Shanghai on DAY: still the night before.
    utc = datetime(BEFORE.year, BEFORE.month, BEFORE.day, 21, 49, tzinfo=UTC)
    assert rules.placement(CheckKind.LIGHT, utc, DEFAULT) == (BEFORE, Slot.NIGHT)
    # 22:00 UTC is 06:00 in Shanghai: dawn, DAY's curtains.
    assert rules.placement(CheckKind.CURTAINS, utc + timedelta(minutes=11), DEFAULT) == (DAY, Slot.DAY)
    # 16:30 UTC on DAY is 00:30 the next morning in Shanghai: DAY's night.
    late = datetime(DAY.year, DAY.month, DAY.day, 16, 30, tzinfo=UTC)
    assert rules.placement(CheckKind.VISIT, late, DEFAULT) == (DAY, Slot.NIGHT)
    assert rules.clock(late) == (DAY, rules.DAY_OVER)
    assert rules.clock(utc + timedelta(minutes=11)) == (DAY, at(6).time())


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_a_light_at_0549_is_last_nights_and_that_evenings_missed_light_still_alerts(world):
    check = checks.record_check(world.neighbour, world.watch, CheckKind.LIGHT, now=at(5, 49), scope=NO_SCOPE)
    assert (check.day, check.slot) == (BEFORE, Slot.NIGHT)
    checks.record_check(world.neighbour, world.watch, CheckKind.CURTAINS, now=at(8, 0), scope=NO_SCOPE)
    cutoffs.run_cutoffs(at(20, 0))
    alert = Alert.objects.get(watch=world.watch, cause=Cause.MISSED)
    assert (alert.day, alert.slot) == (DAY, Slot.NIGHT)


@pytestmark_db
def test_a_light_before_dawn_settles_last_nights_alert(world):
    cutoffs.run_cutoffs(at(20, 0, BEFORE))
    assert Alert.objects.filter(watch=world.watch, day=BEFORE, closed_at__isnull=True).count() == 2
    checks.record_check(world.neighbour, world.watch, CheckKind.LIGHT, now=at(5, 49), scope=NO_SCOPE)
    assert not Alert.objects.filter(watch=world.watch, day=BEFORE, closed_at__isnull=True).exists()


@pytestmark_db
def test_a_light_by_day_is_kept_but_fills_no_slot(world):
    check = checks.record_check(world.neighbour, world.watch, CheckKind.LIGHT, now=at(11, 0), scope=NO_SCOPE)
    assert (check.day, check.slot) == (DAY, "")
    checks.record_check(world.neighbour, world.watch, CheckKind.CURTAINS, now=at(8, 0), scope=NO_SCOPE)
    cutoffs.run_cutoffs(at(20, 0))
    assert Alert.objects.get(watch=world.watch, cause=Cause.MISSED).slot == Slot.NIGHT


@pytestmark_db
def test_a_run_after_midnight_raises_what_the_night_missed(world):
    """The job down from 19:00 until 00:30: the night's missed light is raised, not forgotten."""
    checks.record_check(world.neighbour, world.watch, CheckKind.CURTAINS, now=at(8, 0), scope=NO_SCOPE)
    cutoffs.run_cutoffs(at(19, 0))
    after_midnight = at(0, 30, DAY + timedelta(days=1))
    cutoffs.run_cutoffs(after_midnight)
    alert = Alert.objects.get(watch=world.watch, cause=Cause.MISSED)
    assert (alert.day, alert.slot) == (DAY, Slot.NIGHT)


@pytestmark_db
def test_before_dawn_the_watchers_page_shows_the_night_still_running(world, owner):
    checks.record_check(world.neighbour, world.watch, CheckKind.CURTAINS, now=at(8, 0), scope=NO_SCOPE)
    checks.record_check(world.neighbour, world.watch, CheckKind.LIGHT, now=at(18, 0), scope=NO_SCOPE)
    [row] = selectors.my_watch(world.neighbour, now=at(3, 0, DAY + timedelta(days=1)))
    assert (row.day.state, row.night.state) == ("done", "done")
    [row] = selectors.my_watch(world.neighbour, now=at(6, 0, DAY + timedelta(days=1)))
    assert (row.day.state, row.night.state) == ("due", "due")
    assert selectors.attention(scope_of(owner), now=at(3, 0, DAY + timedelta(days=1))).overdue == []
    Check.objects.filter(kind=CheckKind.LIGHT).delete()
    late = selectors.attention(scope_of(owner), now=at(3, 0, DAY + timedelta(days=1))).overdue
    assert [w.late_slots for w in late] == [[Slot.NIGHT]]  # type: ignore[attr-defined]


@pytestmark_db
def test_the_watcher_is_told_a_check_out_of_its_window_counts_for_no_slot(world, client):
    login_verified(client, world.neighbour)
    with time_machine.travel(at(11, 0), tick=False):
        response = client.post(
            reverse("eldercare:record", args=[world.watch.pk]), {"kind": "light"}, follow=True
        )
    assert Check.objects.get(watch=world.watch).slot == ""
    assert "counts for neither" in response.text


@pytestmark_db
def test_no_curtains_cutoff_before_dawn_when_the_day_has_not_begun(world, owner):
    with pytest.raises(ValidationError, match="dawn"):
        services.set_cutoffs(scope_of(owner), world.watch, day=time(5, 30), night=None)
    with pytest.raises(ValidationError) as refused:
        services.save_policy(
            owner,
            scope_of(owner),
            day_cutoff=time(5),
            night_cutoff=time(20),
            night_from=time(16),
            workers_after=60,
            family_after=60,
        )
    assert set(refused.value.message_dict) == {"day_cutoff"}
    assert services.set_cutoffs(scope_of(owner), world.watch, day=time(6), night=None).day_cutoff == time(6)


@pytestmark_db
def test_the_migration_moves_the_checks_recorded_by_calendar_date(world):
    forwards = import_module("eldercare.migrations.0005_replace_checks_by_slot_windows").forwards
    early = Check.objects.create(watch=world.watch, day=DAY, slot=Slot.NIGHT, kind="light", at=at(5, 49))
    noon = Check.objects.create(watch=world.watch, day=DAY, slot=Slot.NIGHT, kind="light", at=at(12, 0))
    evening = Check.objects.create(watch=world.watch, day=DAY, slot=Slot.NIGHT, kind="light", at=at(19, 0))
    dawn = Check.objects.create(watch=world.watch, day=DAY, slot=Slot.DAY, kind="curtains", at=at(5, 30))
    forwards(django_apps, None)
    placed = {c.pk: (c.day, c.slot) for c in Check.objects.all()}
    assert placed == {
        early.pk: (BEFORE, Slot.NIGHT),
        noon.pk: (DAY, ""),
        evening.pk: (DAY, Slot.NIGHT),
        dawn.pk: (BEFORE, ""),
    }
