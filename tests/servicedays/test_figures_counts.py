"""Figures: served per stall and day, beneficiaries (受益人次) by month and by part, wait times,
the total since the first service day, and today's days."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from servicedays import figures, selectors
from servicedays.models import ServiceDay, Stall, Ticket
from tests.factories import scope_of

pytestmark = pytest.mark.django_db


def held(tree, starts_at, served: int, *, area=None, waits=(5, 10, 20), stall_name="理发"):
    """A past day with one stall whose first ``served`` numbers were served."""
    day = ServiceDay.objects.create(
        area=area or tree.committee,
        title="便民服务日",
        place="广场",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        published_at=starts_at - timedelta(days=7),
    )
    stall = Stall.objects.create(service_day=day, name=stall_name, staff_names="甲", last_number=served + 1)
    for n in range(1, served + 2):
        wait = waits[(n - 1) % len(waits)]
        taken = starts_at + timedelta(minutes=n)
        Ticket.objects.create(
            stall=stall,
            number=n,
            paper=True,
            taken_at=taken,
            called_at=taken + timedelta(minutes=wait),
            served_at=taken + timedelta(minutes=wait + 5) if n <= served else None,
            absent_at=None if n <= served else taken + timedelta(minutes=wait + 1),
        )
    return day


def at(year, month, day=15):
    return timezone.make_aware(datetime(year, month, day, 9))


def test_served_tickets_are_the_beneficiaries_by_month_and_in_total(tree):
    held(tree, at(2025, 3), 4)
    held(tree, at(2025, 4), 6)
    start, end = at(2025, 1, 1), at(2026, 1, 1)
    total = selectors.beneficiaries(tree.committee, start, end)
    assert (total.days, total.person_times) == (2, 10)
    months = selectors.beneficiaries_by_month(tree.committee, start, end)
    assert [(m.month, b.person_times) for m, b in months] == [(4, 6), (3, 4)]


def test_a_street_compares_its_committees(tree):
    held(tree, at(2025, 3), 4)
    held(tree, at(2025, 3, 16), 7, area=tree.neighbour)
    parts = selectors.beneficiaries_by_part(tree.street, at(2025, 1, 1), at(2026, 1, 1))
    assert [(p.name, b.person_times) for p, b in parts] == [("慧芝湖花园居委会", 7), ("延长新村居委会", 4)]
    assert selectors.beneficiaries_by_part(tree.committee, at(2025, 1, 1), at(2026, 1, 1)) == []


def test_served_per_stall_and_day(tree):
    held(tree, at(2025, 3), 4)
    [row] = figures.served_by_stall(tree.committee, at(2025, 1, 1), at(2026, 1, 1))
    assert (row.stall, row.given, row.served, row.absent) == ("理发", 5, 4, 1)


def test_wait_times_median_and_90th_percentile_per_stall(tree):
    held(tree, at(2025, 3), 9, waits=(1, 2, 3, 4, 5, 6, 7, 8, 9, 30))
    [wait] = figures.waits_under(tree.committee, at(2025, 1, 1), at(2026, 1, 1))
    assert (wait.stall, wait.called, wait.median, wait.p90) == ("理发", 10, 5.5, 9.0)


def test_the_total_since_the_first_day_is_counted_not_typed(tree):
    """江秋新苑's 6,400: a year of monthly days at four points adds up, whatever it is."""
    for month in range(1, 13):
        held(tree, at(2025, month), 10)
    since = figures.served_since_first(tree.committee)
    assert since.served == 120 and since.days == 12 and since.first == at(2025, 1).date()


def test_today_lists_the_days_of_the_scope_with_their_stalls_in_two_queries(
    tree, owner, django_assert_num_queries
):
    now = timezone.localtime()
    held(tree, now.replace(hour=0, minute=5), 2)
    held(tree, now.replace(hour=0, minute=5), 3, area=tree.neighbour)
    scope = scope_of(owner)
    with django_assert_num_queries(2):
        days = selectors.today_in(scope, now.date())
        stalls = [s for d in days for s in d.stall_list]  # type: ignore[attr-defined]
    assert [(s.name, s.served, s.last_number) for s in stalls] == [("理发", 2, 3)]
