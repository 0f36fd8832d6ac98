"""Seasons of regular slots: staff open one, team leaders apply in the window, staff see the
applications' conflicts, allocate (the series is made) or refuse, and each team is told once."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from spaces import seasons
from spaces.models import ApplicationStatus, Booking, Season
from tests.factories import scope_of
from tests.spaces.series_fixtures import *  # noqa: F403
from tests.spaces.series_fixtures import at, book
from volunteers.models import Membership, MembershipStatus, Team, TeamKind, Volunteer


@pytest.fixture
def season(tree, owner):
    today = timezone.localdate()
    return seasons.create_season(
        owner,
        seasons.SeasonDraft(
            tree.committee,
            "2027 春季",
            today - timedelta(days=1),
            today + timedelta(days=6),
            today + timedelta(days=14),
            today + timedelta(days=14 + 27),
        ),
        scope=scope_of(owner),
    )


@pytest.fixture
def choir(tree, people):
    """合唱队, led by 王建国."""
    team = Team.objects.create(area=tree.committee, name="合唱队", kind=TeamKind.SELF_GOVERNANCE)
    volunteer = Volunteer.objects.create(
        committee=tree.committee, name="王建国", user=people.wang_user, kind="resident"
    )
    Membership.objects.create(team=team, volunteer=volunteer, is_leader=True, status=MembershipStatus.ACTIVE)
    return team


def slot(team, space, *, days=(1, 3), starts=time(7), ends=time(9)):
    return seasons.ApplicationDraft(team, space, frozenset(days), starts, ends, "练习")


def test_only_staff_create_a_season_and_the_dates_make_sense(tree, owner, outsider, resident):
    today = timezone.localdate()
    draft = seasons.SeasonDraft(
        tree.committee,
        "秋季",
        today,
        today + timedelta(days=5),
        today + timedelta(days=3),
        today + timedelta(days=60),
    )
    with pytest.raises(ValidationError) as refused:
        seasons.create_season(owner, draft, scope=scope_of(owner))
    assert "starts_on" in refused.value.message_dict
    for someone in (outsider, resident):
        with pytest.raises(PermissionDenied):
            seasons.create_season(someone, draft, scope=scope_of(someone))
    assert not Season.objects.exists()


def test_leaders_apply_in_the_window_for_their_team(season, space, taiji, taiji_leader, choir, people):
    made = seasons.apply(taiji_leader, season, slot(taiji, space), scope=scope_of(taiji_leader))
    assert made.status == ApplicationStatus.APPLIED and made.weekdays == "1,3"
    with pytest.raises(ValidationError):
        seasons.apply(taiji_leader, season, slot(taiji, space), scope=scope_of(taiji_leader))
    with pytest.raises(PermissionDenied):
        seasons.apply(taiji_leader, season, slot(choir, space), scope=scope_of(taiji_leader))
    with pytest.raises(ValidationError) as refused:
        seasons.apply(
            people.wang_user,
            season,
            slot(choir, space),
            scope=scope_of(people.wang_user),
            today=season.applications_close + timedelta(days=1),
        )
    assert "Applications for 2027 春季 are taken" in str(refused.value)


def test_the_board_shows_rivals_and_clashes_in_fixed_queries(
    season, space, taiji, taiji_leader, choir, people, django_assert_num_queries
):
    seasons.apply(taiji_leader, season, slot(taiji, space), scope=scope_of(taiji_leader))
    seasons.apply(
        people.wang_user,
        season,
        slot(choir, space, days=(3,), starts=time(8), ends=time(10)),
        scope=scope_of(people.wang_user),
    )
    tuesday = season.starts_on + timedelta(days=(1 - season.starts_on.weekday()) % 7)
    book(space, at(tuesday, 8), purpose="书法班")
    with django_assert_num_queries(4):
        rows = seasons.board(season)
    taiji_row = next(r for r in rows if r.application.team == taiji)
    assert [r.team for r in taiji_row.rivals] == [choir]
    assert len(taiji_row.problems) == 1 and "书法班" in taiji_row.problems[0].problem
    assert taiji_row.dates == 8


def test_allocate_makes_the_series_refuse_says_why_and_each_team_is_told_once(
    owner, season, space, taiji, taiji_leader, choir, people
):
    first = seasons.apply(taiji_leader, season, slot(taiji, space), scope=scope_of(taiji_leader))
    second = seasons.apply(taiji_leader, season, slot(taiji, space, days=(5,)), scope=scope_of(taiji_leader))
    third = seasons.apply(
        people.wang_user, season, slot(choir, space, days=(3,)), scope=scope_of(people.wang_user)
    )
    tuesday = season.starts_on + timedelta(days=(1 - season.starts_on.weekday()) % 7)
    book(space, at(tuesday, 8))
    with pytest.raises(ValidationError) as refused:
        seasons.allocate(owner, first, scope=scope_of(owner))
    assert "书法班" in str(refused.value)
    made = seasons.allocate(owner, first, scope=scope_of(owner), skip_clashes=True)
    assert made.team == taiji and made.first_day == season.starts_on and made.last_day == season.ends_on
    assert made.skipped == [tuesday.isoformat()] and made.bookings.count() == 7
    seasons.allocate(owner, second, scope=scope_of(owner))
    with pytest.raises(ValidationError):
        seasons.refuse(owner, third, " ", scope=scope_of(owner))
    seasons.refuse(owner, third, "周四已分配给太极拳队", scope=scope_of(owner))
    with pytest.raises(ValidationError):
        seasons.allocate(owner, third, scope=scope_of(owner))
    assert not Notification.objects.exists()
    assert seasons.finish(owner, season, scope=scope_of(owner)) == 2
    taiji_told = Notification.objects.get(user=taiji_leader)
    assert taiji_told.body.count("allocated") == 2
    choir_told = Notification.objects.get(user=people.wang_user)
    assert "周四已分配给太极拳队" in choir_told.body
    with pytest.raises(ValidationError):
        seasons.finish(owner, season, scope=scope_of(owner))


def test_finish_waits_for_every_decision_and_only_staff_decide(owner, season, space, taiji, taiji_leader):
    applied = seasons.apply(taiji_leader, season, slot(taiji, space), scope=scope_of(taiji_leader))
    with pytest.raises(PermissionDenied):
        seasons.allocate(taiji_leader, applied, scope=scope_of(taiji_leader))
    with pytest.raises(ValidationError) as refused:
        seasons.finish(owner, season, scope=scope_of(owner))
    assert "still to be decided: 1" in str(refused.value)
    seasons.withdraw(taiji_leader, applied, scope=scope_of(taiji_leader))
    assert seasons.finish(owner, season, scope=scope_of(owner)) == 0
    assert not Booking.objects.exists()
