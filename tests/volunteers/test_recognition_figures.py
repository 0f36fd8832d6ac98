"""Recognition figures: what counts (confirmed only, reversals net out), months and years in
Shanghai time, per volunteer, team and committee, stars at each threshold, the recognition
list, and a fixed number of queries however many volunteers there are."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from tests.factories import scope_of
from tests.volunteers.recognition_world import World, entry, street_admin, volunteer, world
from volunteers import hours, recognition
from volunteers.models import Shift, ShiftClaim, Volunteer
from volunteers.recognition import figures, honour_roll, my_year, stars

__all__ = ["street_admin", "world"]

D = Decimal


@pytest.fixture(autouse=True)
def english():
    """Not English here: these tests read the figures, lists and pages in Chinese, as people do
    (this replaces the package's fixture of the same name, whatever an earlier test left)."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def ledger(world: World, tree):
    """2026 in 延长新村: 张阿姨 3 h (team) + 2 h, 李师傅 1.5 h (team); 张阿姨's 6 h of May
    reversed in June; 5 h waiting and 4 h declined; 7 h in 2025. 王同学 2 h in 慧芝湖花园."""
    entry(world.zhang, date(2026, 3, 5), "3", team=world.team)
    entry(world.zhang, date(2026, 3, 20), "2")
    entry(world.li, date(2026, 3, 7), "1.5", team=world.team)
    wrong = entry(world.zhang, date(2026, 5, 10), "6")
    entry(world.zhang, date(2026, 6, 1), "-6", reverses=wrong)
    entry(world.zhang, date(2026, 4, 1), "5", confirmed=False)
    entry(world.zhang, date(2026, 4, 2), "4", declined=True)
    entry(world.zhang, date(2025, 12, 31), "7")
    entry(world.wang, date(2026, 3, 7), "2")
    return world


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, 0),
        (0, 0),
        (D("19.75"), 0),
        (20, 1),
        (D("49.99"), 1),
        (50, 2),
        (99, 2),
        (100, 3),
        (D("199.5"), 3),
        (200, 4),
        (299, 4),
        (300, 5),
        (5000, 5),
    ],
)
def test_stars_at_each_threshold(given, expected):
    assert stars(given) == expected


def test_stars_follow_the_setting(settings):
    settings.MULIN_VOLUNTEER_STAR_HOURS = (30, 10)
    assert [stars(h) for h in (9, 10, 29, 30)] == [0, 1, 1, 2]
    assert recognition.hours_to_next_star(D(12)) == D(18)
    assert recognition.hours_to_next_star(D(30)) is None


def test_only_confirmed_hours_count_and_a_reversal_nets_its_entry_out(ledger, owner):
    found = figures(scope_of(owner), 2026)
    assert (found.total.hours, found.total.times, found.total.people) == (D("6.5"), 3, 2)
    by_name = {r.label: (r.hours, r.times) for r in found.rows}
    assert by_name == {"张阿姨": (D(5), 2), "李师傅": (D("1.5"), 1)}
    assert [r.label for r in found.rows] == ["张阿姨", "李师傅"]  # most hours first


def test_a_reversal_counts_in_the_month_its_entry_was_served(ledger, owner):
    months = {m.month: (m.hours, m.times) for m in figures(scope_of(owner), 2026).months}
    assert months[3] == (D("6.5"), 3)
    assert months[4] == (0, 0)  # waiting and declined hours
    assert months[5] == (0, 0)  # 6 hours, reversed in June
    assert months[6] == (0, 0)
    assert len(months) == 12


def test_one_month(ledger, owner):
    march = figures(scope_of(owner), 2026, month=3)
    assert (march.total.hours, march.total.times) == (D("6.5"), 3)
    may = figures(scope_of(owner), 2026, month=5)
    assert (may.total.hours, may.total.times, may.rows[0].hours) == (0, 0, 0)
    assert not may.shows_stars
    assert figures(scope_of(owner), 2025, month=12).total.hours == 7


def test_per_team_with_the_hours_outside_any_team(ledger, owner):
    found = figures(scope_of(owner), 2026, by=recognition.BY_TEAM)
    assert found.by_team
    rows = [(r.label, r.hours, r.times, r.people) for r in found.rows]
    assert rows == [("健康楼组邻里队", D("4.5"), 2, 2), ("不属于任何队伍", D(2), 1, 1)]


def test_a_street_compares_its_committees_and_its_own_hours(ledger, tree, street_admin):
    entry(ledger.wang, date(2026, 8, 1), "1", area=tree.street)
    found = figures(scope_of(street_admin), 2026)
    assert found.compares_parts and found.by == "committee"
    rows = [(r.label, r.hours, r.times) for r in found.rows]
    assert rows == [
        ("延长新村居委会", D("6.5"), 3),
        ("慧芝湖花园居委会", D(2), 1),
        ("大宁路街道（本级）", D(1), 1),
    ]
    assert (found.total.hours, found.total.times, found.total.people) == (D("9.5"), 5, 3)


