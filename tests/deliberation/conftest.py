"""The notice tests' world (residents with accounts, a proxy, a building leader, a resident
of the neighbouring committee) plus a topic of 延长新村 open for opinions, and its poll."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from deliberation import polls, services
from deliberation.polls import PollDraft
from deliberation.services import TopicDraft
from tests import fixtures
from tests.factories import scope_of

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
leader = fixtures.leader
street_admin = fixtures.street_admin


def make_topic(owner, **extra):
    values: dict[str, Any] = {"title": "红屋顶花园怎么设计", "body": "请大家说说花园里想要什么。"}
    values.update(extra)
    return services.post_topic(owner, scope_of(owner), TopicDraft(**values))


def make_poll(owner, topic, **extra):
    now = timezone.now()
    values: dict[str, Any] = {
        "question": "花园里最想要什么？",
        "options": ["座椅", "花架", "露天电影场地"],
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=7),
    }
    values.update(extra)
    return polls.set_poll(scope_of(owner), topic, PollDraft(**values))


@pytest.fixture
def topic(owner, people):
    return make_topic(owner)


@pytest.fixture
def poll(owner, topic):
    made = make_poll(owner, topic)
    services.move(owner, scope_of(owner), topic, "poll", "投票开始")
    made.topic.refresh_from_db()
    return made
