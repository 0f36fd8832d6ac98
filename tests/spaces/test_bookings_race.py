"""Two live bookings of a space never overlap, whoever asks at once: 100 requests for the same
slot on PostgreSQL (threads, each its own connection) make exactly one booking, and the 99
others are refused naming it. On SQLite the trigger refuses an overlapping row written with
the ORM directly, past every service."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import translation

from accounts.models import User
from spaces import bookings
from spaces.models import Booking, BookingStatus
from spaces.policy import Holder
from tests.factories import scope_of
from tests.spaces.conftest import at

REQUESTS = 100
# Threads, each with its own connection: the PostgreSQL here allows 100 connections in all
# (shared with other test runs), so 40 threads make the 100 requests, all starting at once.
THREADS = 40


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
def test_a_hundred_requests_for_one_slot_make_one_booking(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: there is no race to lose")
    staff: User = world.owner
    scope = scope_of(staff)
    refused: list[str] = []
    made: list[Booking] = []

    def ask(share: list[int]) -> None:
        for n in share:
            try:
                made.append(
                    bookings.book(
                        staff,
                        world.room,
                        at(1, 9),
                        at(1, 10),
                        scope=scope,
                        holder=Holder(),
                        purpose=f"会议{n}",
                    )
                )
            except ValidationError as error:
                refused.extend(error.messages)

    requests = list(range(REQUESTS))
    assert run_at_once(ask, [requests[i::THREADS] for i in range(THREADS)]) == []
    assert Booking.objects.filter(space=world.room).count() == 1
    assert len(made) == 1
    winner = made[0]
    assert refused == [f"It clashes with “{winner.purpose}” of the committee, 12/08/2026 9 a.m.–10:00."] * (
        REQUESTS - 1
    )


@pytest.mark.django_db
def test_the_database_refuses_an_overlapping_row_written_directly(world):
    first = Booking.objects.create(
        space=world.room, starts_at=at(1, 9), ends_at=at(1, 10), status=BookingStatus.CONFIRMED, purpose="甲"
    )
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.create(
            space=world.room,
            starts_at=at(1, 9, 30),
            ends_at=at(1, 10, 30),
            status=BookingStatus.PENDING,
            purpose="乙",
        )
    # A row moved onto the live one is refused too; a cancelled one may lie under it.
    other = Booking.objects.create(
        space=world.room, starts_at=at(1, 10), ends_at=at(1, 11), status=BookingStatus.CONFIRMED, purpose="丙"
    )
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.filter(pk=other.pk).update(starts_at=first.starts_at + timedelta(minutes=30))
    Booking.objects.create(
        space=world.room, starts_at=at(1, 9), ends_at=at(1, 10), status=BookingStatus.CANCELLED, purpose="丁"
    )
    assert Booking.objects.live().count() == 2


@pytest.mark.django_db
def test_a_clash_the_check_missed_is_refused_like_any_other(world, people, monkeypatch):
    """The check before the insert saw nothing (the other request had not committed): the
    database refuses, and the refusal still names the booking that won."""
    bookings.book(
        world.team_leader,
        world.room,
        at(1, 9),
        at(1, 10),
        scope=scope_of(world.team_leader),
        holder=Holder(team=world.team),
        purpose="太极拳练习",
    )
    real = bookings.clash_of
    calls = []

    def blind_first(*args, **kwargs):
        calls.append(1)
        return None if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(bookings, "clash_of", blind_first)
    with pytest.raises(ValidationError) as error:
        bookings.book(
            people.wang_user,
            world.room,
            at(1, 9),
            at(1, 10),
            scope=scope_of(people.wang_user),
            holder=Holder(resident=people.wang),
            purpose="康复",
        )
    assert error.value.message_dict == {
        "starts_at": ["It clashes with “太极拳练习” of 太极拳队, 12/08/2026 9 a.m.–10:00."]
    }
    assert Booking.objects.count() == 1
