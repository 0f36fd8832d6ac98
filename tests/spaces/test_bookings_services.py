"""Booking, approving, declining and cancelling: what the booker sees and is told, and a clash
named as its reader may read it (a neighbour's booking stays "a resident's booking")."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from common.scope import NO_SCOPE
from notifications.models import Notification
from spaces import bookings
from spaces.models import Booking, BookingStatus
from spaces.policy import Holder
from tests.factories import scope_of
from tests.spaces.conftest import at

pytestmark = pytest.mark.django_db


def book(user, space, start, end, holder, *, purpose="康复训练", people=1, scope=None):
    return bookings.book(
        user,
        space,
        start,
        end,
        scope=scope if scope is not None else scope_of(user),
        holder=holder,
        purpose=purpose,
        people=people,
    )


def refusal(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def test_a_resident_books_and_it_is_confirmed(world, people):
    made = book(people.wang_user, world.room, at(1, 9), at(1, 10), Holder(resident=people.wang))
    assert made.status == BookingStatus.CONFIRMED
    assert made.booked_by == people.wang_user
    assert made.for_resident == people.wang


def test_a_clash_names_the_team_to_anyone_and_a_resident_only_to_staff(world, people):
    book(world.team_leader, world.room, at(1, 9), at(1, 10), Holder(team=world.team), purpose="太极拳练习")
    with pytest.raises(ValidationError) as error:
        book(people.wang_user, world.room, at(1, 9, 30), at(1, 10, 30), Holder(resident=people.wang))
    assert refusal(error.value) == {
        "starts_at": ["It clashes with “太极拳练习” of 太极拳队, 12/08/2026 9 a.m.–10:00."]
    }

    book(people.daughter, world.room, at(2, 9), at(2, 10), Holder(resident=people.zhao), purpose="康复")
    with pytest.raises(ValidationError) as error:
        book(people.wang_user, world.room, at(2, 9), at(2, 10), Holder(resident=people.wang))
    text = refusal(error.value)["starts_at"][0]
    assert text.startswith("It clashes with a resident's booking, ")
    assert "赵老伯" not in text and "康复" not in text
    with pytest.raises(ValidationError) as error:
        book(world.owner, world.room, at(2, 9), at(2, 10), Holder())
    assert "“康复” of 赵老伯" in refusal(error.value)["starts_at"][0]


def test_back_to_back_bookings_do_not_clash(world, people):
    book(people.wang_user, world.room, at(1, 9), at(1, 10), Holder(resident=people.wang))
    book(people.li_user, world.room, at(1, 10), at(1, 11), Holder(resident=people.li))
    assert Booking.objects.live().count() == 2


def test_bad_input_changes_nothing(world, people):
    with pytest.raises(ValidationError):
        book(people.wang_user, world.room, at(1, 12), at(1, 13), Holder(resident=people.wang))
    with pytest.raises(ValidationError) as error:
        book(people.wang_user, world.room, at(1, 9), at(1, 10), Holder(resident=people.wang), purpose=" ")
    assert refusal(error.value) == {"purpose": ["Say what the booking is for."]}
    assert not Booking.objects.exists()


def test_approval_pending_then_approved_and_the_booker_told(world, people):
    world.room.needs_approval = True
    world.room.save()
    made = book(people.daughter, world.room, at(1, 9), at(1, 10), Holder(resident=people.zhao))
    assert made.is_pending
    # Staff are told one waits.
    assert Notification.objects.filter(
        user=world.owner, title="A booking waits for approval: 乐活空间"
    ).exists()
    # A pending booking holds its time.
    with pytest.raises(ValidationError):
        book(people.wang_user, world.room, at(1, 9), at(1, 10), Holder(resident=people.wang))
    bookings.approve(world.owner, made, scope=scope_of(world.owner))
    made.refresh_from_db()
    assert made.status == BookingStatus.CONFIRMED and made.decided_by == world.owner
    assert Notification.objects.filter(user=people.daughter, title="Booking confirmed: 乐活空间").exists()


def test_staffs_own_booking_needs_no_approval(world):
    world.room.needs_approval = True
    world.room.save()
    made = book(world.owner, world.room, at(1, 9), at(1, 10), Holder(), purpose="居委会议")
    assert made.status == BookingStatus.CONFIRMED


def test_decline_needs_a_reason_frees_the_time_and_tells_the_booker(world, people):
    world.room.needs_approval = True
    world.room.save()
    made = book(people.wang_user, world.room, at(1, 9), at(1, 10), Holder(resident=people.wang))
    with pytest.raises(ValidationError):
        bookings.decline(world.owner, made, " ", scope=scope_of(world.owner))
    with pytest.raises(PermissionDenied):
        bookings.decline(people.wang_user, made, "不行", scope=NO_SCOPE)
    bookings.decline(world.owner, made, "当天有消防检查", scope=scope_of(world.owner))
    made.refresh_from_db()
    assert made.status == BookingStatus.DECLINED and made.decline_reason == "当天有消防检查"
    told = Notification.objects.get(user=people.wang_user, title="Booking declined: 乐活空间")
    assert "当天有消防检查" in told.body
    book(people.li_user, world.room, at(1, 9), at(1, 10), Holder(resident=people.li))


def test_the_booker_cancels_before_it_starts_and_is_not_told(world, people):
    made = book(people.wang_user, world.room, at(1, 9), at(1, 10), Holder(resident=people.wang))
    bookings.cancel(people.wang_user, made, scope=NO_SCOPE)
    made.refresh_from_db()
    assert made.status == BookingStatus.CANCELLED
    assert not Notification.objects.filter(user=people.wang_user).exists()


def test_someone_else_may_not_cancel_and_staff_must_say_why(world, people):
    made = book(people.daughter, world.room, at(1, 9), at(1, 10), Holder(resident=people.zhao))
    with pytest.raises(PermissionDenied):
        bookings.cancel(people.wang_user, made, scope=NO_SCOPE)
    with pytest.raises(ValidationError):
        bookings.cancel(world.owner, made, scope=scope_of(world.owner))
    bookings.cancel(world.owner, made, scope=scope_of(world.owner), reason="停电")
    assert Notification.objects.filter(user=people.daughter, title="Booking cancelled: 乐活空间").exists()
    with pytest.raises(ValidationError):
        bookings.cancel(world.owner, made, scope=scope_of(world.owner), reason="again")


def test_the_neighbours_staff_may_not_decide(world, people, outsider):
    world.room.needs_approval = True
    world.room.save()
    made = book(people.wang_user, world.room, at(1, 9), at(1, 10), Holder(resident=people.wang))
    with pytest.raises(PermissionDenied):
        bookings.approve(outsider, made, scope=scope_of(outsider))
