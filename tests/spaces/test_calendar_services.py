"""Check-in and no-show, the figures per space and month, idle spaces, the calendars and the
xlsx: the rules and their fixed query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from spaces import attendance, calendars, figures
from spaces.models import BookingStatus, Closure
from tests.factories import scope_of
from tests.spaces.series_fixtures import *  # noqa: F403
from tests.spaces.series_fixtures import at, book, make_space
from tests.test_spreadsheets import _assert_xlsx_safe as assert_xlsx_safe
from tests.test_spreadsheets import _xlsx_cells as xlsx_cells

# --- Check-in and no-show ------------------------------------------------------------------


def test_check_in_from_the_start_until_the_end_of_its_day(owner, space, monday):
    found = book(space, at(monday, 9), 2)
    scope = scope_of(owner)
    with pytest.raises(ValidationError) as refused:
        attendance.check_in(owner, found, scope=scope, now=at(monday, 8, 59))
    assert "starts at" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        attendance.check_in(owner, found, scope=scope, now=at(monday + timedelta(days=1), 0, 1))
    assert "end of the booking's day" in str(refused.value)
    marked = attendance.check_in(owner, found, scope=scope, now=at(monday, 20))
    assert marked.checked_in_at == at(monday, 20) and marked.marked_by == owner
    with pytest.raises(ValidationError) as refused:
        attendance.no_show(owner, found, scope=scope, now=at(monday, 21))
    assert "Already marked as come" in str(refused.value)
    with pytest.raises(ValidationError):
        attendance.check_in(owner, found, scope=scope, now=at(monday, 21))


def test_no_show_refused_for_a_cancelled_booking_and_for_others(owner, outsider, space, monday):
    cancelled = book(space, at(monday, 9), status=BookingStatus.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        attendance.no_show(owner, cancelled, scope=scope_of(owner), now=at(monday, 10))
    assert "cancelled" in str(refused.value)
    live = book(space, at(monday, 11))
    with pytest.raises(PermissionDenied):
        attendance.no_show(outsider, live, scope=scope_of(outsider), now=at(monday, 12))
    marked = attendance.no_show(owner, live, scope=scope_of(owner), now=at(monday, 12))
    assert marked.no_show_at is not None and marked.checked_in_at is None


# --- Figures -------------------------------------------------------------------------------


def test_hours_booked_against_hours_open_per_month(tree, owner, space):
    """June 2026: open 14 h a day for 30 days, less a closed day (420 − 14 = 406 h)."""
    closed = at(date(2026, 6, 10), 0)
    Closure.objects.create(
        space=space, starts_at=closed, ends_at=closed + timedelta(days=1), reason="消防检查"
    )
    book(space, at(date(2026, 6, 2), 9), 2)
    book(space, at(date(2026, 6, 3), 9), 3, no_show_at=at(date(2026, 6, 3), 10))
    book(space, at(date(2026, 6, 4), 9), 5, status=BookingStatus.CANCELLED)
    book(space, at(date(2026, 6, 5), 9), 4, status=BookingStatus.PENDING)
    book(space, at(date(2026, 7, 1), 9), 1)
    row = figures.for_area(scope_of(owner), tree.committee, date(2026, 6, 17)).rows[0]
    assert row.space == space
    assert row.hours_open == 406
    assert row.hours_booked == 5
    assert row.bookings == 2 and row.no_shows == 1
    assert row.use_percent == 1


def test_a_street_rolls_up_its_committees_in_fixed_queries(
    tree, street_admin, space, django_assert_num_queries
):
    other = make_space(tree.neighbour, "慧芝湖活动室")
    make_space(tree.far_committee, "远方活动室")
    book(space, at(date(2026, 6, 2), 9), 2)
    book(other, at(date(2026, 6, 2), 9), 3)
    scope = scope_of(street_admin)
    assert scope.path
    with django_assert_num_queries(4):
        found = figures.for_area(scope, tree.street, date(2026, 6, 1))
    assert [r.space for r in found.rows] == [space, other]
    assert found.total.hours_booked == 5 and found.total.bookings == 2
    assert found.total.hours_open == 2 * 30 * 14


def test_idle_spaces_are_the_bookable_ones_nobody_booked_for_30_days(
    tree, owner, space, django_assert_num_queries
):
    today = timezone.localdate()
    busy = make_space(tree.committee, "乐龄空间")
    book(busy, at(today - timedelta(days=29), 9))
    make_space(tree.committee, "乐动空间", bookable=False)
    new = make_space(tree.committee, "乐影空间")
    new.created_at = timezone.now() - timedelta(days=3)
    new.save()
    book(space, at(today - timedelta(days=31), 9))
    scope = scope_of(owner)
    assert scope.path  # the role's area, read once per request
    with django_assert_num_queries(1):
        idle = figures.idle_spaces(scope, today)
    assert idle == [space]


def test_no_idle_spaces_without_the_capability(tree, people, space):
    assert figures.idle_spaces(scope_of(people.wang_user), timezone.localdate()) == []


# --- Calendars -----------------------------------------------------------------------------


def test_a_space_week_with_open_hours_and_bookings_in_three_queries(space, monday, django_assert_num_queries):
    book(space, at(monday + timedelta(days=2), 9), purpose="书法班")
    book(space, at(monday + timedelta(days=2), 7), purpose="太极拳")
    book(space, at(monday + timedelta(days=3), 9), status=BookingStatus.CANCELLED)
    book(space, at(monday + timedelta(days=7), 9))
    with django_assert_num_queries(3):
        days = calendars.space_week(space, monday + timedelta(days=4))
    assert [d.day for d in days] == [monday + timedelta(days=n) for n in range(7)]
    assert [b.purpose for b in days[2].bookings] == ["太极拳", "书法班"]
    assert days[3].bookings == []
    assert days[0].open == [(at(monday, 7), at(monday, 21))]


def test_the_committee_calendar_lists_every_space_per_day(
    tree, owner, outsider, space, monday, django_assert_num_queries
):
    other = make_space(tree.committee, "乐龄空间")
    far = make_space(tree.neighbour, "慧芝湖活动室")
    for each in (space, other, far):
        book(each, at(monday, 9))
    scope = scope_of(owner)
    assert scope.path
    with django_assert_num_queries(1):
        days = calendars.area_days(scope, tree.committee, monday, monday + timedelta(days=6))
    assert {b.space for b in days[0].bookings} == {space, other}
    neighbours = calendars.area_days(scope_of(outsider), tree.neighbour, monday, monday)
    assert [b.space for b in neighbours[0].bookings] == [far]


def test_the_xlsx_is_formula_safe(tree, owner, space, monday, tmp_path):
    book(space, at(monday, 9), purpose='=HYPERLINK("http://x","点击")')
    book(space, at(monday, 11), purpose="书法班", status=BookingStatus.CANCELLED)
    path = tmp_path / "bookings.xlsx"
    path.write_bytes(calendars.bookings_xlsx(scope_of(owner), tree.committee, monday, monday))
    assert_xlsx_safe(path)
    texts = [text for text, _formula, _quoted in xlsx_cells(path)]
    assert {"Space", "乐活空间", "书法班", "Cancelled", "Confirmed"} <= set(texts)
