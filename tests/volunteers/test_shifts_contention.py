"""Under contention a shift is never overfilled: 200 volunteers claim 20 places at once on
PostgreSQL (threads, each its own connection); exactly 20 get one, the others are told it is
full, and nobody gets an error of another kind. One volunteer tapping "I'll do it" twice at
once gets one claim."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import translation

from accounts.models import User
from common.scope import NO_SCOPE
from tests.volunteers import shift_fixtures
from tests.volunteers.shift_fixtures import post
from volunteers import shifts
from volunteers.models import Shift, ShiftClaim, Volunteer

english = shift_fixtures.english
immediate_tasks = shift_fixtures.immediate_tasks
world = shift_fixtures.world

PEOPLE = 200
PLACES = 20
THREADS = 40  # PostgreSQL here allows 100 connections


def many_volunteers(committee, count: int) -> list[Volunteer]:
    users = User.objects.bulk_create(
        [User(phone=f"1360000{n:04d}", name=f"志愿者{n}", password="!") for n in range(count)]
    )
    Volunteer.objects.bulk_create(
        [Volunteer(committee=committee, user=u, name=u.name, kind="resident", phone=u.phone) for u in users]
    )
    return list(Volunteer.objects.filter(user__in=users).select_related("user", "committee"))


def run_at_once(work, shares) -> list[BaseException]:
    start = threading.Barrier(len(shares))
    errors: list[BaseException] = []

    def run(share):
        try:
            start.wait()
            with translation.override("en"):  # a thread starts in the default language
                work(share)
        except BaseException as error:  # every failure, of any kind, fails the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_hundred_at_once_for_twenty_places(world, tree):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: there is no race to lose")
    people = many_volunteers(tree.committee, PEOPLE)
    shift = post(world.owner, places=PLACES)
    refused: list[str] = []

    def claim_all(share: list[Volunteer]) -> None:
        for person in share:
            try:
                assert person.user is not None
                shifts.claim(person.user, shift, scope=NO_SCOPE)
            except ValidationError as error:
                refused.extend(error.messages)

    errors = run_at_once(claim_all, [people[i::THREADS] for i in range(THREADS)])
    assert errors == []
    assert ShiftClaim.objects.filter(shift=shift).count() == PLACES
    assert Shift.objects.get(pk=shift.pk).taken == PLACES
    assert refused == [f"All {PLACES} places of this shift are taken."] * (PEOPLE - PLACES)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_volunteer_tapping_twice_at_once_gets_one_claim(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: there is no race to lose")
    shift = post(world.owner, places=5)
    refused: list[str] = []

    def tap(_n: int) -> None:
        try:
            shifts.claim(world.ming.user, shift, scope=NO_SCOPE)
        except ValidationError as error:
            refused.extend(error.messages)

    assert run_at_once(tap, list(range(8))) == []
    assert ShiftClaim.objects.filter(shift=shift, volunteer=world.ming).count() == 1
    assert Shift.objects.get(pk=shift.pk).taken == 1
    assert refused == ["小明 has already claimed this shift."] * 7


def test_the_database_refuses_an_overfilled_shift(world):
    """The last guard, whatever a future bug in the services: the CHECK constraint."""
    shift = post(world.owner, places=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.filter(pk=shift.pk).update(taken=2)
