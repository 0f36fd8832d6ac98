"""The pages of repeating bookings, seasons, calendars and figures: they show what the
services decide, at a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from spaces import series
from spaces.models import BookingSeries
from tests.factories import login_verified, scope_of
from tests.spaces.series_fixtures import *  # noqa: F403
from tests.spaces.series_fixtures import at, book, make_space


def make_series(owner, space, monday, team=None):
    draft = series.SeriesDraft(
        space,
        frozenset({1, 3}),
        at(monday, 7).time(),
        at(monday, 9).time(),
        monday,
        monday + timedelta(days=27),
        "太极拳",
        team=team,
    )
    return series.create(owner, draft, scope=scope_of(owner))


def test_preview_shows_each_problem_then_the_series_is_made(client, owner, space, monday):
    login_verified(client, owner)
    book(space, at(monday + timedelta(days=1), 8), purpose="书法班")
    form = {
        "weekdays": ["1", "3"],
        "starts": "07:00",
        "ends": "09:00",
        "first_day": monday.isoformat(),
        "last_day": (monday + timedelta(days=13)).isoformat(),
        "purpose": "太极拳",
        "people": "10",
    }
    url = reverse("spaces:series_new", args=[space.pk])
    shown = client.post(url, {**form, "preview": "1"})
    assert shown.status_code == 200
    assert "书法班" in shown.content.decode() and not BookingSeries.objects.exists()
    refused = client.post(url, {**form, "create": "1"})
    assert "cannot be booked" in refused.content.decode()
    made = client.post(url, {**form, "create": "1", "skip_clashes": "on"})
    assert made.status_code == 302
    assert BookingSeries.objects.get().bookings.count() == 3


def test_series_pages_in_fixed_queries(client, owner, space, monday, django_assert_max_num_queries):
    login_verified(client, owner)
    made = make_series(owner, space, monday)
    make_series(owner, make_space(space.area, "乐龄空间"), monday)
    with django_assert_max_num_queries(12):
        listed = client.get(reverse("spaces:series_list"))
    assert listed.content.decode().count("太极拳") == 2
    with django_assert_max_num_queries(14):
        detail = client.get(made.get_absolute_url())
    assert detail.status_code == 200 and "Cancel every remaining date" in detail.content.decode()


def test_a_resident_cannot_see_a_series_or_the_calendar(client, people, owner, space, monday):
    made = make_series(owner, space, monday)
    login_verified(client, people.wang_user)
    assert client.get(made.get_absolute_url()).status_code == 404
    assert client.get(reverse("spaces:calendar")).status_code == 403
    assert client.get(reverse("spaces:space_calendar", args=[space.pk])).status_code == 403


def test_calendars_and_figures_in_fixed_queries(client, owner, space, monday, django_assert_num_queries):
    login_verified(client, owner)
    client.get(reverse("spaces:calendar"))  # the session and role, read once
    make_series(owner, space, monday)
    url = reverse("spaces:space_calendar", args=[space.pk]) + f"?week={monday + timedelta(days=1)}"
    with django_assert_num_queries(counted := _count(client, url)):
        page = client.get(url)
    assert page.content.decode().count("太极拳") == 2
    other = make_space(space.area, "乐龄空间")
    make_series(owner, other, monday)
    with django_assert_num_queries(counted):
        client.get(reverse("spaces:space_calendar", args=[other.pk]) + f"?week={monday}")
    area_url = reverse("spaces:calendar") + f"?day={monday}&span=week"
    before = _count(client, area_url)
    make_series(owner, make_space(space.area, "绿萝空间"), monday)
    with django_assert_num_queries(before):
        week = client.get(area_url)
    assert week.content.decode().count("太极拳") == 6
    figures_url = reverse("spaces:figures") + f"?month={monday}"
    before = _count(client, figures_url)
    make_space(space.area, "乐影空间")
    with django_assert_num_queries(before):
        shown = client.get(figures_url)
    assert "乐影空间" in shown.content.decode()


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_check_in_from_the_calendar(client, owner, space):
    login_verified(client, owner)
    found = book(space, timezone.now() - timedelta(minutes=5))
    back = reverse("spaces:space_calendar", args=[space.pk])
    page = client.get(back)
    assert reverse("spaces:booking_came", args=[found.pk]) in page.content.decode()
    client.post(reverse("spaces:booking_came", args=[found.pk]), {"next": back})
    found.refresh_from_db()
    assert found.checked_in_at is not None
    again = client.post(reverse("spaces:booking_no_show", args=[found.pk]), {"next": back}, follow=True)
    assert "Already marked as come" in again.content.decode()


def test_the_xlsx_download(client, owner, space, monday):
    login_verified(client, owner)
    book(space, at(monday, 9))
    found = client.get(reverse("spaces:bookings_xlsx") + f"?from={monday}&to={monday}")
    assert found.status_code == 200
    assert found["Content-Disposition"].startswith('attachment; filename="bookings-')
    assert found.content[:2] == b"PK"


def _switch(client, settings, user) -> None:
    """Log in as ``user`` instead; logging out drops the cookies, the language's too."""
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login_verified(client, user)


def test_season_pages(client, settings, owner, space, taiji, taiji_leader):
    login_verified(client, owner)
    today = timezone.localdate()
    made = client.post(
        reverse("spaces:seasons"),
        {
            "name": "2027 春季",
            "applications_open": today.isoformat(),
            "applications_close": (today + timedelta(days=5)).isoformat(),
            "starts_on": (today + timedelta(days=10)).isoformat(),
            "ends_on": (today + timedelta(days=40)).isoformat(),
        },
    )
    assert made.status_code == 302
    _switch(client, settings, taiji_leader)
    page = client.get(made["Location"])
    assert "Apply for a regular slot" in page.content.decode()
    applied = client.post(
        made["Location"],
        {
            "team": taiji.pk,
            "space": space.pk,
            "weekdays": ["1"],
            "starts": "07:00",
            "ends": "09:00",
            "purpose": "太极拳",
            "people": "8",
        },
    )
    assert applied.status_code == 302
    _switch(client, settings, owner)
    board = client.get(made["Location"]).content.decode()
    assert "太极拳队" in board and "Allocate" in board
