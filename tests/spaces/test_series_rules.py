"""Repeating bookings: who makes them, the preview's reasons, skipping clashes, approval of the
whole series, cancelling one date or the rest with one message, extending and shortening."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from spaces import series
from spaces.models import Booking, BookingStatus, Closure
from tests.factories import scope_of
from tests.spaces.series_fixtures import *  # noqa: F403
from tests.spaces.series_fixtures import at, book


def draft(space, monday, *, weeks=4, team=None, days=(1, 3), starts=time(7), ends=time(9)):
    return series.SeriesDraft(
        space=space,
        weekdays=frozenset(days),
        starts=starts,
        ends=ends,
        first_day=monday,
        last_day=monday + timedelta(days=7 * weeks - 1),
        purpose="太极拳",
        people=12,
        team=team,
    )


def test_staff_book_tuesdays_and_thursdays_as_one_series(owner, space, taiji, taiji_leader, monday):
    made = series.create(owner, draft(space, monday, team=taiji), scope=scope_of(owner))
    dates = list(made.bookings.order_by("starts_at"))
    assert len(dates) == 8
    assert {timezone.localtime(b.starts_at).weekday() for b in dates} == {1, 3}
    assert all(b.status == BookingStatus.CONFIRMED and b.team == taiji for b in dates)
    assert made.skipped == []
    told = Notification.objects.filter(user=taiji_leader)
    assert told.count() == 1 and "太极拳" in told.get().title


def test_the_preview_says_why_each_date_cannot_be_booked(owner, space, monday):
    tuesday = monday + timedelta(days=1)
    clash = book(space, at(tuesday + timedelta(days=7), 8), purpose="书法班")
    Closure.objects.create(
        space=space,
        starts_at=at(tuesday + timedelta(days=14), 0),
        ends_at=at(tuesday + timedelta(days=15), 0),
        reason="消防检查",
    )
    space.hours.filter(weekday=3).update(opens=time(8))
    checks = series.preview(draft(space, monday, weeks=3))
    reasons = {c.day: c.problem for c in checks}
    assert reasons[tuesday] == ""
    assert "书法班" in reasons[tuesday + timedelta(days=7)]
    assert next(c for c in checks if c.day == tuesday + timedelta(days=7)).clash == clash
    assert reasons[tuesday + timedelta(days=14)] == "closed: 消防检查"
    assert reasons[tuesday + timedelta(days=2)] == "outside the opening hours"


def test_clashes_refuse_the_series_unless_skipped(owner, space, monday):
    clash_day = monday + timedelta(days=8)
    book(space, at(clash_day, 8))
    with pytest.raises(ValidationError) as refused:
        series.create(owner, draft(space, monday), scope=scope_of(owner))
    assert "书法班" in str(refused.value.message_dict["skip_clashes"])
    assert not Booking.objects.filter(series__isnull=False).exists()
    made = series.create(owner, draft(space, monday), scope=scope_of(owner), skip_clashes=True)
    assert made.skipped == [clash_day.isoformat()]
    assert made.bookings.count() == 7


def test_a_date_booked_between_preview_and_write_is_skipped_by_the_database(
    owner, space, monday, monkeypatch
):
    """The preview saw no clash; the database's no-overlap guarantee still says no."""
    real = series.preview

    def blind(draft_, **kwargs):
        checks = real(draft_, **kwargs)
        book(space, at(monday + timedelta(days=1), 7, 30))
        return checks

    monkeypatch.setattr(series, "preview", blind)
    made = series.create(owner, draft(space, monday, weeks=1), scope=scope_of(owner), skip_clashes=True)
    assert made.skipped == [(monday + timedelta(days=1)).isoformat()]
    assert made.bookings.count() == 1


def test_a_leader_books_for_their_team_pending_where_staff_approve(owner, space, taiji, taiji_leader, monday):
    space.needs_approval = True
    space.save()
    made = series.create(taiji_leader, draft(space, monday, team=taiji), scope=scope_of(taiji_leader))
    assert set(made.bookings.values_list("status", flat=True)) == {BookingStatus.PENDING}
    assert series.approve(owner, made, scope=scope_of(owner)) == 8
    assert set(made.bookings.values_list("status", flat=True)) == {BookingStatus.CONFIRMED}
    assert Notification.objects.filter(user=taiji_leader).count() == 1
    with pytest.raises(ValidationError):
        series.approve(owner, made, scope=scope_of(owner))


def test_staff_decline_the_whole_series_with_a_reason(owner, space, taiji, taiji_leader, monday):
    space.needs_approval = True
    space.save()
    made = series.create(taiji_leader, draft(space, monday, team=taiji), scope=scope_of(taiji_leader))
    with pytest.raises(ValidationError):
        series.decline(owner, made, "  ", scope=scope_of(owner))
    assert series.decline(owner, made, "场地装修", scope=scope_of(owner)) == 8
    assert set(made.bookings.values_list("status", flat=True)) == {BookingStatus.DECLINED}
    assert Notification.objects.filter(user=taiji_leader).get().body == "场地装修"
    with pytest.raises(PermissionDenied):
        series.approve(taiji_leader, made, scope=scope_of(taiji_leader))


