"""Meetings with outside representatives, minutes and attendance, decisions tracked to done,
and the public outcome page's selector."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from common.scope import NO_SCOPE
from deliberation import meetings, polls, selectors, services
from deliberation.meetings import MeetingDraft
from deliberation.models import DecisionStatus, Phase, Side
from tests.deliberation.conftest import make_poll, make_topic
from tests.factories import scope_of

pytestmark = pytest.mark.django_db


def _meeting(owner, topic, days=-1):
    draft = MeetingDraft(
        kind="joint",
        title="三驾马车联席会议",
        starts_at=timezone.now() + timedelta(days=days),
        place="居委会会议室",
        agenda="红屋顶花园方案",
        topics=[topic],
    )
    return meetings.create_meeting(owner, scope_of(owner), draft)


def test_a_joint_meeting_with_outside_representatives(owner, people, topic):
    meeting = _meeting(owner, topic)
    scope = scope_of(owner)
    with pytest.raises(ValidationError, match="Name the company"):
        meetings.add_participant(scope, meeting, Side.PROPERTY, "王经理")
    manager = meetings.add_participant(scope, meeting, Side.PROPERTY, "王经理", "上房物业")
    chair = meetings.add_participant(scope, meeting, Side.OWNERS, "陈主任", "公交新村业委会")
    rep = meetings.add_participant(scope, meeting, Side.RESIDENT, "", resident=people.wang)
    assert rep.name == "王建国"
    with pytest.raises(ValidationError, match="does not live in this committee"):
        meetings.add_participant(scope, meeting, Side.RESIDENT, "", resident=people.far)
    meetings.record_minutes(scope, meeting, "同意花园方案，物业负责施工。", {manager.pk, rep.pk})
    manager.refresh_from_db()
    chair.refresh_from_db()
    assert manager.attended is True and chair.attended is False
    assert meeting.held_at is not None
    row = selectors.meetings_in(scope).get(pk=meeting.pk)
    assert (row.invited, row.came) == (3, 2)  # type: ignore[attr-defined]  # annotated counts


def test_minutes_wait_for_the_meeting(owner, topic):
    meeting = _meeting(owner, topic, days=2)
    with pytest.raises(ValidationError, match="not taken place"):
        meetings.record_minutes(scope_of(owner), meeting, "提前写", set())


def test_a_meeting_takes_only_its_committees_topics(owner, outsider, topic):
    with pytest.raises(ValidationError, match="another committee"):
        _meeting(outsider, topic)
    draft = MeetingDraft(kind="council", title="议事会", starts_at=timezone.now(), place="x", topics=[])
    other = meetings.create_meeting(outsider, scope_of(outsider), draft)
    draft.topics = [topic]
    with pytest.raises(ValidationError, match="another committee"):
        meetings.update_meeting(scope_of(outsider), other, draft)


def test_decisions_are_owned_dated_and_tracked_to_done(owner, topic):
    meeting = _meeting(owner, topic)
    scope = scope_of(owner)
    yesterday = timezone.localdate() - timedelta(days=1)
    decision = meetings.decide(scope, meeting, "物业清理花园杂物", "上房物业 王经理", yesterday, topic)
    assert list(selectors.overdue(scope)) == [decision]
    assert decision.is_overdue()
    with pytest.raises(ValidationError, match="what was done"):
        meetings.track(scope, decision, DecisionStatus.DONE)
    meetings.track(scope, decision, DecisionStatus.OPEN, "已清理一半", yesterday + timedelta(days=7))
    assert not selectors.overdue(scope).exists()
    meetings.track(scope, decision, DecisionStatus.DONE, "清理完毕")
    decision.refresh_from_db()
    assert decision.status == "done" and decision.done_at is not None
    assert decision.progress.endswith("清理完毕") and "已清理一半" in decision.progress
    with pytest.raises(ValidationError, match="why it was dropped"):
        meetings.track(scope, decision, DecisionStatus.DROPPED)


def test_decisions_need_words_and_an_owner(owner, outsider, topic):
    meeting = _meeting(owner, topic)
    with pytest.raises(ValidationError) as error:
        meetings.decide(scope_of(owner), meeting, " ", "", timezone.localdate())
    assert set(error.value.message_dict) == {"text", "owner"}
    with pytest.raises(PermissionDenied):
        meetings.decide(scope_of(outsider), meeting, "x", "y", timezone.localdate())


def test_the_outcome_page_shows_voices_without_names_and_the_poll_once_closed(
    owner, people, topic, django_assert_num_queries
):
    scope = scope_of(owner)
    services.give_opinion(people.wang_user, topic, "要有座椅", resident=people.wang, scope=NO_SCOPE)
    hidden = services.give_opinion(people.li_user, topic, "不该出现", resident=people.li, scope=NO_SCOPE)
    services.hide(owner, scope, hidden, "无关内容")
    poll = make_poll(owner, topic)
    services.move(owner, scope, topic, Phase.POLL)
    topic.refresh_from_db()
    polls.vote(people.wang_user, people.wang, poll, [poll.options.first().pk])
    rows = selectors.outcomes(topic.committee)
    assert rows[0].poll is None  # voting still open
    later = timezone.now() + timedelta(days=8)
    meeting = _meeting(owner, topic)
    meetings.decide(scope, meeting, "建座椅", "物业", timezone.localdate(), topic)
    make_topic(owner, title="第二个议题")
    with django_assert_num_queries(6):
        rows = selectors.outcomes(topic.committee, now=later)
    garden = next(r for r in rows if r.topic.pk == topic.pk)
    assert [o.body for o in garden.voices] == ["要有座椅"]
    assert garden.residents == 1
    assert garden.poll is not None
    assert garden.poll.ballots == 1 and garden.poll.options[0].votes == 1
    assert [d.text for d in garden.decisions] == ["建座椅"]
    assert selectors.public_name(people.wang) == "王**"


def test_a_meetings_topics_are_in_the_audit_log(owner, topic):
    """The topics live in a many-to-many table, which sends no save signal."""
    meeting = _meeting(owner, topic)
    entries = AuditEntry.objects.filter(content_type__model="meeting", object_id=str(meeting.pk))
    assert [e.changes for e in entries.filter(changes__has_key="topics")] == [{"topics": [[], [topic.pk]]}]
    draft = MeetingDraft(kind="joint", title=meeting.title, starts_at=meeting.starts_at, place=meeting.place)
    meetings.update_meeting(scope_of(owner), meeting, draft)
    assert entries.filter(changes__has_key="topics").latest("pk").changes == {"topics": [[topic.pk], []]}
    meetings.update_meeting(scope_of(owner), meeting, draft)  # the same topics again: nothing changed
    assert entries.filter(changes__has_key="topics").count() == 2
