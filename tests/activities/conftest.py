"""The notice tests' world (residents with accounts, a proxy, a building leader) plus an
activity of 延长新村 open for sign-up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.scope import resolve_scope
from activities import services
from activities.services import ActivityDraft
from tests.notices import conftest as notice_fixtures

english = notice_fixtures.english
immediate_tasks = notice_fixtures.immediate_tasks
people = notice_fixtures.people
leader = notice_fixtures.leader
street_admin = notice_fixtures.street_admin


def scope_of(user):
    return resolve_scope(user, {})


def make_activity(owner, *, weeks=1, publish=True, **extra):
    start = timezone.now() + timedelta(days=2)
    values = {
        "title": "书法班",
        "place": "居委会活动室",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "capacity": 2,
    }
    values.update(extra)
    made = services.create_activity(owner, scope_of(owner), ActivityDraft(**values), weeks=weeks)
    if publish:
        for activity in made:
            services.publish_activity(scope_of(owner), activity)
    return made[0] if weeks == 1 else made


@pytest.fixture
def activity(owner, people):
    return make_activity(owner)
