"""Beneficiaries (受益人次) of activities and of service days side by side (mulin/figures.py):
the same person-times each module counts, by month and by part, summed."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from activities import signups
from common.scope import NO_SCOPE
from mulin.figures import side_by_side
from servicedays.models import ServiceDay, Stall, Ticket
from tests import fixtures
from tests.activities.conftest import make_activity
from tests.factories import scope_of

english = fixtures.english
people = fixtures.people


def _served_day(committee, when, served: int) -> ServiceDay:
    day = ServiceDay.objects.create(
        area=committee, title="便民服务日", starts_at=when, ends_at=when + timedelta(hours=3)
    )
    stall = Stall.objects.create(service_day=day, name="理发", last_number=served + 1)
    for number in range(1, served + 2):
        Ticket.objects.create(
            stall=stall,
            number=number,
            called_at=when,
            served_at=when if number <= served else None,
            absent_at=None if number <= served else when,  # the last one did not come
        )
    return day


def test_activities_and_service_days_are_counted_side_by_side(
    owner, people, tree, owner_client, english, django_assert_num_queries
):
    session = make_activity(owner, capacity=10)
    made = [signups.register(people.wang_user, people.wang, session, scope=NO_SCOPE)]
    with time_machine.travel(session.starts_at):
        for signup in made:
            signups.check_in(owner, scope_of(owner), signup)
    _served_day(tree.committee, session.starts_at, served=3)
    start, end = session.starts_at - timedelta(days=40), session.starts_at + timedelta(days=40)

    total, months, parts = side_by_side(tree.street, start, end)
    assert (total.activities, total.service_days, total.total) == (1, 3, 4)
    assert [(row.activities, row.service_days) for _, row in months] == [(1, 3)]
    assert [(p.name, row.total) for p, row in parts] == [("延长新村居委会", 4), ("慧芝湖花园居委会", 0)]

    url = reverse("beneficiaries") + f"?year={timezone.localtime(session.starts_at).year}"
    owner_client.get(url)
    with django_assert_num_queries(8):  # the frame (4), each module's total and months (2 each)
        page = owner_client.get(url).content.decode()
    assert "4 person-times (受益人次): 1 at activities, 3 served at service days." in page
