"""A team's size over time, from its memberships' dates: "55 → 550" is a line, not a sentence."""

from __future__ import annotations

from datetime import date

import pytest

from tests.volunteers.conftest import make_volunteer, member
from volunteers import selectors
from volunteers.models import Membership, MembershipStatus

pytestmark = pytest.mark.django_db


def test_members_are_counted_at_each_month_end(team, tree):
    stays = member(team, make_volunteer(tree.committee, "甲"), joined_on=date(2019, 3, 5))
    left = member(team, make_volunteer(tree.committee, "乙"), joined_on=date(2019, 4, 1))
    Membership.objects.filter(pk=left.pk).update(status=MembershipStatus.LEFT, ended_on=date(2019, 5, 10))
    member(team, make_volunteer(tree.committee, "丙"), joined_on=date(2019, 5, 31))
    # A request never answered and a declined one do not count.
    Membership.objects.create(team=team, volunteer=make_volunteer(tree.committee, "丁"))
    points = selectors.size_history(team, today=date(2019, 7, 15))
    assert points == [
        (date(2019, 3, 31), 1),
        (date(2019, 4, 30), 2),
        (date(2019, 5, 31), 2),
        (date(2019, 6, 30), 2),
        (date(2019, 7, 15), 2),
    ]
    assert stays.ended_on is None


def test_the_history_takes_one_query_however_long(team, tree, django_assert_num_queries):
    for n in range(30):
        member(team, make_volunteer(tree.committee, f"队员{n}"), joined_on=date(2019 + n % 6, 1 + n % 12, 1))
    with django_assert_num_queries(1):
        points = selectors.size_history(team, today=date(2026, 12, 7))
    assert points[-1] == (date(2026, 12, 7), 30)
    assert len(points) == 96 and points[0][0] == date(2019, 1, 31)


def test_a_team_without_members_has_no_history(team):
    assert selectors.size_history(team) == []


def test_the_chart_option_draws_the_same_figures(team, tree):
    member(team, make_volunteer(tree.committee, "甲"), joined_on=date(2026, 1, 2))
    points = selectors.size_history(team, today=date(2026, 2, 3))
    option = selectors.size_chart(points, "Members")
    assert option["xAxis"]["data"] == ["2026-01", "2026-02"]
    assert option["series"][0]["data"] == [1, 1]
