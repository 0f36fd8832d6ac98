"""Projects' world: 延长新村's social worker and a street admin of 大宁路街道, a volunteer team and
a social organisation, an approved project, and a street round in its call with a rubric of
three criteria (40/30/30, out of 10) and five judges (staff accounts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from partners.models import PartnerUnit, UnitKind
from projects.models import (
    BudgetLine,
    Criterion,
    Eligibility,
    Entry,
    GovernanceStatus,
    Judge,
    Project,
    ProposerKind,
    Round,
    RoundPhase,
)
from tests import fixtures
from tests.factories import UserFactory, grant
from volunteers.models import Team, TeamKind

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
street_admin = fixtures.street_admin


@pytest.fixture
def worker(tree) -> User:
    user = UserFactory.create(name="社工甲", home_area=tree.committee)
    grant(user, Role.SOCIAL_WORKER, tree.committee)
    return user


@pytest.fixture
def neighbour_worker(tree) -> User:
    user = UserFactory.create(name="慧芝湖社工", home_area=tree.neighbour)
    grant(user, Role.SOCIAL_WORKER, tree.neighbour)
    return user


@pytest.fixture
def team(tree) -> Team:
    return Team.objects.create(area=tree.committee, name="楼道美化队", kind=TeamKind.SELF_GOVERNANCE)


@pytest.fixture
def social_org(tree) -> PartnerUnit:
    return PartnerUnit.objects.create(area=tree.street, name="睦邻社工服务社", kind=UnitKind.SOCIAL_ORG)


def make_project(area, title="楼道微更新", status=GovernanceStatus.APPROVED, team=None, **extra) -> Project:
    project = Project.objects.create(
        area=area,
        title=title,
        kind="renewal",
        summary="把62号楼楼道刷新，装扶手。",
        proposer_kind=ProposerKind.TEAM if team else ProposerKind.STAFF,
        team=team,
        status=status,
        **extra,
    )
    BudgetLine.objects.create(project=project, item="油漆", amount=Decimal("1200.00"))
    BudgetLine.objects.create(project=project, item="扶手", amount=Decimal("3800.50"))
    return project


@pytest.fixture
def project(tree, team) -> Project:
    return make_project(tree.committee, team=team)


@dataclass
class Contest:
    round: Round
    criteria: list[Criterion]
    judges: list[Judge]

    def entry(self, project: Project, eligible=True) -> Entry:
        return Entry.objects.create(
            round=self.round,
            project=project,
            area=project.area,
            eligibility=Eligibility.ELIGIBLE if eligible else Eligibility.PENDING,
        )

    def judging(self) -> None:
        self.round.phase = RoundPhase.JUDGING
        self.round.call_closes = timezone.localdate() - timedelta(days=1)
        self.round.call_opens = self.round.call_closes - timedelta(days=30)
        self.round.save()


@pytest.fixture
def contest(tree) -> Contest:
    today = timezone.localdate()
    round_ = Round.objects.create(
        area=tree.street,
        title="2026年睦邻微项目大赛",
        year=today.year,
        call_opens=today - timedelta(days=10),
        call_closes=today + timedelta(days=10),
        pick=2,
    )
    criteria = [
        Criterion.objects.create(round=round_, name="需求", weight=40, max_points=10, position=0),
        Criterion.objects.create(round=round_, name="参与", weight=30, max_points=10, position=1),
        Criterion.objects.create(round=round_, name="可持续", weight=30, max_points=10, position=2),
    ]
    judges = []
    for n in range(5):
        user = UserFactory.create(name=f"评委{n}", home_area=tree.street)
        grant(user, Role.STREET_ADMIN, tree.street)
        judges.append(Judge.objects.create(round=round_, user=user))
    return Contest(round_, criteria, judges)
