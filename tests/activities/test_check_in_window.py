"""Check-in opens shortly before the start and closes a while after the end: signing someone
in days ahead is refused (it would count as having come, a beneficiary), with when it opens.
After it has closed, only the paper sign-in sheet may be entered, with a reason, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities import selectors, signups
from activities.models import Activity, Signup
from audit.models import AuditEntry
from common.scope import NO_SCOPE
from tests.activities.conftest import make_activity
from tests.factories import login, scope_of


def _beneficiaries(activity):
    day = timedelta(days=1)
    return selectors.beneficiaries(activity.committee, activity.starts_at - day, activity.starts_at + day)


def test_check_in_days_ahead_is_refused_and_counts_nobody(activity, people, owner):
    signup = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    with pytest.raises(ValidationError) as refused:
        signups.check_in(owner, scope_of(owner), signup)
    assert "Check-in opens at" in refused.value.messages[0]
    assert "30 minutes before the start" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        signups.walk_in(owner, scope_of(owner), activity, people.sun)
    assert not Signup.objects.filter(resident=people.sun).exists()  # the walk-in rolled back whole
    signup.refresh_from_db()
    assert signup.checked_in_at is None and _beneficiaries(activity).person_times == 0


def test_check_in_opens_before_the_start_and_closes_after_the_end(activity, people, owner):
    first = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    second = signups.register(people.li_user, people.li, activity, scope=NO_SCOPE)
    opens = activity.starts_at - settings.MULIN_CHECKIN_OPENS_BEFORE
    with time_machine.travel(opens + timedelta(minutes=1), tick=False):
        assert signups.check_in(owner, scope_of(owner), first).checked_in_at is not None
    closed = activity.ends_at + settings.MULIN_CHECKIN_CLOSES_AFTER + timedelta(minutes=1)
    with time_machine.travel(closed), pytest.raises(ValidationError) as refused:
        signups.check_in(owner, scope_of(owner), second)
    assert "Check-in closed at" in refused.value.messages[0]
    assert _beneficiaries(activity).person_times == 1


def test_the_window_is_a_setting(activity, people, owner, settings):
    settings.MULIN_CHECKIN_OPENS_BEFORE = timedelta(days=3)
    signup = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    assert signups.check_in(owner, scope_of(owner), signup).checked_in_at is not None


def test_the_paper_sheet_is_entered_afterwards_with_a_reason_and_audited(activity, people, owner):
    first = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    with pytest.raises(ValidationError) as early:
        signups.enter_paper_sheet(owner, scope_of(owner), activity, [first], "纸质签到表")
    assert "has not started yet" in early.value.messages[0]
    with time_machine.travel(activity.ends_at + timedelta(days=2)):
        with pytest.raises(ValidationError):
            signups.enter_paper_sheet(owner, scope_of(owner), activity, [first], "  ")
        done = signups.enter_paper_sheet(owner, scope_of(owner), activity, [first], "纸质签到表")
    assert [s.pk for s in done] == [first.pk] and done[0].checked_in_at is not None
    entry = AuditEntry.objects.get(note__contains="纸质签到表")
    assert entry.actor == owner and entry.changes == {"entered_afterwards": [first.pk]}
    assert _beneficiaries(activity).person_times == 1


def test_the_door_says_when_check_in_opens_and_takes_the_paper_sheet_after(client, owner, people):
    activity = make_activity(owner)
    first = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    login(client, owner)
    url = reverse("activities:door", args=[activity.pk])
    page = client.get(url).content.decode()
    assert "Check-in opens at" in page and 'value="check_in"' not in page
    refused = client.post(url, {"action": "check_in", "signups": [first.pk]}, follow=True)
    assert "Check-in opens at" in refused.content.decode()
    first.refresh_from_db()
    assert first.checked_in_at is None
    # Three days on (moved back rather than travelled to, which would outlive the session):
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=activity.starts_at - timedelta(days=3), ends_at=activity.ends_at - timedelta(days=3)
    )
    page = client.get(url).content.decode()
    assert "Check-in closed at" in page and 'value="paper"' in page
    client.post(url, {"action": "paper", "signups": [first.pk], "reason": "纸质签到表"})
    first.refresh_from_db()
    assert first.checked_in_at is not None


def test_the_scanned_pass_says_when_check_in_opens(client, owner, people):
    afternoon = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
    with time_machine.travel(afternoon):
        tonight = afternoon.replace(hour=23)
        film = make_activity(
            owner, title="今晚电影", starts_at=tonight, ends_at=tonight + timedelta(minutes=50)
        )
        signups.register(people.wang_user, people.wang, film, scope=NO_SCOPE)
        login(client, owner)
        url = reverse("activities:scan", args=[signups.pass_token(people.wang)])
        page = client.get(url).content.decode()
        assert "Check-in opens at 22:30." in page and ">Check in</button>" not in page
        client.post(url, {"activity": film.pk})
    assert Signup.objects.get().checked_in_at is None


def test_a_check_in_made_days_ahead_before_the_window_is_no_beneficiary(owner, people, activity):
    """Rows written before check-in had a window: the figures do not count them."""
    early = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    fair = signups.register(people.li_user, people.li, activity, scope=NO_SCOPE)
    Signup.objects.filter(pk=early.pk).update(checked_in_at=activity.starts_at - timedelta(days=3))
    Signup.objects.filter(pk=fair.pk).update(checked_in_at=activity.starts_at - timedelta(minutes=5))
    assert _beneficiaries(activity).person_times == 1
    year = activity.starts_at - timedelta(days=1), activity.starts_at + timedelta(days=1)
    assert [a.came for a in selectors.by_activity(activity.committee, *year)] == [1]  # type: ignore[attr-defined]
