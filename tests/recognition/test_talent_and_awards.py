"""Local talent and awards: offering and confirming a skill, found by skill; nominations, the
public vote through deliberation's poll (one per resident), the committee's decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deliberation import polls
from recognition import awards, selectors, talent
from recognition.models import Nomination, TalentStatus
from tests.factories import scope_of

pytestmark = pytest.mark.django_db


def _draft(**extra) -> talent.TalentDraft:
    return talent.TalentDraft(**{"shown_as": "王阿姨", "skills": "剪纸、编织", "tags": ["craft"], **extra})


def test_a_resident_offers_a_skill_and_staff_confirm_it(people, owner, tree):
    offered = talent.offer(people.wang_user, people.wang, _draft())
    assert offered.is_offered
    assert not selectors.public_talent(tree.committee).exists()
    talent.confirm(owner, offered, scope=scope_of(owner))
    found = list(selectors.public_talent(tree.street, "剪纸"))
    assert [t.shown_as for t in found] == ["王阿姨"]
    assert list(selectors.public_talent(tree.street, "Handicraft")) == found
    assert not selectors.public_talent(tree.street, "法律").exists()


def test_one_may_offer_only_for_oneself_and_only_once(people, owner):
    with pytest.raises(PermissionDenied):
        talent.offer(people.wang_user, people.li, _draft())
    talent.offer(people.daughter, people.zhao, _draft(shown_as="赵老伯"))
    with pytest.raises(ValidationError, match="already among"):
        talent.add_talent(owner, people.zhao, _draft(), scope=scope_of(owner))


def test_staff_enter_talent_confirmed_in_their_area_only(people, owner, outsider):
    made = talent.add_talent(
        owner, people.sun, _draft(shown_as="孙阿姨", tags=["cooking"]), scope=scope_of(owner)
    )
    assert made.status == TalentStatus.CONFIRMED
    with pytest.raises(PermissionDenied):
        talent.add_talent(outsider, people.li, _draft(), scope=scope_of(outsider))


def test_talent_needs_a_public_name_and_a_known_skill(people, owner):
    with pytest.raises(ValidationError) as refused:
        talent.add_talent(owner, people.li, _draft(shown_as=" ", tags=["flying"]), scope=scope_of(owner))
    assert {"shown_as", "tags"} <= set(refused.value.message_dict)


def _award(owner, **extra):
    draft = awards.AwardDraft(
        title="最美江秋人",
        year=2026,
        nominations_until=timezone.localdate() + timedelta(days=7),
        places=1,
        **extra,
    )
    return awards.create_award(owner, draft, scope=scope_of(owner))


def test_nominate_vote_once_and_decide(people, owner):
    award = _award(owner)
    scope = scope_of(owner)
    a = awards.nominate(people.wang_user, people.wang, award, people.sun, "常年照顾邻居")
    b = awards.nominate_as_staff(owner, award, people.zhao, "楼组志愿者", scope=scope)
    now = timezone.now()
    awards.open_vote(owner, award, now - timedelta(minutes=1), now + timedelta(days=3), scope=scope)
    award.refresh_from_db()
    a.refresh_from_db()
    poll = award.topic.poll
    assert not poll.multiple and poll.anonymous and a.option is not None
    assert a.option_id is not None
    polls.vote(people.wang_user, people.wang, poll, [a.option_id])
    with pytest.raises(ValidationError, match="already voted"):
        polls.vote(people.wang_user, people.wang, poll, [a.option_id])
    assert awards.vote_counts(award) == {a.pk: 1, b.pk: 0}
    with pytest.raises(ValidationError, match="still open"):
        awards.decide(owner, award, [b.pk], "看实际贡献", scope=scope)
    poll.closes_at = now
    poll.save()
    with pytest.raises(ValidationError) as refused:
        awards.decide(owner, award, [a.pk, b.pk], "", scope=scope)
    assert {"winners", "decision"} <= set(refused.value.message_dict)
    decided = awards.decide(owner, award, [b.pk], "居委会综合考虑贡献", scope=scope)
    assert decided.is_decided
    assert list(Nomination.objects.filter(won=True)) == [b]
    topic = decided.topic
    assert topic is not None
    topic.refresh_from_db()
    assert topic.is_finished


def test_nominations_are_for_residents_of_the_committee_and_once(people, owner):
    award = _award(owner)
    with pytest.raises(ValidationError) as refused:
        awards.nominate_as_staff(owner, award, people.far, "x", scope=scope_of(owner))
    assert "nominee" in refused.value.message_dict
    awards.nominate(people.wang_user, people.wang, award, people.sun, "好人")
    with pytest.raises(ValidationError, match="already nominated"):
        awards.nominate(people.li_user, people.li, award, people.sun, "好人")
    with pytest.raises(PermissionDenied):
        awards.nominate(people.far_user, people.far, award, people.sun, "好人")


def test_a_vote_needs_two_nominees_and_a_committee_role(people, owner, street_admin):
    award = _award(owner)
    now = timezone.now()
    with pytest.raises(ValidationError, match="two nominees"):
        awards.open_vote(owner, award, now, now + timedelta(days=1), scope=scope_of(owner))
    with pytest.raises(PermissionDenied):
        awards.create_award(
            street_admin,
            awards.AwardDraft(title="x", year=2026, nominations_until=timezone.localdate()),
            scope=scope_of(street_admin),
        )
