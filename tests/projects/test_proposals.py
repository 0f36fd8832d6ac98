"""Governance projects: who proposes them, the budget, the statuses, milestones, the report."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from projects import proposals
from projects.models import BudgetLine, GovernanceStatus, Project, ProposerKind
from projects.rules import runs
from tests.factories import scope_of


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(out, "PNG")
    return out.getvalue()


def draft(**changes) -> proposals.ProjectDraft:
    values = {
        "title": "漂流空间",
        "kind": "self_governance",
        "summary": "志愿者管理的共享阅览室。",
        "budget": [("书架", Decimal("800.00")), ("图书", Decimal("1500.00"))],
    }
    return proposals.ProjectDraft(**(values | changes))


def test_a_team_proposes_a_project_with_its_budget(worker, team, english):
    made = proposals.propose(
        worker, draft(proposer_kind=ProposerKind.TEAM, team=team), scope=scope_of(worker)
    )
    assert made.status == GovernanceStatus.PROPOSED
    assert made.proposer_public == "楼道美化队"
    assert sorted(made.budget.values_list("amount", flat=True)) == [Decimal("800.00"), Decimal("1500.00")]


def test_a_social_organisation_of_the_street_proposes(worker, social_org, english):
    made = proposals.propose(
        worker, draft(proposer_kind=ProposerKind.SOCIAL_ORG, partner=social_org), scope=scope_of(worker)
    )
    assert made.partner == social_org


def test_a_resident_proposer_is_not_named_to_the_public(worker, people, english):
    made = proposals.propose(
        worker, draft(proposer_kind=ProposerKind.RESIDENT, resident=people.wang), scope=scope_of(worker)
    )
    assert "王建国" not in made.proposer_public


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"budget": [("书架", Decimal("-5"))]}, "budget", "more than 0"),
        ({"budget": [("书架", Decimal("1.001"))]}, "budget", "to the fen"),
        ({"title": " "}, "title", "title"),
        ({"proposer_kind": ProposerKind.TEAM}, "team", "volunteer team"),
    ],
)
def test_bad_proposals_are_refused_and_change_nothing(worker, english, changes, field, words):
    with pytest.raises(ValidationError) as caught:
        proposals.propose(worker, draft(**changes), scope=scope_of(worker))
    assert words in " ".join(caught.value.message_dict[field])
    assert not Project.objects.exists() and not BudgetLine.objects.exists()


def test_another_committees_staff_do_not_keep_it(project, neighbour_worker, english):
    scope = scope_of(neighbour_worker)
    assert not runs(scope, project)
    with pytest.raises(PermissionDenied):
        proposals.move(project, GovernanceStatus.RUNNING, scope=scope)


def test_statuses_move_in_order_and_refusal_needs_a_reason(worker, tree, english):
    scope = scope_of(worker)
    made = proposals.propose(worker, draft(), scope=scope)
    with pytest.raises(ValidationError, match="cannot become Finished"):
        proposals.move(made, GovernanceStatus.FINISHED, scope=scope)
    with pytest.raises(ValidationError, match="why"):
        proposals.move(made, GovernanceStatus.REFUSED, scope=scope)
    proposals.move(made, GovernanceStatus.APPROVED, scope=scope)
    made = proposals.move(made, GovernanceStatus.RUNNING, scope=scope)
    assert made.starts_on == timezone.localdate()
    with pytest.raises(ValidationError, match="end report"):
        proposals.move(made, GovernanceStatus.FINISHED, scope=scope)
    proposals.write_report(made, "书架装好，每月借阅200次。", scope=scope)
    made = proposals.move(made, GovernanceStatus.FINISHED, scope=scope)
    assert made.status == GovernanceStatus.FINISHED


def test_milestones_are_marked_done_with_a_note(worker, project, english):
    scope = scope_of(worker)
    milestone = proposals.add_milestone(
        project, "完成设计", timezone.localdate() + timedelta(days=5), scope=scope
    )
    assert not milestone.is_done
    with pytest.raises(ValidationError, match="already come"):
        proposals.mark_done(milestone, timezone.localdate() + timedelta(days=1), "", scope=scope)
    proposals.mark_done(milestone, None, "居民议事会通过", scope=scope)
    milestone.refresh_from_db()
    assert milestone.is_done and milestone.note == "居民议事会通过"


def test_report_photos_are_images_only(worker, project, english):
    scope = scope_of(worker)
    project.status = GovernanceStatus.RUNNING
    project.save()
    with pytest.raises(ValidationError, match="not a photo"):
        proposals.add_photos(worker, project, [SimpleUploadedFile("a.png", b"nope")], scope=scope)
    made = proposals.add_photos(worker, project, [SimpleUploadedFile("a.png", png())], scope=scope)
    assert project.photos.count() == 1 and made[0].stored_name.endswith(".png")