def test_a_district_names_every_street_even_without_hours(ledger, tree):
    from accounts.roles import Role
    from tests.factories import UserFactory, grant

    admin = UserFactory.create(name="区管理员", home_area=tree.district)
    grant(admin, Role.DISTRICT_ADMIN, tree.district)
    found = figures(scope_of(admin), 2026)
    assert [(r.label, r.hours) for r in found.rows] == [("大宁路街道", D("8.5"))]
    city = figures(scope_of(admin), 2026, area=tree.district)
    assert city.total.hours == D("8.5")


def test_another_committee_sees_only_its_own(ledger, outsider):
    found = figures(scope_of(outsider), 2026)
    assert [(r.label, r.hours) for r in found.rows] == [("王同学", D(2))]


def test_month_and_year_boundaries_are_shanghai_days(world, tree, owner):
    """Check-in at 00:30 on 1 January in Shanghai is 16:30 on 31 December in UTC: it counts in
    January of the new year, as the volunteer lived it."""
    scope = scope_of(owner)
    Volunteer.objects.filter(pk=world.li.pk).update(registered_at=datetime(2025, 1, 1, tzinfo=UTC))

    def served(start_utc: datetime) -> None:
        shift = Shift.objects.create(
            area=tree.committee,
            title="夜间巡逻",
            place="小区大门",
            starts_at=start_utc,
            ends_at=start_utc + timedelta(hours=2),
            places=2,
            withdraw_until=start_utc - timedelta(days=1),
        )
        claim = ShiftClaim.objects.create(
            shift=shift,
            volunteer=world.li,
            checked_in_at=start_utc,
            checked_out_at=start_utc + timedelta(hours=2),
        )
        hours.record_shift(claim, by=owner, scope=scope, now=start_utc + timedelta(hours=3))

    served(datetime(2026, 12, 31, 16, 30, tzinfo=UTC))  # 2027-01-01 00:30 in Shanghai
    served(datetime(2026, 11, 30, 16, 0, tzinfo=UTC))  # 2026-12-01 00:00 in Shanghai
    year_2026 = figures(scope, 2026)
    assert {m.month: m.hours for m in year_2026.months if m.hours} == {12: D(2)}
    assert year_2026.total.hours == D(2)
    year_2027 = figures(scope, 2027)
    assert {m.month: m.hours for m in year_2027.months if m.hours} == {1: D(2)}
    assert figures(scope, 2026, month=11).total.hours == 0


def test_the_recognition_list_ranks_by_hours_with_stars_and_teams(ledger, tree, owner):
    entry(ledger.li, date(2026, 7, 1), "20")
    roll = honour_roll(scope_of(owner), 2026)
    assert [(h.rank, h.name, h.hours, h.times, h.stars, h.teams) for h in roll] == [
        (1, "李师傅", D("21.5"), 2, 1, ["健康楼组邻里队"]),
        (2, "张阿姨", D(5), 2, 0, ["健康楼组邻里队"]),
    ]
    assert honour_roll(scope_of(owner), 2026, min_stars=1)[0].name == "李师傅"
    assert len(honour_roll(scope_of(owner), 2026, min_stars=1)) == 1
    assert honour_roll(scope_of(owner), 2024) == []


def test_a_volunteers_year_counts_wherever_they_served(ledger, tree):
    entry(ledger.zhang, date(2026, 9, 1), "16", area=tree.neighbour)
    mine = my_year(ledger.zhang, 2026)
    assert (mine.hours, mine.times, mine.stars, mine.to_next_star) == (D(21), 3, 1, D(29))
    assert my_year(ledger.zhang, 2025).hours == 7


def test_stars_this_year(world):
    today = timezone.localdate()
    assert recognition.stars_this_year(world.zhang) == 0
    for day in range(1, 6):
        entry(world.zhang, today.replace(day=day) if today.day >= day else today, "10")
    assert recognition.stars_this_year(world.zhang) == 2  # 50 hours


def _more_volunteers(tree, team, n: int, start: int) -> None:
    for i in range(start, start + n):
        someone = volunteer(tree.committee, f"志愿者{i}")
        entry(someone, date(2026, 1 + i % 12, 1), "2", team=team if i % 2 else None)
        entry(someone, date(2026, 2, 2), "1", area=tree.neighbour)


def test_figures_take_a_fixed_number_of_queries(ledger, tree, owner, street_admin, django_assert_num_queries):
    owner_scope, street_scope = scope_of(owner), scope_of(street_admin)
    street_scope.area  # noqa: B018 - the grant is read once, before counting
    owner_scope.area  # noqa: B018
    for n, start in ((0, 0), (15, 100)):
        _more_volunteers(tree, ledger.team, n, start)
        with django_assert_num_queries(3):
            figures(owner_scope, 2026)
        with django_assert_num_queries(3):
            figures(owner_scope, 2026, by=recognition.BY_TEAM)
        with django_assert_num_queries(4):
            figures(street_scope, 2026)
        with django_assert_num_queries(2):
            honour_roll(owner_scope, 2026)
    assert len(figures(owner_scope, 2026).rows) == 17