def test_who_may_make_a_series(outsider, resident, space, taiji, taiji_leader, monday):
    with pytest.raises(PermissionDenied):
        series.create(outsider, draft(space, monday), scope=scope_of(outsider))
    with pytest.raises(PermissionDenied):
        series.create(resident, draft(space, monday, team=taiji), scope=scope_of(resident))
    with pytest.raises(PermissionDenied):
        series.create(taiji_leader, draft(space, monday), scope=scope_of(taiji_leader))
    space.open_to_teams = False
    space.save()
    with pytest.raises(PermissionDenied):
        series.create(taiji_leader, draft(space, monday, team=taiji), scope=scope_of(taiji_leader))
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"days": ()}, "weekdays"),
        ({"starts": time(9), "ends": time(8)}, "ends"),
        ({"weeks": 60}, "last_day"),
    ],
)
def test_bad_shapes_change_nothing(owner, space, monday, change, field):
    with pytest.raises(ValidationError) as refused:
        series.create(owner, draft(space, monday, **change), scope=scope_of(owner))
    assert field in refused.value.message_dict
    assert not Booking.objects.exists()


def test_no_date_bookable_and_past_days_are_refused(owner, space, monday):
    with pytest.raises(ValidationError) as refused:
        series.create(
            owner,
            draft(space, monday, starts=time(5), ends=time(6)),
            scope=scope_of(owner),
            skip_clashes=True,
        )
    assert "No date can be booked" in str(refused.value)
    past = series.SeriesDraft(
        space,
        frozenset({1}),
        time(7),
        time(9),
        timezone.localdate(),
        timezone.localdate() + timedelta(days=9),
        "x",
    )
    with pytest.raises(ValidationError) as refused:
        series.create(owner, past, scope=scope_of(owner))
    assert "first_day" in refused.value.message_dict


def test_cancel_one_date_then_the_rest_one_message_each(owner, space, taiji, taiji_leader, monday):
    made = series.create(taiji_leader, draft(space, monday, team=taiji), scope=scope_of(taiji_leader))
    first = made.bookings.order_by("starts_at")[0]
    series.cancel_date(owner, first, "社区活动占用", scope=scope_of(owner))
    first.refresh_from_db()
    assert first.status == BookingStatus.CANCELLED
    with pytest.raises(ValidationError):
        series.cancel_date(owner, first, "again", scope=scope_of(owner))
    assert Notification.objects.filter(user=taiji_leader).count() == 1
    with pytest.raises(ValidationError) as refused:
        series.cancel_rest(owner, made, "", scope=scope_of(owner))
    assert "reason" in refused.value.message_dict
    assert series.cancel_rest(owner, made, "队伍暂停活动", scope=scope_of(owner)) == 7
    assert not made.bookings.live().exists()
    made.refresh_from_db()
    assert made.cancelled_at is not None and made.cancel_reason == "队伍暂停活动"
    assert Notification.objects.filter(user=taiji_leader).count() == 2


def test_a_started_date_cannot_be_cancelled(owner, space, monday):
    made = series.create(owner, draft(space, monday), scope=scope_of(owner))
    first = made.bookings.order_by("starts_at")[0]
    with pytest.raises(ValidationError) as refused:
        series.cancel_date(
            owner, first, "", scope=scope_of(owner), now=first.starts_at + timedelta(minutes=5)
        )
    assert "started" in str(refused.value)


def test_others_cannot_cancel(outsider, space, monday, owner):
    made = series.create(owner, draft(space, monday), scope=scope_of(owner))
    with pytest.raises(PermissionDenied):
        series.cancel_rest(outsider, made, "no", scope=scope_of(outsider))


def test_shorten_and_extend_the_last_day(owner, space, taiji, taiji_leader, monday):
    made = series.create(owner, draft(space, monday, team=taiji), scope=scope_of(owner))
    series.change_last_day(owner, made, monday + timedelta(days=13), scope=scope_of(owner))
    assert made.bookings.live().count() == 4
    clash_day = monday + timedelta(days=22)
    book(space, at(clash_day, 8))
    with pytest.raises(ValidationError) as refused:
        series.change_last_day(owner, made, monday + timedelta(days=27), scope=scope_of(owner))
    assert "书法班" in str(refused.value)
    made.refresh_from_db()
    assert made.last_day == monday + timedelta(days=13) and made.bookings.live().count() == 4
    series.change_last_day(owner, made, monday + timedelta(days=27), scope=scope_of(owner), skip_clashes=True)
    made.refresh_from_db()
    assert made.bookings.live().count() == 7
    assert made.skipped == [clash_day.isoformat()]
    # made, shortened, extended: three messages, never one per date
    assert Notification.objects.filter(user=taiji_leader).count() == 3
