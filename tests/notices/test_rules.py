"""What a notice and a read say about themselves; templates and services ask these."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from notices.models import Notice, NoticeRead, ReadHow

NOW = timezone.make_aware(datetime(2026, 5, 1, 12))


def _notice(publish_at=None, withdrawn_at=None) -> Notice:
    return Notice(publish_at=publish_at, withdrawn_at=withdrawn_at)


@pytest.mark.parametrize(
    ("publish_at", "withdrawn_at", "answers"),
    [
        (None, None, (True, False, False, False, False)),
        (NOW + timedelta(days=365 * 50), None, (False, True, False, False, True)),
        (NOW - timedelta(days=1), None, (False, False, True, False, True)),
        (NOW - timedelta(days=1), NOW, (False, False, False, True, False)),
    ],
)
def test_a_notices_state_answers(publish_at, withdrawn_at, answers):
    notice = _notice(publish_at, withdrawn_at)
    assert (notice.is_draft, notice.is_scheduled, notice.is_published) == answers[:3]
    assert (notice.is_withdrawn, notice.may_withdraw) == answers[3:]


@pytest.mark.parametrize(
    ("how", "other"), [(ReadHow.ONLINE, False), (ReadHow.PROXY, True), (ReadHow.IN_PERSON, True)]
)
def test_a_read_by_someone_else_names_them(how, other):
    assert NoticeRead(how=how).by_someone_else is other
