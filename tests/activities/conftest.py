"""The notice tests' world (residents with accounts, a proxy, a building leader) plus an
activity of 延长新村 open for sign-up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from activities import services
from activities.services import ActivityDraft
from tests import fixtures
from tests.factories import scope_of

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
leader = fixtures.leader
street_admin = fixtures.street_admin


def make_activity(owner, *, weeks=1, publish=True, **extra):
    start = timezone.now() + timedelta(days=2)
    values: dict[str, Any] = {
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
