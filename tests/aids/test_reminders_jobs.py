"""Reminders before the due date and when overdue: one message per borrower bundling their
aids, through their account, their phone, their family or their building leader; stamped
first, so a second run sends nothing. And the expiry job."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from aids import jobs, lending, selectors
from aids.models import Loan
from common.scope import Capability, Scope
from notifications import backends
from notifications.jobs import PERIODIC
from notifications.models import Notification
from registry.models import GroupLeader, LeaderPosition
from tests.aids.conftest import add, make_kind
from tests.factories import household, id_number, resident, scope_of


def lent(owner, item, person, *, due: date) -> Loan:
    loan = lending.lend(owner, item, person, scope=scope_of(owner))
    Loan.objects.filter(pk=loan.pk).update(due_on=due)
    loan.refresh_from_db()
    return loan


@pytest.fixture
def walkers(owner, site):
    kind = make_kind(owner, "助行器", category="walker")
    return [add(owner, kind, f"ZX-0{n}", site) for n in range(1, 4)]


def test_one_message_per_borrower_bundles_their_aids_and_a_second_run_sends_nothing(
    owner, people, wheelchairs, walkers
):
    today = timezone.localdate()
    _kind, chairs = wheelchairs
    lent(owner, chairs[0], people.wang, due=today + timedelta(days=2))
    lent(owner, walkers[0], people.wang, due=today - timedelta(days=1))
    lent(owner, walkers[1], people.li, due=today + timedelta(days=10))  # not yet
    assert jobs.remind_due(today) == 1
    told = Notification.objects.get(user=people.wang_user)
    assert told.title == "Aids overdue: please bring them back"
    assert "轮椅 LY-01: due back" in told.body and "助行器 ZX-01: was due back" in told.body
    assert not Notification.objects.filter(user=people.li_user).exists()
    assert jobs.remind_due(today) == 0
    assert Notification.objects.count() == 1
    # The day after, the chair becomes overdue: a new message, about it alone.
    assert jobs.remind_due(today + timedelta(days=3)) == 1
    later = Notification.objects.filter(user=people.wang_user).order_by("-pk").first()
    assert later is not None and "轮椅 LY-01" in later.body and "助行器" not in later.body


def test_a_renewal_moves_the_due_date_and_brings_a_new_reminder(owner, people, wheelchairs):
    today = timezone.localdate()
    _kind, chairs = wheelchairs
    loan = lent(owner, chairs[0], people.wang, due=today + timedelta(days=1))
    assert jobs.remind_due(today) == 1
    lending.renew(owner, loan, scope=scope_of(owner))
    assert jobs.remind_due(today + timedelta(days=29)) == 1


def test_a_resident_without_an_account_is_reached_through_their_family(owner, people, wheelchairs):
    today = timezone.localdate()
    _kind, chairs = wheelchairs
    lent(owner, chairs[0], people.zhao, due=today)
    assert jobs.remind_due(today) == 1
    told = Notification.objects.get(user=people.daughter)
    assert told.title.startswith("About 赵老伯: Reminder")


def test_with_a_phone_but_no_account_an_sms_goes_to_the_phone(
    owner, people, wheelchairs, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    _kind, chairs = wheelchairs
    people.sun.phone = "13912345678"
    people.sun.save()
    lent(owner, chairs[0], people.sun, due=today + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.remind_due(today) == 1
    assert [m.to for m in backends.outbox] == ["13912345678"]
    assert "轮椅 LY-01" in backends.outbox[0].text


def test_without_phone_or_family_the_building_leader_is_told(owner, people, tree, wheelchairs):
    today = timezone.localdate()
    _kind, chairs = wheelchairs
    GroupLeader.objects.create(group=tree.group, resident=people.li, position=LeaderPosition.LEADER)
    alone = resident(household(tree.building, "601"), "钟奶奶", number=id_number("1938-02-02", male=False))
    lent(owner, chairs[0], alone, due=today - timedelta(days=4))
    assert jobs.remind_due(today) == 1
    told = Notification.objects.get(user=people.li_user)
    assert told.title == "About 钟奶奶: Aids overdue: please bring them back"


def test_the_overdue_list_says_whom_to_call_masked_unless_allowed(owner, people, tree, wheelchairs):
    today = timezone.localdate()
    _kind, chairs = wheelchairs
    lent(owner, chairs[0], people.zhao, due=today - timedelta(days=5))
    lent(owner, chairs[1], people.wang, due=today + timedelta(days=5))
    rows = selectors.overdue(scope_of(owner))
    assert [(r.loan.resident.name, r.contact.who, r.phone) for r in rows] == [
        ("赵老伯", "赵女儿", "13900001003")
    ]
    grant = scope_of(owner).grant
    lender_only = Scope(grant, frozenset({Capability.LEND_AIDS}))
    assert selectors.overdue(lender_only)[0].phone == "139****1003"


def test_due_soon_and_overdue_for_the_today_page(owner, outsider, people, wheelchairs, walkers):
    today = timezone.localdate()
    _kind, chairs = wheelchairs
    lent(owner, chairs[0], people.wang, due=today - timedelta(days=2))
    lent(owner, chairs[1], people.li, due=today + timedelta(days=3))
    lent(owner, walkers[0], people.sun, due=today + timedelta(days=4))  # beyond the 3 days
    summary = selectors.due_soon_and_overdue(scope_of(owner), today)
    assert (summary.due_soon, summary.overdue) == (1, 1)
    assert [loan.item.code for loan in summary.first] == ["LY-01", "LY-02"]
    assert selectors.due_soon_and_overdue(scope_of(outsider), today).any is False


def test_the_periodic_jobs_are_registered():
    assert {"aids.jobs.expire_holds", "aids.jobs.remind_loans"} <= set(PERIODIC)
