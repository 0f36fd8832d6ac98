"""Signing: online, through a family member, on paper ticked by a building leader; one live
signature per resident or household, kept by the database too; withdrawing and signing again;
old versions keep their signatures. And commenting during consultation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from audit.models import AuditEntry
from common.scope import NO_SCOPE
from conventions import services, signing
from conventions.models import Signature, SignatureVia, VersionState
from registry.models import Resident
from tests.conventions.conftest import make_convention
from tests.factories import scope_of


def _messages(error) -> str:
    return " ".join(error.value.messages)


def test_a_resident_signs_online_once(published, people):
    made = signing.sign(people.wang_user, people.wang, published)
    assert (made.via, made.key, made.recorded_by, made.household) == (
        SignatureVia.ONLINE,
        f"r:{people.wang.pk}",
        people.wang_user,
        people.wang.household,
    )
    with pytest.raises(ValidationError) as error:
        signing.sign(people.wang_user, people.wang, published)
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    assert _messages(error) == f"王建国 already signed on {today}."
    # His wife signs for herself: one signature per resident.
    assert signing.sign(people.li_user, people.li, published).key == f"r:{people.li.pk}"
    assert AuditEntry.objects.filter(content_type__model="signature", action="create").count() == 2


def test_the_database_refuses_a_second_live_signature(published, people):
    signing.sign(people.wang_user, people.wang, published)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            version=published,
            resident=people.wang,
            household=people.wang.household,
            key=f"r:{people.wang.pk}",
        )


def test_a_double_signature_past_the_check_reads_as_a_message(published, people, monkeypatch):
    """Two taps at once: the second passes the Python check before the first is written; the
    unique index refuses it, and the resident reads why instead of an error page."""
    signing.sign(people.wang_user, people.wang, published)
    monkeypatch.setattr(signing, "live_signature", lambda version, resident: None)
    with pytest.raises(ValidationError) as error:
        signing.sign(people.wang_user, people.wang, published)
    assert _messages(error) == "王建国 has already signed this convention."
    assert Signature.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_one_signature_per_household_when_the_convention_says_so(owner, tree, people, monkeypatch):
    version = make_convention(owner, tree.committee, per_household=True)
    made = signing.sign(people.li_user, people.li, version)
    assert made.key == f"h:{people.li.household_id}"
    with pytest.raises(ValidationError) as error:
        signing.sign(people.wang_user, people.wang, version)
    assert "The household 62号楼 room 301 already signed on" in _messages(error) and "(李秀英)" in _messages(
        error
    )
    monkeypatch.setattr(signing, "live_signature", lambda version, resident: None)
    with pytest.raises(ValidationError) as error:
        signing.sign(people.wang_user, people.wang, version)
    assert _messages(error) == "The household 62号楼 room 301 has already signed this convention."
    # Any member may take the household's signature back, then sign it himself.
    signing.withdraw(people.wang_user, made, scope=NO_SCOPE)
    assert signing.sign(people.wang_user, people.wang, version).resident == people.wang


def test_a_daughter_signs_for_her_father_and_nobody_else(published, people):
    made = signing.sign(people.daughter, people.zhao, published)
    assert made.via == SignatureVia.PROXY and made.recorded_by == people.daughter
    with pytest.raises(PermissionDenied):
        signing.sign(people.daughter, people.sun, published)
    with pytest.raises(PermissionDenied):
        signing.sign(people.wang_user, people.zhao, published)


def test_only_residents_of_the_area_sign(owner, tree, people):
    version = make_convention(owner, tree.group)  # 62号楼组 only
    signing.sign(people.wang_user, people.wang, version)
    with pytest.raises(ValidationError) as error:
        signing.sign(people.daughter, people.zhao, version)
    assert _messages(error) == "This convention is for residents of 62号楼组; 赵老伯 lives in 64号楼."
    moved = people.li
    Resident.objects.filter(pk=moved.pk).update(status="moved_out")
    moved.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        signing.sign(people.li_user, moved, version)
    assert "not a current resident" in _messages(error)


@pytest.mark.parametrize("state", [VersionState.DRAFT, VersionState.CONSULTATION])
def test_signing_opens_when_the_text_is_final(owner, tree, people, state):
    version = make_convention(owner, tree.committee, state=state)
    with pytest.raises(ValidationError) as error:
        signing.sign(people.wang_user, people.wang, version)
    assert _messages(error) == "Not yet open for signing: residents sign once the text is final."


def test_the_signing_ceremony_is_before_publication(owner, tree, people):
    final = make_convention(owner, tree.committee, state=VersionState.FINAL)
    signing.sign(people.wang_user, people.wang, final)
    published = services.publish(scope_of(owner), final)
    assert published.signatures.count() == 1
    signing.sign(people.li_user, people.li, published)  # and it stays open on the wall


def test_withdraw_and_sign_again(published, people):
    first = signing.sign(people.wang_user, people.wang, published)
    gone = signing.withdraw(people.wang_user, first, scope=NO_SCOPE)
    assert gone.withdrawn_at and gone.withdrawn_by == people.wang_user
    with pytest.raises(ValidationError) as error:
        signing.withdraw(people.wang_user, first, scope=NO_SCOPE)
    assert "already withdrawn" in _messages(error)
    again = signing.sign(people.wang_user, people.wang, published)
    assert again.pk != first.pk
    assert Signature.objects.filter(resident=people.wang).count() == 2
    with pytest.raises(PermissionDenied):
        signing.withdraw(people.li_user, again, scope=NO_SCOPE)


def test_a_building_leader_ticks_paper_signatures_in_their_group(published, people, leader, group_leader):
    made = signing.record_paper(leader, scope_of(leader), published, people.sun)  # 64号楼组
    assert (made.via, made.recorded_by) == (SignatureVia.PAPER, leader)
    with pytest.raises(PermissionDenied) as error:
        signing.record_paper(leader, scope_of(leader), published, people.wang)  # 62号楼
    assert "lives outside your area" in str(error.value)
    signing.record_paper(group_leader, scope_of(group_leader), published, people.wang)
    with pytest.raises(ValidationError):
        signing.record_paper(group_leader, scope_of(group_leader), published, people.wang)
    # A tick made by mistake is undone by the leader; an online signature is not theirs to undo.
    signing.withdraw(leader, made, scope=scope_of(leader))
    online = signing.sign(people.li_user, people.li, published)
    with pytest.raises(PermissionDenied) as error:
        signing.withdraw(group_leader, online, scope=scope_of(group_leader))
    assert "Only the resident" in str(error.value)


def test_a_resident_may_withdraw_a_paper_signature_made_for_them(published, people, group_leader):
    made = signing.record_paper(group_leader, scope_of(group_leader), published, people.wang)
    assert signing.withdraw(people.wang_user, made, scope=NO_SCOPE).withdrawn_by == people.wang_user


def test_volunteers_do_not_record_signatures(published, people, tree):
    from accounts.roles import Role
    from tests.factories import UserFactory, grant

    volunteer = UserFactory.create(name="志愿者")
    grant(volunteer, Role.VOLUNTEER, tree.committee)
    with pytest.raises(PermissionDenied):
        signing.record_paper(volunteer, scope_of(volunteer), published, people.wang)


def test_a_superseded_version_keeps_its_signatures(owner, published, people):
    scope = scope_of(owner)
    old = signing.sign(people.wang_user, people.wang, published)
    second = services.amend(scope, published.convention)
    # The published text stays open for signing while the amendment is on its way.
    signing.sign(people.li_user, people.li, published)
    services.open_consultation(scope, second, timezone.localdate())
    services.finalise(scope, second, today=timezone.localdate() + timedelta(days=1))
    services.publish(scope, second)
    published.refresh_from_db()
    assert (
        published.state == VersionState.SUPERSEDED
        and published.signatures.filter(withdrawn_at=None).count() == 2
    )
    with pytest.raises(ValidationError) as error:
        signing.sign(people.daughter, people.zhao, published)
    assert "Version 1 was replaced by a newer text; its signatures stay with it." in _messages(error)
    with pytest.raises(ValidationError) as error:
        signing.withdraw(people.wang_user, old, scope=NO_SCOPE)
    assert "kept as they were" in _messages(error)
    second.refresh_from_db()
    assert signing.sign(people.wang_user, people.wang, second).version == second  # afresh


# --- Comments during consultation -----------------------------------------------------------


def test_residents_comment_on_clauses_during_consultation(owner, tree, people):
    version = make_convention(owner, tree.committee, state=VersionState.CONSULTATION)
    clause = version.clauses.get(order=4)
    made = signing.comment(people.wang_user, people.wang, clause, "  讲座能不能放在周末？ ")
    assert (made.text, made.written_by) == ("讲座能不能放在周末？", people.wang_user)
    by_daughter = signing.comment(people.daughter, people.zhao, clause, "父亲行动不便，希望上门。")
    assert by_daughter.resident == people.zhao and by_daughter.written_by == people.daughter
    with pytest.raises(PermissionDenied):
        signing.comment(people.daughter, people.sun, clause, "代别人说")
    with pytest.raises(ValidationError):
        signing.comment(people.wang_user, people.wang, clause, "   ")
    for text in ("二", "三"):
        signing.comment(people.wang_user, people.wang, clause, text)
    with pytest.raises(ValidationError) as error:
        signing.comment(people.wang_user, people.wang, clause, "四")
    assert "3 times already" in _messages(error)


def test_comments_only_while_the_consultation_is_open(owner, tree, people):
    version = make_convention(owner, tree.group, state=VersionState.CONSULTATION)
    clause = version.clauses.first()
    assert clause is not None
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        signing.comment(people.wang_user, people.wang, clause, "晚了", today=tomorrow)
    assert "The consultation closed on" in _messages(error)
    with pytest.raises(ValidationError) as error:
        signing.comment(people.daughter, people.zhao, clause, "不是本楼组")
    assert "for residents of 62号楼组" in _messages(error)
    services.finalise(scope_of(owner), version, today=tomorrow)
    with pytest.raises(ValidationError) as error:
        signing.comment(people.wang_user, people.wang, clause, "定稿后")
    assert "only while the draft is in consultation" in _messages(error)
