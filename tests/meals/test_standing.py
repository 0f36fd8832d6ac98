"""Standing orders: set up and stopped by those who may order; the hourly job places each
day once, ahead of the cutoff, and tells the diner (or the family) of a day it could not place."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meals import standing
from meals.jobs import place_standing_orders
from meals.models import MealService, Mode, Order, OrderedVia
from notifications.jobs import PERIODIC
from notifications.models import Notification
from tests.factories import scope_of
from tests.meals.conftest import monday


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_current_timezone())


def every_day(diner, by, **extra):
    return standing.start(
        diner,
        point=diner.point,
        meal="lunch",
        weekdays=[1, 2, 3, 4, 5, 6, 7],
        by=by,
        scope=extra.pop("scope", None),
        **extra,
    )


def test_set_up_by_the_daughter_refused_to_strangers(people, kitchen, diners):
    made = every_day(diners["zhao"], people.daughter, mode=Mode.DELIVERED)
    assert made.weekdays == "1,2,3,4,5,6,7" and made.created_by == people.daughter
    with pytest.raises(PermissionDenied):
        every_day(diners["zhao"], people.wang_user)
    with pytest.raises(ValidationError) as caught:
        every_day(diners["zhao"], people.daughter)
    assert "already has a standing order" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        standing.start(
            diners["wang"], point=kitchen.point, meal="lunch", weekdays=[], by=people.wang_user, scope=None
        )
    assert "weekdays" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        standing.start(
            diners["wang"],
            point=kitchen.point,
            meal="breakfast",
            weekdays=[1],
            mode=Mode.DELIVERED,
            by=people.wang_user,
            scope=None,
        )
    assert "mode" in caught.value.message_dict


def test_the_job_places_each_day_once(people, kitchen, diners, owner):
    start = monday(timezone.localdate())
    # Monday 10:00: Monday's lunch has closed; Tuesday to Sunday and next Monday are ahead.
    with time_machine.travel(at(start, 10, 0), tick=False):
        every_day(diners["wang"], owner, scope=scope_of(owner), starts_on=start)
        first = standing.place_due()
        again = standing.place_due()
    assert (first.placed, again.placed) == (7, 0)
    days = sorted(Order.objects.values_list("day", flat=True))
    assert days == [start + timedelta(days=n) for n in range(1, 8)]
    assert set(Order.objects.values_list("ordered_via", flat=True)) == {OrderedVia.STANDING}
    assert all(s.taken == 1 for s in MealService.objects.all())
    with time_machine.travel(at(start + timedelta(days=1), 10, 0), tick=False):
        assert standing.place_due().placed == 1  # the new eighth day


def test_a_day_already_ordered_is_left_alone_and_a_full_day_is_told(people, kitchen, diners):
    start = monday(timezone.localdate())
    tuesday = start + timedelta(days=1)
    MealService.objects.create(
        point=kitchen.point, day=start + timedelta(days=2), meal="lunch", places=1, taken=0
    )
    MealService.objects.filter(day=start + timedelta(days=2)).update(taken=1)
    with time_machine.travel(at(start, 8, 0), tick=False):
        from meals import ordering

        every_day(diners["li"], people.li_user, starts_on=start, ends_on=start + timedelta(days=3))
        ordering.order(
            diners["li"], kitchen.set_meal(tuesday, "B"), mode=Mode.EAT_IN, by=people.li_user, scope=None
        )
        run = standing.place_due()
    assert (run.placed, run.missed) == (2, 1)  # Monday and Thursday; Wednesday full
    assert Order.objects.get(day=tuesday).set_meal.label == "B"
    note = Notification.objects.get(user=people.li_user)
    assert "All 1 places" in note.body


def test_a_missing_menu_waits_until_the_last_day_then_is_told(people, kitchen, diners):
    start = monday(timezone.localdate())
    for menu in kitchen.menus:
        menu.published_at = None
        menu.save()
    with time_machine.travel(at(start, 8, 0), tick=False):
        so = every_day(diners["zhao"], people.daughter, starts_on=start, mode=Mode.DELIVERED)
        run = standing.place_due()
    assert (run.placed, run.missed) == (0, 1)  # Monday's cutoff is within a day: told
    so.refresh_from_db()
    assert so.placed_until == start  # Tuesday waits for its menu
    assert "no menu" in Notification.objects.get(user=people.daughter).body


def test_stopped_places_nothing(people, kitchen, diners):
    so = every_day(diners["wang"], people.wang_user)
    standing.stop(so, by=people.wang_user, scope=None)
    assert standing.place_due().placed == 0
    with pytest.raises(ValidationError):
        standing.stop(so, by=people.wang_user, scope=None)


def test_the_job_is_registered_hourly(kitchen, diners, people):
    every_day(diners["wang"], people.wang_user)
    assert PERIODIC["meals.jobs.place_standing_orders"].every == 3600
    assert "placed" in place_standing_orders.call()
