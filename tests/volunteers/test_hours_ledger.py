"""The hours ledger as volunteers, leaders and staff meet it: logged, confirmed or declined,
corrected by a reversing line; 24 hours a day, no overlaps, nothing in the future or before
registering, a clear message and nothing written; rows never edited nor deleted."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests import fixtures
from tests.factories import scope_of
from tests.volunteers import ledger_world
from volunteers import bank, hours
from volunteers.hours import Served
from volunteers.models import CreditEntry, HoursEntry, LedgerChanged

pytestmark = pytest.mark.django_db

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
ledger = ledger_world.ledger


def at(days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def own(ledger, **given) -> HoursEntry:
    user = ledger.member.user
    return hours.log_own(user, Served(**given), scope=scope_of(user))


def test_a_volunteer_logs_hours_that_wait_for_a_leader_and_then_earn_credits(ledger):
    entry = own(ledger, starts_at=at(1, 9), ends_at=at(1, 11, 10), service=ledger.haircut, team=ledger.team)
    assert entry.is_pending and entry.hours == Decimal("2.00") and entry.source == "self"
    assert entry.day == timezone.localdate() - timedelta(days=1)
    assert not CreditEntry.objects.exists()
    hours.confirm(entry, by=ledger.leader_user, scope=scope_of(ledger.leader_user))
    entry.refresh_from_db()
    assert entry.is_confirmed and entry.confirmed_by == ledger.leader_user
    account = bank.account_of(ledger.member)
    assert account.balance == Decimal("2.00")
    assert list(account.entries.values_list("kind", "amount", "balance_after")) == [
        ("earned", Decimal("2.00"), Decimal("2.00"))
    ]


def test_hours_by_number_on_a_day(ledger):
    entry = own(ledger, day=timezone.localdate(), hours=Decimal("1.5"))
    assert entry.hours == Decimal("1.50") and entry.area == ledger.member.committee


def test_a_leader_of_another_team_or_the_volunteer_may_not_confirm(ledger, outsider):
    entry = own(ledger, day=timezone.localdate(), hours=Decimal(1), team=ledger.team)
    with pytest.raises(PermissionDenied):
        hours.confirm(entry, by=outsider, scope=scope_of(outsider))
    with pytest.raises(PermissionDenied):
        hours.confirm(entry, by=ledger.member.user, scope=scope_of(ledger.member.user))
    assert HoursEntry.objects.get(pk=entry.pk).is_pending


def test_staff_confirm_and_decline_with_a_reason(ledger, owner):
    first = own(ledger, day=timezone.localdate(), hours=Decimal(1))
    second = own(ledger, day=timezone.localdate() - timedelta(days=2), hours=Decimal(2))
    with pytest.raises(ValidationError) as refused:
        hours.decline(second, by=owner, scope=scope_of(owner), reason=" ")
    assert "why" in str(refused.value)
    hours.decline(second, by=owner, scope=scope_of(owner), reason="那天没有活动")
    hours.confirm_many([first], by=owner, scope=scope_of(owner))
    with pytest.raises(ValidationError, match="already"):
        hours.confirm(second, by=owner, scope=scope_of(owner))
    assert bank.account_of(ledger.member).balance == Decimal(1)
    assert HoursEntry.objects.get(pk=second.pk).decline_reason == "那天没有活动"


def test_staff_log_for_an_elderly_volunteer_confirmed_at_once(ledger, owner):
    entry = hours.log_for(
        owner, ledger.elder, Served(day=timezone.localdate(), hours=Decimal(3)), scope=scope_of(owner)
    )
    assert entry.is_confirmed and entry.source == "staff" and entry.logged_by == owner
    assert bank.account_of(ledger.elder).balance == Decimal(3)


def test_the_neighbouring_committee_may_not_log_for_our_volunteers(ledger, outsider):
    with pytest.raises(PermissionDenied):
        hours.log_for(
            outsider,
            ledger.elder,
            Served(day=timezone.localdate(), hours=Decimal(3)),
            scope=scope_of(outsider),
        )
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize(
    ("given", "field", "words"),
    [
        ({"hours": Decimal(0)}, "hours", "more than zero"),
        ({"hours": Decimal(-2)}, "hours", "more than zero"),
        ({"hours": Decimal(25)}, "hours", "24 hours"),
        ({"hours": Decimal("0.1")}, "hours", "quarter"),
        ({"day_offset": -1}, "day", "future"),
        ({"day_offset": 90}, "day", "registered"),
    ],
)
def test_bad_hours_are_refused_with_a_message_and_nothing_written(ledger, given, field, words):
    day = timezone.localdate() - timedelta(days=given.pop("day_offset", 0))
    with pytest.raises(ValidationError) as refused:
        own(ledger, day=day, **({"hours": Decimal(1)} | given))
    assert words in refused.value.message_dict[field][0]
    assert not HoursEntry.objects.exists()


def test_a_time_range_ending_in_the_future_is_refused(ledger):
    later = timezone.now() + timedelta(hours=2)
    with pytest.raises(ValidationError, match="future"):
        own(ledger, starts_at=later - timedelta(hours=1), ends_at=later)


def test_no_more_than_24_hours_a_day_counting_pending_and_subtracting_corrections(ledger, owner):
    day = timezone.localdate() - timedelta(days=1)
    big = hours.log_for(owner, ledger.member, Served(day=day, hours=Decimal(20)), scope=scope_of(owner))
    own(ledger, day=day, hours=Decimal(3))  # pending counts too
    with pytest.raises(ValidationError) as refused:
        own(ledger, day=day, hours=Decimal(2))
    assert "already has 23 hours" in refused.value.message_dict["hours"][0]
    assert HoursEntry.objects.count() == 2
    hours.reverse(big, by=owner, scope=scope_of(owner), reason="多记了")
    own(ledger, day=day, hours=Decimal(2))  # 20 − 20 + 3 + 2


def test_overlapping_time_ranges_are_refused(ledger):
    own(ledger, starts_at=at(1, 9), ends_at=at(1, 11))
    with pytest.raises(ValidationError) as refused:
        own(ledger, starts_at=at(1, 10), ends_at=at(1, 12))
    assert "overlaps" in refused.value.message_dict["starts_at"][0]
    own(ledger, starts_at=at(1, 11), ends_at=at(1, 12))  # back to back is fine
    assert HoursEntry.objects.count() == 2


def test_a_correction_reverses_the_hours_and_their_credits(ledger, owner):
    entry = hours.log_for(
        owner, ledger.member, Served(day=timezone.localdate(), hours=Decimal(2)), scope=scope_of(owner)
    )
    reversal = hours.reverse(entry, by=owner, scope=scope_of(owner), reason="记错了人")
    assert reversal.hours == Decimal(-2) and reversal.reverses == entry and reversal.note == "记错了人"
    account = bank.account_of(ledger.member)
    assert account.balance == 0
    assert [e.kind for e in account.entries.order_by("pk")] == ["earned", "reversal"]
    with pytest.raises(ValidationError, match="already corrected"):
        hours.reverse(entry, by=owner, scope=scope_of(owner), reason="again")
    with pytest.raises(ValidationError, match="not corrected again"):
        hours.reverse(reversal, by=owner, scope=scope_of(owner), reason="again")


def test_a_correction_is_refused_when_its_credits_were_already_spent(ledger, owner):
    entry = hours.log_for(
        owner, ledger.member, Served(day=timezone.localdate(), hours=Decimal(2)), scope=scope_of(owner)
    )
    bank.donate(ledger.member.user, scope=scope_of(ledger.member.user), amount=Decimal("1.5"))
    with pytest.raises(ValidationError, match="already given or spent"):
        hours.reverse(entry, by=owner, scope=scope_of(owner), reason="记错了")
    assert HoursEntry.objects.count() == 1


def test_the_ledger_is_append_only(ledger, owner):
    entry = hours.log_for(
        owner, ledger.member, Served(day=timezone.localdate(), hours=Decimal(2)), scope=scope_of(owner)
    )
    entry.hours = Decimal(5)
    with pytest.raises(LedgerChanged):
        entry.save()
    with pytest.raises(LedgerChanged):
        HoursEntry.objects.filter(pk=entry.pk).update(day=entry.day - timedelta(days=1))
    with pytest.raises(LedgerChanged):
        entry.delete()
    with pytest.raises(LedgerChanged):
        HoursEntry.objects.all().delete()
    credit = CreditEntry.objects.get()
    credit.amount = Decimal(100)
    with pytest.raises(LedgerChanged):
        credit.save()
    with pytest.raises(LedgerChanged):
        CreditEntry.objects.all().delete()
    assert HoursEntry.objects.get().hours == Decimal(2) and CreditEntry.objects.get().amount == Decimal(2)


def test_services_a_committee_says_earn_nothing_earn_nothing(ledger, owner, tree):
    bank.save_rule(
        tree.committee,
        by=owner,
        scope=scope_of(owner),
        credits_per_hour=Decimal("1.5"),
        min_age=60,
        tags=[],
        not_earning=[ledger.meals],
    )
    hours.log_for(
        owner,
        ledger.member,
        Served(day=timezone.localdate(), hours=Decimal(2), service=ledger.meals),
        scope=scope_of(owner),
    )
    hours.log_for(
        owner,
        ledger.elder,
        Served(day=timezone.localdate(), hours=Decimal(2), service=ledger.haircut),
        scope=scope_of(owner),
    )
    assert bank.account_of(ledger.member).balance == 0
    assert bank.account_of(ledger.elder).balance == Decimal("3.00")
