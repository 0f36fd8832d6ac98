"""A convention's phases: draft → consultation → final → published, amendments as new
versions, and every wrong step refused with a message that says why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEntry
from conventions import services
from conventions.models import Clause, Convention, ConventionVersion, VersionState
from conventions.services import ClauseDraft, ConventionDraft, parse_clauses
from tests.conventions.conftest import CLAUSES, make_convention
from tests.factories import scope_of

TODAY = timezone.localdate()


def _draft(area, **changes) -> ConventionDraft:
    values = {"title": "楼组健康公约", "area": area, "preamble": "序言", "clauses": list(CLAUSES)}
    values.update(changes)
    return ConventionDraft(**values)


def _messages(error) -> str:
    return " ".join(error.value.messages)


def test_parse_clauses_reads_theme_bar_text_lines():
    text = "社区健康类｜每月参加一次健康讲座\n不在楼道吸烟\n\n邻里互助类 | 关心独居老人\n无主题的条款"
    parsed = parse_clauses(text)
    assert [(c.theme, c.text) for c in parsed] == [
        ("社区健康类", "每月参加一次健康讲座"),
        ("社区健康类", "不在楼道吸烟"),
        ("邻里互助类", "关心独居老人"),
        ("邻里互助类", "无主题的条款"),
    ]


def test_a_draft_is_written_and_edited_freely(owner, tree):
    scope = scope_of(owner)
    convention = services.create_convention(owner, scope, _draft(tree.group))
    version = convention.versions.get()
    assert (convention.committee, convention.area, version.number, version.state) == (
        tree.committee,
        tree.group,
        1,
        VersionState.DRAFT,
    )
    assert [c.order for c in version.clauses.all()] == [1, 2, 3, 4, 5]
    kept = version.clauses.get(order=1)
    # Reordered (2 before 1), one changed, one removed, one added.
    clauses = [CLAUSES[1], CLAUSES[0], ClauseDraft("社区健康类", "每月量一次血压。"), CLAUSES[3], CLAUSES[4]]
    services.update_draft(scope, version, _draft(tree.building, title="62号楼健康公约", clauses=clauses[:4]))
    convention.refresh_from_db()
    assert convention.title == "62号楼健康公约" and convention.area == tree.building
    assert [(c.order, c.text) for c in version.clauses.all()] == [
        (1, CLAUSES[1].text),
        (2, CLAUSES[0].text),
        (3, "每月量一次血压。"),
        (4, CLAUSES[3].text),
    ]
    assert version.clauses.filter(pk=kept.pk).exists()  # rows are rewritten in place


def test_the_area_must_be_of_the_committee(owner, tree):
    with pytest.raises(ValidationError) as error:
        services.create_convention(owner, scope_of(owner), _draft(tree.neighbour_group))
    assert "Choose 延长新村居委会 or one of its parts." in _messages(error)
    with pytest.raises(ValidationError):
        services.create_convention(owner, scope_of(owner), _draft(tree.street))


def test_only_managers_of_the_committee_write_conventions(owner, outsider, leader, tree):
    with pytest.raises(PermissionDenied):
        services.create_convention(leader, scope_of(leader), _draft(tree.group))
    version = make_convention(owner, tree.group, state=VersionState.DRAFT)
    with pytest.raises(PermissionDenied):
        services.update_draft(scope_of(outsider), version, _draft(tree.group))
    with pytest.raises(PermissionDenied):
        services.open_consultation(scope_of(outsider), version, TODAY)


def test_consultation_makes_the_clauses_read_only(owner, tree):
    scope = scope_of(owner)
    version = make_convention(owner, tree.group, state=VersionState.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.open_consultation(scope, version, TODAY - timedelta(days=1))
    assert "close today or later" in _messages(error)
    with pytest.raises(ValidationError):
        services.open_consultation(scope, version, TODAY + timedelta(days=91))
    services.open_consultation(scope, version, TODAY + timedelta(days=14))
    version.refresh_from_db()
    assert version.state == VersionState.CONSULTATION and version.consultation_opened_at
    with pytest.raises(ValidationError) as error:
        services.update_draft(scope, version, _draft(tree.group))
    assert "can no longer be changed; amend it instead" in _messages(error)
    with pytest.raises(ValidationError) as error:
        services.open_consultation(scope, version, TODAY + timedelta(days=3))
    assert "Only a draft goes out for consultation" in _messages(error)


def test_an_empty_draft_is_not_put_to_residents(owner, tree):
    scope = scope_of(owner)
    convention = services.create_convention(owner, scope, _draft(tree.group, clauses=[]))
    with pytest.raises(ValidationError) as error:
        services.open_consultation(scope, convention.versions.get(), TODAY)
    assert "at least one clause" in _messages(error)


def test_finalising_waits_for_the_consultation_to_close(owner, tree):
    scope = scope_of(owner)
    draft = make_convention(owner, tree.group, state=VersionState.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.finalise(scope, draft)
    assert "open a consultation on the draft" in _messages(error)
    services.open_consultation(scope, draft, TODAY + timedelta(days=7))
    with pytest.raises(ValidationError) as error:
        services.finalise(scope, draft, today=TODAY + timedelta(days=7))
    assert "finalise the text after it has closed" in _messages(error)
    final = services.finalise(scope, draft, today=TODAY + timedelta(days=8))
    assert final.state == VersionState.FINAL and final.finalised_at
    with pytest.raises(ValidationError) as error:
        services.finalise(scope, final, today=TODAY + timedelta(days=9))
    assert "already Final" in _messages(error)


def test_only_a_final_text_is_published(owner, tree):
    scope = scope_of(owner)
    for state in (VersionState.DRAFT, VersionState.CONSULTATION):
        version = make_convention(owner, tree.group, state=state, title=f"公约{state}")
        with pytest.raises(ValidationError) as error:
            services.publish(scope, version)
        assert "finalise version 1 first" in _messages(error)
    final = make_convention(owner, tree.group, state=VersionState.FINAL)
    published = services.publish(scope, final)
    assert published.state == VersionState.PUBLISHED and published.published_at
    with pytest.raises(ValidationError):
        services.publish(scope, published)


def test_every_phase_change_is_in_the_audit_log(owner, tree):
    version = make_convention(owner, tree.group)
    actions = list(
        AuditEntry.objects.filter(object_id=str(version.pk), content_type__model="conventionversion")
        .exclude(action__in=["create", "update"])
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert actions == ["consultation", "finalise", "publish"]
    assert AuditEntry.objects.filter(action="publish", area_path=tree.committee.path).exists()
    # The state itself changes through ordinary saves, which the audit signals log too.
    states = AuditEntry.objects.filter(action="update", object_id=str(version.pk)).values_list(
        "changes", flat=True
    )
    assert ["consultation", "final"] in [c.get("state") for c in states]


def test_an_amendment_is_a_new_version_copied_from_the_published_text(owner, tree):
    scope = scope_of(owner)
    first = make_convention(owner, tree.group)
    convention = first.convention
    second = services.amend(scope, convention)
    assert (second.number, second.state, second.preamble) == (2, VersionState.DRAFT, first.preamble)
    assert [(c.theme, c.text) for c in second.clauses.all()] == [(c.theme, c.text) for c in CLAUSES]
    with pytest.raises(ValidationError) as error:
        services.amend(scope, convention)
    assert "Version 2 is still Draft" in _messages(error)
    # Whom it is for is settled; the text is not.
    with pytest.raises(ValidationError) as error:
        services.update_draft(scope, second, _draft(tree.building))
    assert "whom it is for and how it is signed" in _messages(error)
    services.update_draft(scope, second, _draft(tree.group, clauses=[*CLAUSES, ClauseDraft("", "新增条款")]))
    assert first.clauses.count() == 5 and second.clauses.count() == 6
    services.open_consultation(scope, second, TODAY)
    services.finalise(scope, second, today=TODAY + timedelta(days=1))
    services.publish(scope, second)
    first.refresh_from_db()
    assert first.state == VersionState.SUPERSEDED and first.superseded_at
    assert ConventionVersion.objects.get(pk=second.pk).state == VersionState.PUBLISHED


def test_a_draft_that_was_never_out_may_be_discarded(owner, tree):
    scope = scope_of(owner)
    version = make_convention(owner, tree.group, state=VersionState.DRAFT)
    assert services.discard_draft(scope, version) is None
    assert not Convention.objects.exists() and not Clause.objects.exists()
    published = make_convention(owner, tree.group)
    amendment = services.amend(scope, published.convention)
    assert services.discard_draft(scope, amendment) == published.convention
    with pytest.raises(ValidationError):
        services.discard_draft(scope, published)


def test_the_database_keeps_one_open_and_one_published_version(owner, tree):
    version = make_convention(owner, tree.group)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConventionVersion.objects.create(
            convention=version.convention, number=2, state=VersionState.PUBLISHED
        )
    ConventionVersion.objects.create(convention=version.convention, number=2, state=VersionState.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConventionVersion.objects.create(
            convention=version.convention, number=3, state=VersionState.CONSULTATION
        )
