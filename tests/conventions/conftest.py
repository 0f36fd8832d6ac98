"""The notice tests' world (residents with accounts in 62号楼 and 64号楼, a daughter acting for
her father, the building leader of 64号楼组, a resident of the neighbouring committee) and
conventions of 延长新村 in each phase."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from conventions import services
from conventions.models import ConventionVersion, VersionState
from conventions.services import ClauseDraft, ConventionDraft
from tests import fixtures
from tests.factories import UserFactory, grant, scope_of

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
leader = fixtures.leader
street_admin = fixtures.street_admin

CLAUSES = [
    ClauseDraft("居民凝聚类", "楼组居民互相认识，见面问声好。"),
    ClauseDraft("环境美化类", "楼道不堆放杂物，保持整洁。"),
    ClauseDraft("社区议事类", "楼组大事一起商量，少数服从多数。"),
    ClauseDraft("社区健康类", "每月参加一次健康讲座。"),
    ClauseDraft("邻里互助类", "关心独居老人，有事搭把手。"),
]


def make_convention(
    owner,
    area,
    *,
    state: str = VersionState.PUBLISHED,
    per_household: bool = False,
    title: str = "楼组健康公约",
) -> ConventionVersion:
    """A convention of the owner's committee for ``area``, brought to ``state`` through the
    services (the consultation closes today and is finalised tomorrow)."""
    scope = scope_of(owner)
    draft = ConventionDraft(
        title=title,
        area=area,
        preamble="为了共建健康楼组，全体居民共同遵守。",
        per_household=per_household,
        clauses=CLAUSES,
    )
    convention = services.create_convention(owner, scope, draft)
    version = convention.versions.get()
    today = timezone.localdate()
    if state != VersionState.DRAFT:
        version = services.open_consultation(scope, version, today, today=today)
    if state in (VersionState.FINAL, VersionState.PUBLISHED):
        version = services.finalise(scope, version, today=today + timedelta(days=1))
    if state == VersionState.PUBLISHED:
        version = services.publish(scope, version)
    return ConventionVersion.objects.select_related("convention__area", "convention__committee").get(
        pk=version.pk
    )


@pytest.fixture
def group_leader(tree):
    """张楼组长, the building leader of 62号楼组."""
    user = UserFactory.create(name="张楼组长", home_area=tree.group)
    grant(user, Role.BUILDING_LEADER, tree.group)
    return user


@pytest.fixture
def published(owner, tree, people):
    """The committee's health convention, published: every resident of 延长新村 signs."""
    return make_convention(owner, tree.committee)
