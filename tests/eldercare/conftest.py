"""A watch world in 延长新村: 刘阿姨 (living alone, 85) in 62号楼 with a building leader, a
neighbour and a daughter (a registered family proxy) as watchers and contact; 钱伯伯 (80+,
no tag) a candidate; a watched resident of the neighbouring committee. The clock is a
fixed Tuesday in Shanghai."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from accounts.roles import Role
from eldercare.models import Watch, Watcher, WatcherKind
from registry.models import Proxy, Resident, ResidentTag, Tag
from tests import fixtures
from tests.factories import UserFactory, grant, household, local
from tests.factories import resident as make_resident

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 24)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


english = fixtures.english
immediate_tasks = fixtures.immediate_tasks


@dataclass
class World:
    liu: Resident
    qian: Resident
    watch: Watch
    far_watch: Watch
    leader: User
    neighbour: User
    daughter: User
    far_worker: User


@pytest.fixture
def world(tree, owner, colleague, outsider) -> World:
    leader = UserFactory.create(name="张楼组长", home_area=tree.group)
    grant(leader, Role.BUILDING_LEADER, tree.group)
    neighbour = UserFactory.create(name="邻居孙", home_area=tree.building)
    daughter = UserFactory.create(name="刘阿姨的女儿")
    liu = make_resident(
        household(tree.building, "101"), "刘阿姨", birth_date=date(1941, 8, 15), phone="13900000001"
    )
    ResidentTag.objects.create(resident=liu, tag=Tag.LIVING_ALONE)
    Proxy.objects.create(resident=liu, user=daughter, relation="女儿")
    qian = make_resident(household(tree.building, "102"), "钱伯伯", birth_date=date(1944, 2, 2))
    watch = Watch.objects.create(
        resident=liu,
        committee=tree.committee,
        checks_from=date(2026, 11, 1),
        family_name=daughter.name,
        family_relation="女儿",
        family_phone=daughter.phone,
        family_user=daughter,
    )
    Watcher.objects.create(watch=watch, user=leader, kind=WatcherKind.BUILDING_LEADER)
    Watcher.objects.create(watch=watch, user=neighbour, kind=WatcherKind.NEIGHBOUR)
    far_building = local(tree.neighbour_group, "building", "慧芝湖1号楼", 1)
    far_person = make_resident(household(far_building, "201"), "慧芝湖老人", birth_date=date(1940, 1, 1))
    far_watch = Watch.objects.create(
        resident=far_person,
        committee=tree.neighbour,
        checks_from=date(2026, 11, 1),
        family_phone="13900009999",
    )
    return World(liu, qian, watch, far_watch, leader, neighbour, daughter, outsider)
