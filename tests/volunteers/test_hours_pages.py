"""The hours pages as a volunteer, a leader and staff use them, with JavaScript off: log hours
and see them wait, confirm the ticked ones, decline with a reason, log for someone without a
phone, correct a confirmed line; a refusal shows on the form and nothing is written."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import fixtures
from tests.factories import login_verified
from tests.volunteers import ledger_world
from volunteers.models import HoursEntry

pytestmark = pytest.mark.django_db

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
ledger = ledger_world.ledger


def yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def test_a_volunteer_logs_hours_and_sees_them_waiting(client, ledger):
    login_verified(client, ledger.member.user)
    url = reverse("volunteers:hours")
    response = client.post(
        url,
        {
            "day": yesterday(),
            "starts": "09:00",
            "ends": "11:30",
            "service": ledger.haircut.pk,
            "team": ledger.team.pk,
        },
    )
    assert response.status_code == 302
    entry = HoursEntry.objects.get()
    assert entry.hours == Decimal("2.5") and entry.is_pending
    page = client.get(url).content.decode()
    assert "Waiting for confirmation" in page and "理发" in page


def test_hours_in_the_future_show_a_message_and_write_nothing(client, ledger):
    login_verified(client, ledger.member.user)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(reverse("volunteers:hours"), {"day": tomorrow, "hours": "2"})
    assert response.status_code == 200
    assert "Hours cannot be logged for the future." in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_someone_not_a_volunteer_is_told_so(client, people):
    login_verified(client, people.li_user)
    assert "not registered as a volunteer" in client.get(reverse("volunteers:hours")).content.decode()


def test_a_leader_confirms_the_ticked_hours_and_declines_one_with_a_reason(client, ledger):
    from tests.factories import scope_of
    from volunteers import hours
    from volunteers.hours import Served

    user = ledger.member.user
    first = hours.log_own(
        user, Served(day=timezone.localdate(), hours=Decimal(1), team=ledger.team), scope=scope_of(user)
    )
    second = hours.log_own(
        user,
        Served(day=timezone.localdate() - timedelta(days=1), hours=Decimal(2), team=ledger.team),
        scope=scope_of(user),
    )
    login_verified(client, ledger.leader_user)
    url = reverse("volunteers:hours_to_confirm")
    assert "王建国" in client.get(url).content.decode()
    client.post(url, {"decline": second.pk, "reason": "那天没活动"})
    client.post(url, {"entry": [first.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_confirmed and second.is_declined and second.decline_reason == "那天没活动"


def test_a_plain_resident_may_not_open_the_confirmation_list(client, people):
    login_verified(client, people.li_user)
    assert client.get(reverse("volunteers:hours_to_confirm")).status_code == 403


def test_staff_log_for_an_elderly_volunteer_and_correct_it(owner_client, ledger):
    response = owner_client.post(
        reverse("volunteers:hours_log_for"), {"volunteer": ledger.elder.pk, "day": yesterday(), "hours": "3"}
    )
    assert response.status_code == 302
    entry = HoursEntry.objects.get()
    assert entry.is_confirmed
    url = reverse("volunteers:hours_correct", args=[entry.pk])
    assert "老张" in owner_client.get(url).content.decode()
    assert owner_client.post(url, {"reason": "记错了"}).status_code == 302
    assert HoursEntry.objects.get(reverses=entry).hours == Decimal(-3)


def test_another_committee_may_not_correct_our_hours(client, ledger, owner, outsider):
    from tests.factories import scope_of
    from volunteers import hours
    from volunteers.hours import Served

    entry = hours.log_for(
        owner, ledger.elder, Served(day=timezone.localdate(), hours=Decimal(1)), scope=scope_of(owner)
    )
    login_verified(client, outsider)
    assert client.get(reverse("volunteers:hours_correct", args=[entry.pk])).status_code == 404
    assert (
        client.post(reverse("volunteers:hours_correct", args=[entry.pk]), {"reason": "x"}).status_code == 404
    )
    assert not HoursEntry.objects.filter(reverses=entry).exists()


def test_the_hours_lists_run_fixed_queries(client, ledger, owner, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import scope_of
    from volunteers import hours
    from volunteers.hours import Served

    user = ledger.member.user

    def log(days_ago: int) -> None:
        day = timezone.localdate() - timedelta(days=days_ago)
        entry = hours.log_own(user, Served(day=day, hours=Decimal(1), team=ledger.team), scope=scope_of(user))
        if days_ago % 2:
            hours.confirm(entry, by=owner, scope=scope_of(owner))

    log(1)
    log(2)
    counts = {}
    for who, name in ((ledger.leader_user, "volunteers:hours_to_confirm"), (user, "volunteers:hours")):
        login_verified(client, who)
        client.get(reverse(name))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse(name))
        counts[name] = len(few)
    for n in range(3, 15):
        log(n)
    for who, name in ((ledger.leader_user, "volunteers:hours_to_confirm"), (user, "volunteers:hours")):
        login_verified(client, who)
        with django_assert_num_queries(counts[name]):
            assert client.get(reverse(name)).status_code == 200
