"""A committee to visit: 延长新村 with 62号楼组 (62号楼: three households) and 64号楼组
(64号楼: two households), its social worker (owner), its lead (colleague), the building
leader of 64号楼组, and a request category from the demands app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from accounts.models import User
from accounts.roles import Role
from areas.models import Area
from registry.models import Household, Resident
from tests import fixtures
from tests.factories import UserFactory, grant, household, id_number
from tests.factories import resident as make_resident

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks

TODAY = date(2026, 11, 24)


@dataclass
class Homes:
    a301: Household  # 62号楼 301: 王建国 and 李秀英
    a302: Household  # 62号楼 302: 赵老伯, living alone
    a401: Household  # 62号楼 401: nobody recorded
    b101: Household  # 64号楼 101: 孙阿姨
    b102: Household  # 64号楼 102: 钱先生
    wang: Resident
    li: Resident
    zhao: Resident
    sun: Resident
    qian: Resident
    building2: Area


@pytest.fixture
def homes(tree, building2) -> Homes:
    a301, a302, a401 = (household(tree.building, room) for room in ("301", "302", "401"))
    b101, b102 = (household(building2, room) for room in ("101", "102"))
    wang = make_resident(a301, "王建国", number=id_number("1960-03-01"))
    li = make_resident(a301, "李秀英", number=id_number("1962-05-01", male=False), relation="spouse")
    zhao = make_resident(a302, "赵老伯", number=id_number("1940-01-02"))
    sun = make_resident(b101, "孙阿姨", number=id_number("1950-01-02", male=False))
    qian = make_resident(b102, "钱先生", number=id_number("1970-01-02"))
    return Homes(a301, a302, a401, b101, b102, wang, li, zhao, sun, qian, building2)


@pytest.fixture
def leader(tree, building2) -> User:
    """周楼组长, the building leader of 64号楼组."""
    user = UserFactory.create(name="周楼组长", home_area=building2.parent)
    grant(user, Role.BUILDING_LEADER, building2.parent)
    return user


@pytest.fixture
def category(tree):
    from demands.models import Category

    return Category.objects.create(committee=tree.committee, name="助洁", service_hours=72)
