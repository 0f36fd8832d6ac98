"""What other parts read of spaces: today's bookings for the today page (fixed queries, in the
staff's scope) and the places on the community map; and the free times of a day."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spaces import bookings, selectors
from spaces.hours import opening_of
from spaces.models import Site, Space
from spaces.policy import Holder
from tests.factories import scope_of
from tests.spaces.conftest import NOW, at

pytestmark = pytest.mark.django_db


def test_today_bookings_in_scope_with_the_space_and_site_read(world, people, owner, outsider):
    scope = scope_of(owner)
    bookings.book(owner, world.room, at(1, 9), at(1, 10), scope=scope, holder=Holder(), purpose="会议")
    bookings.book(
        people.wang_user,
        world.room,
        at(1, 14),
        at(1, 15),
        scope=scope_of(people.wang_user),
        holder=Holder(resident=people.wang),
        purpose="康复",
    )
    cancelled = bookings.book(
        owner, world.field, at(1, 16), at(1, 17), scope=scope, holder=Holder(), purpose="取消的"
    )
    bookings.cancel(owner, cancelled, scope=scope)
    bookings.book(owner, world.room, at(2, 9), at(2, 10), scope=scope, holder=Holder(), purpose="明天的")
    day = at(1, 0).date()
    with CaptureQueriesContext(connection) as queries:
        found = selectors.today_bookings(scope, day)
        names = [(b.purpose, b.space.name, b.space.site.name if b.space.site else "") for b in found]
    assert len(queries) == 1
    assert names == [("会议", "乐活空间", "党群服务站"), ("康复", "乐活空间", "党群服务站")]
    assert selectors.today_bookings(scope_of(outsider), day) == []


def test_places_on_the_map(world, tree):
    Site.objects.create(area=tree.committee, name="旧服务点", kind="service_point", closed_at=NOW)
    found = selectors.places_on_map(tree.committee)
    assert [(type(p).__name__, p.name, p.map_x) for p in found] == [
        ("Site", "党群服务站", None),
        ("Space", "运动场", 30),
    ]
    assert selectors.places_on_map(tree.neighbour) == []


def test_free_times_skip_bookings_closures_and_the_past(world, owner):
    scope = scope_of(owner)
    bookings.book(owner, world.room, at(0, 13, 30), at(0, 14, 30), scope=scope, holder=Holder(), purpose="甲")
    days = selectors.days_free(opening_of(world.room), [(at(0, 13, 30), at(0, 14, 30))], NOW.date(), 2, NOW)
    zone = NOW.tzinfo
    today = [(start.astimezone(zone).time(), end.astimezone(zone).time()) for start, end in days[0].free]
    assert today == [(time(9), time(11, 30)), (time(14, 30), time(17))]
    assert len(days[1].free) == 2 and not days[1].is_full


def test_free_stretches_cut_in_the_middle():
    def d(hour: int) -> datetime:
        return datetime(2026, 12, 8, hour, tzinfo=NOW.tzinfo)

    assert selectors.free_stretches([(d(8), d(12))], [(d(9), d(10))], d(0)) == [(d(8), d(9)), (d(10), d(12))]
    assert selectors.free_stretches([(d(8), d(12))], [(d(7), d(13))], d(0)) == []


def test_a_space_at_no_site_is_listed_after_the_sites(world, tree):
    Space.objects.create(area=tree.committee, name="楼道角", kind="outdoor")
    groups = selectors.public_places(tree.committee)
    assert [g.site.name if g.site else None for g in groups] == ["党群服务站", None]
    assert [r.space.name for r in groups[1].spaces] == ["楼道角", "运动场"]
