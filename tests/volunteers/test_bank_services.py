"""The time bank as volunteers, families and staff meet it: give to family, donate to the pool,
grant from it, spend on a service that a volunteer does and earns from, cancel and get the
credits back; a volunteer who moves keeps their balance; bad input refused, nothing written."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry.models import ResidentTag, Tag
from tests import fixtures
from tests.factories import scope_of
from tests.volunteers import ledger_world
from tests.volunteers.ledger_world import fund
from volunteers import bank, spending
from volunteers.models import BankRequest, CreditAccount, CreditEntry, HoursEntry

pytestmark = pytest.mark.django_db

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
street_admin = fixtures.street_admin
ledger = ledger_world.ledger


def test_the_rule_of_a_committee_its_street_or_the_defaults(tree, owner, street_admin):
    assert (
        bank.terms_for(tree.committee).credits_per_hour == 1 and bank.terms_for(tree.committee).min_age == 65
    )
    bank.save_rule(
        tree.street,
        by=street_admin,
        scope=scope_of(street_admin),
        credits_per_hour=Decimal(2),
        min_age=70,
        tags=[],
        not_earning=[],
    )
    assert (
        bank.terms_for(tree.committee).credits_per_hour == 2
        and bank.terms_for(tree.committee).set_in == tree.street
    )
    bank.save_rule(
        tree.committee,
        by=owner,
        scope=scope_of(owner),
        credits_per_hour=Decimal(1),
        min_age=60,
        tags=["living_alone"],
        not_earning=[],
    )
    terms = bank.terms_for(tree.committee)
    assert (terms.credits_per_hour, terms.min_age, terms.tags) == (1, 60, ("living_alone",))
    with pytest.raises(PermissionDenied):
        bank.save_rule(
            tree.street,
            by=owner,
            scope=scope_of(owner),
            credits_per_hour=Decimal(3),
            min_age=60,
            tags=[],
            not_earning=[],
        )
    with pytest.raises(ValidationError, match="rate"):
        bank.save_rule(
            tree.committee,
            by=owner,
            scope=scope_of(owner),
            credits_per_hour=Decimal(0),
            min_age=60,
            tags=[],
            not_earning=[],
        )


def test_give_to_family_of_the_household_and_to_someone_one_acts_for(ledger, people):
    user = ledger.member.user
    fund(bank.account_of(ledger.member), "10")
    bank.give(user, scope=scope_of(user), amount=Decimal(3), resident=people.li, note="给老伴")
    assert bank.account_of_person(people.li).balance == 3
    assert bank.account_of(ledger.member).balance == 7
    out = CreditEntry.objects.filter(kind="gift_out").get()
    assert out.balance_after == 7 and out.counterpart == bank.account_of_person(people.li)


@pytest.mark.parametrize(
    ("amount", "to", "words"),
    [
        ("11", "li", "Only 10 credits are left"),
        ("0", "li", "above zero"),
        ("-1", "li", "above zero"),
        ("0.001", "li", "two decimals"),
        ("1", "self", "yourself"),
        ("1", "far", "only to family"),
    ],
)
def test_bad_gifts_are_refused_and_nothing_written(ledger, people, amount, to, words):
    user = ledger.member.user
    fund(bank.account_of(ledger.member), "10")
    before = CreditEntry.objects.count()
    target = {"li": people.li, "self": people.wang, "far": people.far}[to]
    with pytest.raises(ValidationError) as refused:
        bank.give(user, scope=scope_of(user), amount=Decimal(amount), resident=target)
    assert words in " ".join(refused.value.messages)
    assert CreditEntry.objects.count() == before
    assert bank.account_of(ledger.member).balance == 10


def test_give_to_oneself_as_a_volunteer_is_refused(ledger):
    user = ledger.member.user
    fund(bank.account_of(ledger.member), "10")
    with pytest.raises(ValidationError, match="yourself"):
        bank.give(user, scope=scope_of(user), amount=Decimal(1), volunteer=ledger.member)


def test_donate_to_the_pool_and_staff_grant_to_an_eligible_resident(ledger, people, owner, tree):
    user = ledger.member.user
    fund(bank.account_of(ledger.member), "10")
    bank.donate(user, scope=scope_of(user), amount=Decimal(4))
    assert bank.pool_of(tree.committee).balance == 4
    bank.grant(owner, people.zhao, scope=scope_of(owner), amount=Decimal(3))  # born 1940
    assert bank.account_of_person(people.zhao).balance == 3
    assert bank.pool_of(tree.committee).balance == 1
    with pytest.raises(ValidationError, match="aged 65"):
        bank.grant(owner, people.li, scope=scope_of(owner), amount=Decimal(1))  # born 1962
    with pytest.raises(ValidationError, match="Only 1 credits"):
        bank.grant(owner, people.zhao, scope=scope_of(owner), amount=Decimal(2))


def test_a_tag_makes_a_younger_resident_eligible(ledger, people, owner, tree):
    bank.save_rule(
        tree.committee,
        by=owner,
        scope=scope_of(owner),
        credits_per_hour=Decimal(1),
        min_age=70,
        tags=[Tag.LIVING_ALONE],
        not_earning=[],
    )
    assert bank.spending_problem(people.li, bank.terms_for(tree.committee)) == ""
    assert "aged 70" in bank.spending_problem(people.wang, bank.terms_for(tree.committee))
    ResidentTag.objects.create(resident=people.wang, tag=Tag.LIVING_ALONE)
    assert bank.spending_problem(people.wang, bank.terms_for(tree.committee)) == ""


def _ask(people, ledger, user, scope, hours="2"):
    return spending.ask(
        user,
        people.zhao,
        scope=scope,
        service=ledger.haircut,
        wanted_at=timezone.now() + timedelta(days=1),
        hours_wanted=Decimal(hours),
        details="上门理发",
    )


def test_a_family_proxy_spends_for_her_father_and_the_volunteer_earns_when_done(ledger, people, owner):
    fund(bank.account_of_person(people.zhao), "5")
    request = _ask(people, ledger, people.daughter, scope_of(people.daughter))
    assert request.credits == 2 and request.is_open
    assert bank.account_of_person(people.zhao).balance == 3  # held at once
    with pytest.raises(ValidationError, match="does not offer"):
        spending.match(request, _no_skill(ledger), by=owner, scope=scope_of(owner))
    spending.match(request, ledger.member, by=owner, scope=scope_of(owner))
    spending.report_done(request, by=ledger.member.user, scope=scope_of(ledger.member.user))
    request.refresh_from_db()
    assert request.is_reported_done
    spending.finish(request, by=owner, scope=scope_of(owner))
    request.refresh_from_db()
    assert (
        request.status == "done"
        and request.hours_entry.source == "timebank"
        and request.hours_entry.is_confirmed
    )
    assert bank.account_of(ledger.member).balance == 2
    with pytest.raises(ValidationError):
        spending.cancel(request, by=owner, scope=scope_of(owner), reason="晚了")


def _no_skill(ledger):
    ledger.leader.skills.clear()
    return ledger.leader


def test_a_cancelled_request_is_refunded(ledger, people, owner):
    fund(bank.account_of_person(people.zhao), "5")
    request = _ask(people, ledger, owner, scope_of(owner))
    spending.cancel(request, by=people.daughter, scope=scope_of(people.daughter), reason="不需要了")
    assert bank.account_of_person(people.zhao).balance == 5
    assert [e.kind for e in CreditEntry.objects.filter(request=request).order_by("pk")] == ["spent", "refund"]


def test_asking_for_more_than_the_balance_or_for_someone_else_is_refused(ledger, people, outsider):
    fund(bank.account_of_person(people.zhao), "1")
    with pytest.raises(ValidationError, match=r"2 hours take 2 credits; 赵老伯 has 1\."):
        _ask(people, ledger, people.daughter, scope_of(people.daughter))
    with pytest.raises(PermissionDenied):
        _ask(people, ledger, outsider, scope_of(outsider), hours="1")
    with pytest.raises(ValidationError, match="aged 65"):
        spending.ask(
            people.li_user,
            people.li,
            scope=scope_of(people.li_user),
            service=ledger.haircut,
            wanted_at=timezone.now() + timedelta(days=1),
            hours_wanted=Decimal(1),
        )
    assert not BankRequest.objects.exists() and bank.account_of_person(people.zhao).balance == 1


def test_a_volunteer_who_moves_keeps_their_balance(ledger, tree):
    account = fund(bank.account_of(ledger.member), "7")
    bank.move_account(ledger.member, tree.far_committee)
    account.refresh_from_db()
    assert account.area == tree.far_committee and account.balance == 7
    assert CreditAccount.objects.filter(volunteer=ledger.member).count() == 1


def test_the_balance_can_never_go_negative_in_the_database(ledger):
    from django.db import IntegrityError, transaction

    account = bank.account_of(ledger.member)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditAccount.objects.filter(pk=account.pk).update(balance=Decimal(-1))
    assert not HoursEntry.objects.exists()


def test_a_request_goes_only_to_a_volunteer_of_the_staffs_area(ledger, people, owner, tree):
    fund(bank.account_of_person(people.zhao), "2")
    request = _ask(people, ledger, owner, scope_of(owner), hours="1")
    far = ledger_world.volunteer(tree.far_committee, "远方志愿者")
    far.skills.add(ledger.haircut)
    with pytest.raises(PermissionDenied):
        spending.match(request, far, by=owner, scope=scope_of(owner))
    request.refresh_from_db()
    assert request.is_open and request.volunteer is None
