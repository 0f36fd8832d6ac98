"""Beneficiaries (受益人次) of activities and of service days side by side (mulin/figures.py):
the same person-times each module counts, by month and by part, summed."""

from __future__ import annotations

from datetime import datetime, time, timedelta

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
    with django_assert_num_queries(10):  # the frame (4), each module's total and months (2 each)
        page = owner_client.get(url).content.decode()
    assert "4 person-times (受益人次): 1 at activities, 3 served at service days, 0 meals eaten." in page


# --- Meals (issue 20): meals eaten count beside activities and service days ---------------------

from tests.meals import conftest as meals_world  # noqa: E402

kitchen = meals_world.kitchen
diners = meals_world.diners


def test_meals_eaten_count_as_beneficiaries(tree, kitchen, diners, owner_client, english):
    from meals.models import Order, OrderStatus

    day = meals_world.monday(timezone.localdate())
    served = meals_world.place(diners["wang"], kitchen.set_meal(day, "A"))
    meals_world.place(diners["li"], kitchen.set_meal(day, "B"))  # ordered, not yet eaten
    Order.objects.filter(pk=served.pk).update(status=OrderStatus.SERVED)
    start = timezone.make_aware(datetime.combine(day.replace(day=1), time.min))
    total, months, parts = side_by_side(tree.street, start, start + timedelta(days=62))
    assert (total.meals, total.total) == (1, 1) and [r.meals for _, r in months] == [1]
    assert [(p.name, row.meals) for p, row in parts] == [("延长新村居委会", 1), ("慧芝湖花园居委会", 0)]
    page = owner_client.get(reverse("beneficiaries") + f"?year={day.year}").content.decode()
    assert "1 person-times (受益人次): 0 at activities, 0 served at service days, 1 meals eaten." in page
