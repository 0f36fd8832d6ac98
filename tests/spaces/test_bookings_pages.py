"""Booking from a phone: a resident for themself, a daughter for her father, a team leader for
the team; my bookings and cancelling; staff's list (fixed queries), the queue, deciding, and
booking on someone's behalf."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spaces import bookings
from spaces.models import Booking, BookingStatus
from spaces.policy import Holder
from tests.factories import login, scope_of
from tests.spaces.conftest import at

pytestmark = pytest.mark.django_db


def form(holder: str, day="2026-12-08", starts="09:00", ends="10:00", **extra) -> dict:
    return {
        "day": day,
        "starts": starts,
        "ends": ends,
        "purpose": "康复训练",
        "people": 2,
        "holder": holder,
        **extra,
    }


def test_a_resident_books_for_themself_and_sees_it(client, world, people):
    login(client, people.wang_user)
    page = client.get(reverse("spaces:book", args=[world.room.pk]))
    assert page.status_code == 200 and "王建国" in page.content.decode()
    response = client.post(reverse("spaces:book", args=[world.room.pk]), form(f"r{people.wang.pk}"))
    made = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.people == 2 and made.for_resident == people.wang
    mine = client.get(reverse("spaces:my_bookings")).content.decode()
    assert "乐活空间 · 康复训练" in mine


def test_a_refusal_is_shown_on_the_form_and_nothing_is_booked(client, world, people):
    login(client, people.wang_user)
    response = client.post(
        reverse("spaces:book", args=[world.room.pk]), form(f"r{people.wang.pk}", starts="11:00", ends="12:00")
    )
    assert response.status_code == 200
    assert (
        "乐活空间 is open on Tuesday 8:00–11:30, 13:30–17:00; choose a time inside them."
        in response.content.decode()
    )
    assert not Booking.objects.exists()


def test_the_daughter_books_for_her_father_and_may_not_pick_another(client, world, people):
    login(client, people.daughter)
    page = client.get(reverse("spaces:book", args=[world.room.pk])).content.decode()
    assert "赵老伯" in page and "王建国" not in page
    client.post(reverse("spaces:book", args=[world.room.pk]), form(f"r{people.zhao.pk}"))
    assert Booking.objects.get().for_resident == people.zhao
    stranger = client.post(
        reverse("spaces:book", args=[world.room.pk]), form(f"r{people.wang.pk}", day="2026-12-09")
    )
    assert "Select a valid choice" in stranger.content.decode()


def test_a_team_leader_books_for_the_team(client, world):
    login(client, world.team_leader)
    client.post(
        reverse("spaces:book", args=[world.field.pk]),
        form(f"t{world.team.pk}", day="2026-12-10", starts="07:00", ends="08:00"),
    )
    assert Booking.objects.get().team == world.team


def test_someone_with_nobody_to_book_for_is_told_how(client, world, tree):
    from tests.factories import UserFactory

    login(client, UserFactory.create(name="新来的", home_area=tree.committee))
    page = client.get(reverse("spaces:book", args=[world.room.pk]))
    assert page.status_code == 403
    assert "Ask the committee to link your account to the registry" in page.content.decode()


def test_the_booker_cancels_from_the_bookings_page(client, world, people):
    made = bookings.book(
        people.wang_user,
        world.room,
        at(1, 9),
        at(1, 10),
        scope=scope_of(people.wang_user),
        holder=Holder(resident=people.wang),
        purpose="康复",
    )
    login(client, people.wang_user)
    assert client.get(made.get_absolute_url()).status_code == 200
    client.post(reverse("spaces:booking_cancel", args=[made.pk]))
    made.refresh_from_db()
    assert made.status == BookingStatus.CANCELLED


def test_a_neighbour_cannot_see_the_booking(client, world, people):
    made = bookings.book(
        people.wang_user,
        world.room,
        at(1, 9),
        at(1, 10),
        scope=scope_of(people.wang_user),
        holder=Holder(resident=people.wang),
        purpose="康复",
    )
    login(client, people.li_user)
    assert client.get(made.get_absolute_url()).status_code == 404


def test_staff_decide_from_the_queue(client, world, people, owner):
    world.room.needs_approval = True
    world.room.save()
    first = bookings.book(
        people.wang_user,
        world.room,
        at(1, 9),
        at(1, 10),
        scope=scope_of(people.wang_user),
        holder=Holder(resident=people.wang),
        purpose="康复",
    )
    second = bookings.book(
        people.li_user,
        world.room,
        at(1, 10),
        at(1, 11),
        scope=scope_of(people.li_user),
        holder=Holder(resident=people.li),
        purpose="读书会",
    )
    login(client, owner)
    queue = client.get(reverse("spaces:pending")).content.decode()
    assert "王建国" in queue and "李秀英" in queue
    client.post(reverse("spaces:booking_approve", args=[first.pk]), {"next": "pending"})
    client.post(
        reverse("spaces:booking_decline", args=[second.pk]), {"next": "pending", "reason": "当天有活动"}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == BookingStatus.CONFIRMED
    assert second.status == BookingStatus.DECLINED and second.decline_reason == "当天有活动"


def test_the_staff_list_filters_and_runs_fixed_queries(client, world, people, owner):
    login(client, owner)
    url = reverse("spaces:bookings")

    def count(**query) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    bookings.book(
        owner, world.room, at(1, 9), at(1, 10), scope=scope_of(owner), holder=Holder(), purpose="会议甲"
    )
    few, _text = count()
    for n in range(4):
        bookings.book(
            owner,
            world.room,
            at(2 + n, 9),
            at(2 + n, 10),
            scope=scope_of(owner),
            holder=Holder(resident=people.wang),
            purpose=f"会议{n}",
        )
    many, text = count()
    assert many == few
    assert "王建国" in text  # staff who see people read the resident's name
    _n, filtered = count(first="2026-12-10", last="2026-12-10")
    assert "会议1" in filtered and "会议甲" not in filtered


def test_staff_book_for_a_resident_found_by_name(client, world, people, owner):
    from registry.models import Resident

    login(client, owner)
    page = client.get(reverse("spaces:book_for"), {"q": "小刘"}).content.decode()
    liu = Resident.objects.get(name="小刘")
    assert f'value="r{liu.pk}"' in page
    response = client.post(
        reverse("spaces:book_for"),
        {**form(f"r{liu.pk}"), "space": world.field.pk, "action": "book", "q": "小刘", "override": "on"},
    )
    made = Booking.objects.get()
    assert response.status_code == 302
    assert made.for_resident == liu and made.booked_by == owner
