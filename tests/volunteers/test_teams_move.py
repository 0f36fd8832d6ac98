"""A volunteer who moves keeps their hours, teams and time-bank balance (通存通兑): staff of the
committee they serve in now hand them over; only who looks after them changes."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories import login_verified, scope_of
from volunteers import bank, profiles
from volunteers.models import CreditAccount, CreditEntry, CreditKind, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def mover(tree):
    """A volunteer of 延长新村 with 5 credits."""
    person = Volunteer.objects.create(committee=tree.committee, name="搬家的志愿者", kind="other")
    account = CreditAccount.objects.create(volunteer=person, area=tree.committee)
    with transaction.atomic():
        bank.post(bank.lock(account)[account.pk], Decimal(5), CreditKind.EARNED, by=None)
    return person


def test_the_balance_and_the_ledger_go_with_them(mover, owner, tree):
    moved = profiles.move(owner, mover, f" {tree.far_committee.code} ", scope=scope_of(owner))
    assert moved.committee == tree.far_committee
    account = CreditAccount.objects.get(volunteer=mover)
    assert account.area == tree.far_committee and account.balance == Decimal(5)
    assert CreditEntry.objects.filter(account=account).count() == 1
    entry = AuditEntry.objects.filter(object_id=str(mover.pk), note__contains="moved").get()
    assert entry.changes["committee"] == [tree.committee.name, tree.far_committee.name]


@pytest.mark.parametrize(
    ("code", "says"),
    [("", "12-digit code"), ("310106999999", "no committee with the code"), ("same", "already serves")],
)
def test_a_wrong_committee_is_refused_and_nothing_changes(mover, owner, tree, code, says):
    code = {"same": tree.committee.code}.get(code, code)
    with pytest.raises(ValidationError) as refused:
        profiles.move(owner, mover, code, scope=scope_of(owner))
    assert says in refused.value.message_dict["committee"][0]
    mover.refresh_from_db()
    assert mover.committee == tree.committee
    assert CreditAccount.objects.get(volunteer=mover).area == tree.committee


def test_a_street_is_not_a_committee(mover, owner, tree):
    with pytest.raises(ValidationError, match="not a residents' committee"):
        profiles.move(owner, mover, tree.street.code, scope=scope_of(owner))


def test_only_their_committee_hands_them_over(mover, outsider, tree):
    with pytest.raises(PermissionDenied):
        profiles.move(outsider, mover, tree.neighbour.code, scope=scope_of(outsider))


def test_the_volunteer_page_moves_them(client, mover, owner, tree):
    login_verified(client, owner)
    page = reverse("volunteers:volunteer", args=[mover.pk])
    refused = client.post(page, {"committee": "123"})
    assert refused.status_code == 422 and "no committee with the code 123" in refused.content.decode()
    done = client.post(page, {"committee": tree.neighbour.code})
    assert done.status_code == 302
    assert Volunteer.objects.get(pk=mover.pk).committee == tree.neighbour
