"""The partner units' world: a clinic of 延长新村, a school of the street (大宁路街道) shared
by its committees, a firm of the neighbouring committee, and the people who act for them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import User
from accounts.roles import Role
from partners.models import PartnerContact, PartnerUnit, UnitKind
from tests import fixtures
from tests.factories import UserFactory, grant

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
street_admin = fixtures.street_admin


def make_unit(area, name: str, kind: str = UnitKind.CLINIC, **extra) -> PartnerUnit:
    return PartnerUnit.objects.create(area=area, name=name, kind=kind, **extra)


def partner_login(unit: PartnerUnit, name: str, area=None) -> User:
    """Someone who acts for ``unit``: the partner-unit role over its area and a current contact."""
    user = UserFactory.create(name=name, home_area=unit.area)
    grant(user, Role.PARTNER_UNIT, area or unit.area)
    PartnerContact.objects.create(unit=unit, user=user)
    return user


@dataclass
class Units:
    clinic: PartnerUnit  # 延长新村's
    school: PartnerUnit  # the street's
    firm: PartnerUnit  # 慧芝湖花园's
    doctor: User  # acts for the clinic
    clerk: User  # acts for the firm


@pytest.fixture
def units(tree) -> Units:
    clinic = make_unit(tree.committee, "大宁社区卫生服务中心", address="共和新路1号")
    school = make_unit(tree.street, "大宁路小学", UnitKind.SCHOOL)
    firm = make_unit(tree.neighbour, "慧芝湖律师事务所", UnitKind.LAW_OFFICE)
    return Units(clinic, school, firm, partner_login(clinic, "陈医生"), partner_login(firm, "李律师"))
