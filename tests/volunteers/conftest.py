"""The volunteers' world, shared by every part's tests: the residents of the notice tests
(``people``: 王建国 and 李秀英 of 62号楼 with accounts, …), a service team of 延长新村 with
two groups, a resident volunteer (王建国), and a team leader (李秀英, a volunteer who leads
the team). Each part's own fixtures live in its own test files."""

from __future__ import annotations

import re
from datetime import date

import pytest

from notifications import backends
from tests import fixtures
from tests.factories import scope_of
from volunteers import profiles
from volunteers import teams as team_services
from volunteers.models import (
    Membership,
    MembershipStatus,
    Team,
    TeamCategory,
    TeamKind,
    Volunteer,
    VolunteerKind,
)

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
street_admin = fixtures.street_admin


@pytest.fixture(autouse=True)
def _default_services(db):
    """The city-wide services, written by a data migration; again after a flushing test."""
    profiles.ensure_default_services()


def make_team(owner, name="民心在线服务队", **extra) -> Team:
    draft = team_services.TeamDraft(
        name=name,
        kind=extra.pop("kind", TeamKind.SERVICE),
        about=extra.pop("about", "为老服务、便民服务"),
        meets=extra.pop("meets", "每月15日上午 居委会门口"),
        how_to_join=extra.pop("how_to_join", "点“申请加入”，队长会联系你"),
        **extra,
    )
    return team_services.create_team(draft, scope=scope_of(owner))


def make_volunteer(
    committee, name, *, user=None, resident=None, phone="", kind=VolunteerKind.RESIDENT
) -> Volunteer:
    return Volunteer.objects.create(
        committee=committee, name=name, user=user, resident=resident, phone=phone, kind=kind
    )


def member(team: Team, volunteer: Volunteer, *, leader=False, category=None, joined_on=None) -> Membership:
    return Membership.objects.create(
        team=team,
        volunteer=volunteer,
        category=category,
        is_leader=leader,
        status=MembershipStatus.ACTIVE,
        joined_on=joined_on or date(2024, 1, 1),
    )


@pytest.fixture
def groups(tree):
    """Two of 宁聚883's groups, defined by 延长新村."""
    return [
        TeamCategory.objects.create(area=tree.committee, name="在职党员", position=1),
        TeamCategory.objects.create(area=tree.committee, name="退役军人", position=2),
    ]


@pytest.fixture
def team(owner, groups):
    """民心在线服务队 of 延长新村, with the two groups, open to join."""
    return make_team(owner, categories=groups)


@pytest.fixture
def volunteer(tree, people):
    """王建国, a resident of 62号楼 registered as a volunteer from his account."""
    return profiles.register_resident(people.wang_user, profiles.Profile())


@pytest.fixture
def leader(tree, people, team, groups):
    """李秀英, a resident volunteer who leads 民心在线服务队 (a member since 2024)."""
    found = profiles.register_resident(people.li_user, profiles.Profile())
    member(team, found, leader=True, category=groups[0])
    return found


def last_code() -> str:
    """The six-digit code of the last SMS sent (the phone check's)."""
    found = re.search(r"\b(\d{6})\b", backends.outbox[-1].text)
    assert found is not None
    return found.group(1)
