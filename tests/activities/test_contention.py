"""Under contention it never oversells: 500 residents sign up at once for 50 places on
PostgreSQL; exactly 50 get one, the other 450 wait in the order their sign-up took the
lock, and nobody gets an error."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.models import User
from activities import signups
from activities.models import Activity, Signup
from common.scope import NO_SCOPE
from registry.models import Household, Resident
from tests.activities.conftest import make_activity

PEOPLE = 500
PLACES = 50
THREADS = 40  # PostgreSQL here allows 100 connections; 40 at once all wait on one row lock


def many_residents(building, count: int) -> list[Resident]:
    homes = Household.objects.bulk_create(
        [
            Household(building=building, committee=building.parent.parent.parent, room=f"{n + 1:03d}")
            for n in range(count // 10)
        ]
    )
    users = User.objects.bulk_create(
        [User(phone=f"1370000{n:04d}", name=f"居民{n}", password="!") for n in range(count)]
    )
    return Resident.objects.bulk_create(
        [
            Resident(
                committee=home.committee,
                household=home,
                name=f"居民{n}",
                relation="householder" if n % 10 == 0 else "child",
                birth_date=date(1960, 1, 1),
                user=users[n],
            )
            for n, home in ((n, homes[n // 10]) for n in range(count))
        ]
    )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_five_hundred_at_once_for_fifty_places(tree, owner):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: there is no race to lose")
    residents = list(
        Resident.objects.filter(pk__in=[r.pk for r in many_residents(tree.building, PEOPLE)])
        .select_related("household__building", "user")
        .prefetch_related("tags")
    )
    assert tree.building.parent.parent.parent == tree.committee
    activity = make_activity(
        owner,
        capacity=PLACES,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=2),
    )
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def sign_up(share: list[Resident]) -> None:
        try:
            start.wait()
            for person in share:
                assert person.user is not None
                signups.register(person.user, person, activity, scope=NO_SCOPE)
        except BaseException as error:  # every failure, of any kind, fails the test
            errors.append(error)
        finally:
            connections.close_all()

    shares = [residents[i::THREADS] for i in range(THREADS)]
    threads = [threading.Thread(target=sign_up, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    rows = list(Signup.objects.filter(activity=activity).order_by("pk"))
    assert len(rows) == PEOPLE and len({s.resident_id for s in rows}) == PEOPLE
    assert [s.status for s in rows] == ["confirmed"] * PLACES + ["waiting"] * (PEOPLE - PLACES)
    activity.refresh_from_db()
    assert activity.confirmed == PLACES
    # Arrival order: the order in which sign-ups took the lock is the order of their rows
    # and of their times; the waiting list numbers them 1 to 450 in that order.
    times = [s.created_at for s in rows]
    assert times == sorted(times)
    waiting = rows[PLACES:]
    assert [signups.waiting_position(s) for s in (waiting[0], waiting[99], waiting[-1])] == [1, 100, 450]
    # A place freed goes to the first in line.
    first = rows[0].resident.user
    assert first is not None
    signups.cancel_signup(first, rows[0], scope=NO_SCOPE)
    assert Signup.objects.get(pk=waiting[0].pk).status == "confirmed"
    assert Activity.objects.get(pk=activity.pk).confirmed == PLACES


HOUSEHOLDS = 10  # of ten residents each (many_residents)
HOUSEHOLD_PLACES = 25


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_households_signing_up_together_at_once_never_oversell(tree, owner):
    """Ten householders each sign up their whole household (ten people) at the same moment for
    25 places: exactly 25 places, the rest waiting, and each household's sign-ups are written
    one after another (the row lock is held for the household's whole transaction)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: there is no race to lose")
    residents = list(
        Resident.objects.filter(pk__in=[r.pk for r in many_residents(tree.building, HOUSEHOLDS * 10)])
        .select_related("household__building", "user")
        .prefetch_related("tags")
        .order_by("pk")
    )
    homes: dict[int, list[Resident]] = {}
    for person in residents:
        homes.setdefault(person.household_id, []).append(person)
    activity = make_activity(
        owner,
        capacity=HOUSEHOLD_PLACES,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=2),
    )
    start = threading.Barrier(len(homes))
    errors: list[BaseException] = []

    def sign_up(members: list[Resident]) -> None:
        try:
            start.wait()
            user = members[0].user
            assert user is not None
            signups.register_together(user, members, activity, scope=NO_SCOPE)
        except BaseException as error:  # every failure, of any kind, fails the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(members,)) for members in homes.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    rows = list(Signup.objects.filter(activity=activity).select_related("resident").order_by("pk"))
    assert len(rows) == HOUSEHOLDS * 10
    assert [s.status for s in rows] == ["confirmed"] * HOUSEHOLD_PLACES + ["waiting"] * (
        HOUSEHOLDS * 10 - HOUSEHOLD_PLACES
    )
    assert Activity.objects.get(pk=activity.pk).confirmed == HOUSEHOLD_PLACES
    order = [s.resident.household_id for s in rows]
    assert all(order[i : i + 10] == [order[i]] * 10 for i in range(0, len(order), 10))
    assert {s.via for s in rows} == {"self", "household"}
