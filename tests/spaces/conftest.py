"""The spaces' world: 延长新村's 党群服务站 (a site) with 乐活空间 (a room for 20, open every
day 8:00–11:30 and 13:30–17:00), the outdoor 乐动空间 (open to all, not booked) and the sports
field (weekday mornings kept for residents 55+, Tuesday and Thursday 7:00–9:00 the 太极拳队's
priority time); the residents of ``people`` (王建国 born 1960, 李秀英 1962, 赵老伯 1940 for
whom his daughter acts); 太极拳队 with its leader; a partner unit, 社区卫生服务中心, with its
contact; and the committee's social worker (``owner``).

Time stands still at Monday 7 December 2026, 9:00 in Shanghai (``clock``): every "next
Tuesday" is the same day in every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from accounts.roles import Role
from partners.models import PartnerContact, PartnerUnit
from spaces.models import AudienceRule, OpeningHours, PrioritySlot, Site, SiteKind, Space, SpaceKind
from tests import fixtures
from tests.factories import UserFactory, grant, household, id_number
from tests.factories import resident as make_resident
from tests.fixtures import give_account
from volunteers.models import Membership, Team, TeamKind, Volunteer

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)  # a Monday
FIELD_RULE = "周一至周五 8:00–11:30 仅限55岁及以上居民"


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """``days`` after the clock's Monday, at ``hour``:``minute`` Shanghai time."""
    return datetime.combine(NOW.date() + timedelta(days=days), time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@dataclass
class World:
    site: Site
    room: Space  # 乐活空间
    outdoor: Space  # 乐动空间, open to all
    field: Space  # 运动场 with the 55+ rule and the team's priority
    team: Team
    team_leader: User
    unit: PartnerUnit
    unit_contact: User
    owner: User
    young: User  # 小刘, born 1995, a resident of 62号楼 with an account


def open_every_day(space: Space, *stretches: tuple[time, time]) -> None:
    OpeningHours.objects.bulk_create(
        [OpeningHours(space=space, weekday=d, opens=o, closes=c) for d in range(7) for o, c in stretches]
    )


@pytest.fixture
def world(tree, owner, people) -> World:
    site = Site.objects.create(
        area=tree.committee, name="党群服务站", kind=SiteKind.CENTRE, address="延长路1号"
    )
    room = Space.objects.create(
        area=tree.committee,
        site=site,
        name="乐活空间",
        kind=SpaceKind.ROOM,
        capacity=20,
        equipment="康复器材、血压计",
        how_to_book="在线预约，或到居委会登记",
    )
    open_every_day(room, (time(8), time(11, 30)), (time(13, 30), time(17)))
    outdoor = Space.objects.create(
        area=tree.committee, site=site, name="乐动空间", kind=SpaceKind.OUTDOOR, bookable=False
    )
    field = Space.objects.create(
        area=tree.committee, name="运动场", kind=SpaceKind.FIELD, capacity=40, map_x=30, map_y=60
    )
    open_every_day(field, (time(6), time(20)))
    AudienceRule.objects.create(
        space=field, weekdays="0,1,2,3,4", starts=time(8), ends=time(11, 30), min_age=55, note=FIELD_RULE
    )
    team = Team.objects.create(area=tree.committee, name="太极拳队", kind=TeamKind.SELF_GOVERNANCE)
    PrioritySlot.objects.create(space=field, team=team, weekdays="1,3", starts=time(7), ends=time(9))
    team_leader = UserFactory.create(name="队长老周", home_area=tree.committee)
    leader_profile = Volunteer.objects.create(
        committee=tree.committee, user=team_leader, name="队长老周", kind="resident"
    )
    Membership.objects.create(team=team, volunteer=leader_profile, is_leader=True, status="active")
    unit = PartnerUnit.objects.create(area=tree.committee, name="社区卫生服务中心", kind="clinic")
    unit_contact = UserFactory.create(name="卫生中心小陈", home_area=tree.committee)
    grant(unit_contact, Role.PARTNER_UNIT, tree.committee)
    PartnerContact.objects.create(unit=unit, user=unit_contact)
    home = household(tree.building, "402")
    young = give_account(make_resident(home, "小刘", number=id_number("1995-06-01")), "小刘", "13900002001")
    return World(site, room, outdoor, field, team, team_leader, unit, unit_contact, owner, young)
