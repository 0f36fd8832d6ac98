"""What a topic, an opinion and a decision say about themselves; templates and services ask these."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from deliberation.models import Decision, DecisionStatus, Meeting, Opinion, OpinionStatus, Phase, Topic

P = Phase


@pytest.mark.parametrize(
    ("phase", "support", "collecting", "closed", "finished", "committee", "tone"),
    [
        (P.PROPOSED, True, False, False, False, False, "tag"),
        (P.COLLECTING, False, True, False, False, True, "tag"),
        (P.POLL, False, False, False, False, True, "tag"),
        (P.DONE, False, False, False, True, True, "ok"),
        (P.CLOSED, False, False, True, True, False, "derived"),
    ],
)
def test_a_topics_phase_answers(phase, support, collecting, closed, finished, committee, tone):
    topic = Topic(phase=phase)
    assert topic.is_gathering_support is support
    assert topic.is_collecting is collecting
    assert topic.is_closed is closed
    assert topic.is_finished is finished
    assert topic.is_open_to_the_committee is committee
    assert topic.phase_tone == tone


@pytest.mark.parametrize(
    ("status", "visible", "held", "hidden"),
    [
        (OpinionStatus.VISIBLE, True, False, False),
        (OpinionStatus.HELD, False, True, False),
        (OpinionStatus.HIDDEN, False, False, True),
    ],
)
def test_an_opinions_status_answers(status, visible, held, hidden):
    opinion = Opinion(status=status)
    assert (opinion.is_visible, opinion.is_held, opinion.is_hidden) == (visible, held, hidden)


@pytest.mark.parametrize(
    ("status", "due_on", "overdue", "done", "dropped", "tone"),
    [
        (DecisionStatus.OPEN, date(2026, 1, 1), True, False, False, "tag"),
        (DecisionStatus.OPEN, date(2026, 3, 1), False, False, False, "tag"),
        (DecisionStatus.DONE, date(2026, 1, 1), False, True, False, "ok"),
        (DecisionStatus.DROPPED, date(2026, 1, 1), False, False, True, "derived"),
    ],
)
def test_a_decisions_status_answers(status, due_on, overdue, done, dropped, tone):
    decision = Decision(status=status, due_on=due_on)
    assert decision.is_overdue(date(2026, 2, 1)) is overdue
    assert (decision.is_done, decision.is_dropped, decision.status_tone) == (done, dropped, tone)


def test_a_meetings_minutes_are_missing_once_it_started_unrecorded():
    now = timezone.now()
    assert Meeting(starts_at=now - timedelta(hours=1)).minutes_missing
    assert not Meeting(starts_at=now - timedelta(hours=1), held_at=now).minutes_missing
    assert not Meeting(starts_at=now + timedelta(hours=1)).minutes_missing
