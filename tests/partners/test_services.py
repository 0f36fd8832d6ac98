"""Keeping the partner units: every rule a keeper can run into, and what it changes (nothing,
when refused)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import Role
from partners import services
from partners.models import Agreement, Contribution, Offer, OfferKind, PartnerContact, PartnerUnit, UnitKind
from partners.rules import serves
from partners.services import AgreementDraft, ContributionDraft, UnitDraft
from tests.factories import UserFactory, scope_of

pytestmark = pytest.mark.django_db


def _messages(error) -> str:
    return " ".join(error.value.messages)


# --- Units ---------------------------------------------------------------------------------


def test_a_unit_is_created_in_the_committee_with_a_landline(owner, tree):
    unit = services.create_unit(
        scope_of(owner),
        UnitDraft(name=" 延长  消防站 ", kind=UnitKind.FIRE_STATION, contact_phone="021 5678 1234"),
    )
    assert unit.area == tree.committee and unit.name == "延长 消防站"
    assert unit.contact_phone == "021-56781234"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+86 139 1234 5678", "13912345678"),
        ("(0512)65781234", "0512-65781234"),
        ("56781234", "56781234"),
        ("021-56781234转123", "021-56781234转123"),
    ],
)
def test_a_units_phone_is_a_mobile_or_a_landline(typed, stored):
    assert services.unit_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "1391234567", "021-567", "电话", "10912345678"])
def test_a_phone_that_is_neither_says_so(typed):
    with pytest.raises(ValidationError) as error:
        services.unit_phone(typed)
    assert "is not a mobile number, nor a landline such as 021-56781234" in _messages(error)


def test_unit_refusals_change_nothing(owner, units, tree):
    scope = scope_of(owner)
    with pytest.raises(ValidationError) as error:
        services.create_unit(scope, UnitDraft(name="大宁社区卫生服务中心", kind=UnitKind.CLINIC))
    assert "延长新村居委会 already has a partner unit named 大宁社区卫生服务中心" in _messages(error)
    with pytest.raises(ValidationError) as error:
        services.create_unit(scope, UnitDraft(name="", kind="bank", contact_phone="123"))
    assert set(error.value.message_dict) == {"name", "kind", "contact_phone"}
    with pytest.raises(PermissionDenied):
        services.create_unit(scope, UnitDraft(name="别处", kind=UnitKind.FIRM), area=tree.neighbour)
    with pytest.raises(ValidationError) as error:
        services.create_unit(scope, UnitDraft(name="楼组里", kind=UnitKind.FIRM), area=tree.group)
    assert "belongs to a committee or a street" in _messages(error)
    assert PartnerUnit.objects.count() == 3


def test_a_partner_login_keeps_no_registry(units):
    with pytest.raises(PermissionDenied):
        services.create_unit(scope_of(units.doctor), UnitDraft(name="新单位", kind=UnitKind.FIRM))


def test_a_streets_unit_is_kept_by_the_street_only(owner, street_admin, units):
    draft = UnitDraft(name="大宁路第一小学", kind=UnitKind.SCHOOL)
    with pytest.raises(PermissionDenied):
        services.update_unit(scope_of(owner), units.school, draft)
    services.update_unit(scope_of(street_admin), units.school, draft)
    units.school.refresh_from_db()
    assert units.school.name == "大宁路第一小学"


def test_ending_a_unit_ends_its_contacts_and_keeps_it(owner, units):
    scope = scope_of(owner)
    with pytest.raises(ValidationError) as error:
        services.end_unit(owner, scope, units.clinic, " ")
    assert "Say why the partnership ends" in _messages(error)
    assert serves(units.doctor, scope_of(units.doctor), units.clinic)
    services.end_unit(owner, scope, units.clinic, "协议到期")
    units.clinic.refresh_from_db()
    assert units.clinic.ended_at is not None
    assert PartnerContact.objects.get(user=units.doctor).until == timezone.localdate()
    assert not serves(units.doctor, scope_of(units.doctor), units.clinic)
    with pytest.raises(ValidationError) as error:
        services.end_unit(owner, scope, units.clinic, "again")
    assert "no longer a partner unit" in _messages(error)
    with pytest.raises(ValidationError):
        services.update_unit(scope, units.clinic, UnitDraft(name="x", kind=UnitKind.CLINIC))


# --- Agreements ----------------------------------------------------------------------------


def test_an_agreement_cannot_end_before_it_starts(owner, units):
    scope = scope_of(owner)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.add_agreement(
            scope,
            units.clinic,
            AgreementDraft(title="共建协议", starts_on=date(2026, 3, 1), ends_on=date(2026, 2, 1)),
        )
    assert error.value.message_dict == {"ends_on": ["The agreement cannot end before it starts."]}
    with pytest.raises(ValidationError) as error:
        services.add_agreement(
            scope,
            units.clinic,
            AgreementDraft(title=" ", starts_on=today, signed_on=today + timedelta(days=1)),
        )
    assert set(error.value.message_dict) == {"title", "signed_on"}
    assert not Agreement.objects.exists()
    made = services.add_agreement(
        scope,
        units.clinic,
        AgreementDraft(title="2026年共建协议", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)),
    )
    assert list(units.clinic.agreements.all()) == [made]


# --- Offers --------------------------------------------------------------------------------


def test_offers_are_kept_by_staff_and_by_the_units_own_people(owner, units):
    by_staff = services.add_offer(
        owner, scope_of(owner), units.clinic, kind=OfferKind.DOCTORS, description="义诊"
    )
    by_unit = services.add_offer(
        units.doctor,
        scope_of(units.doctor),
        units.clinic,
        kind=OfferKind.ROOM,
        description="会议室",
        amount="每月一次",
    )
    services.update_offer(
        units.doctor, scope_of(units.doctor), by_staff, kind=OfferKind.DOCTORS, description="两名医生义诊"
    )
    by_staff.refresh_from_db()
    assert by_staff.description == "两名医生义诊" and by_unit.amount == "每月一次"


def test_another_units_people_may_not_touch_an_offer(units):
    offer = Offer.objects.create(unit=units.clinic, kind=OfferKind.DOCTORS, description="义诊")
    with pytest.raises(PermissionDenied):
        services.withdraw_offer(units.clerk, scope_of(units.clerk), offer)
    with pytest.raises(PermissionDenied):
        services.add_offer(
            units.clerk, scope_of(units.clerk), units.clinic, kind=OfferKind.FUNDS, description="x"
        )


def test_a_withdrawn_offer_is_kept_and_not_changed(owner, units):
    scope = scope_of(owner)
    offer = services.add_offer(owner, scope, units.clinic, kind=OfferKind.LEGAL, description="法律咨询")
    services.withdraw_offer(owner, scope, offer)
    offer.refresh_from_db()
    assert offer.withdrawn_at is not None and Offer.objects.filter(pk=offer.pk).exists()
    with pytest.raises(ValidationError) as error:
        services.withdraw_offer(owner, scope, offer)
    assert "already withdrawn" in _messages(error)
    with pytest.raises(ValidationError) as error:
        services.update_offer(owner, scope, offer, kind=OfferKind.LEGAL, description="新")
    assert "was withdrawn" in _messages(error)


def test_an_offer_needs_a_kind_and_a_description(owner, units):
    with pytest.raises(ValidationError) as error:
        services.add_offer(owner, scope_of(owner), units.clinic, kind="money", description=" ")
    assert set(error.value.message_dict) == {"kind", "description"}


# --- Contributions -------------------------------------------------------------------------


def test_a_contribution_is_recorded(owner, units):
    offer = Offer.objects.create(unit=units.clinic, kind=OfferKind.DOCTORS, description="义诊")
    made = services.record_contribution(
        owner,
        scope_of(owner),
        units.clinic,
        ContributionDraft(
            on=timezone.localdate(), what="义诊", people_served=38, hours=Decimal("4"), offer=offer
        ),
    )
    assert made.recorded_by == owner and made.people_served == 38


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"on": date.today() + timedelta(days=2)}, "on", "cannot be in the future"),
        ({"people_served": -1}, "people_served", "cannot be negative"),
        ({"hours": Decimal("-0.5")}, "hours", "Hours given cannot be negative"),
        ({"amount_yuan": Decimal("-5")}, "amount_yuan", "Funds cannot be negative"),
        ({"what": " "}, "what", "Say what the unit gave"),
        ({"people_served": 0, "hours": Decimal(0)}, "people_served", "Give at least one figure"),
    ],
)
def test_contribution_refusals(owner, units, change, field, words):
    values: dict = {"on": timezone.localdate(), "what": "义诊", "people_served": 10, "hours": Decimal(2)}
    values.update(change)
    with pytest.raises(ValidationError) as error:
        services.record_contribution(owner, scope_of(owner), units.clinic, ContributionDraft(**values))
    assert words in " ".join(error.value.message_dict[field])
    assert not Contribution.objects.exists()


def test_a_contribution_under_another_units_offer_is_refused(owner, units):
    offer = Offer.objects.create(unit=units.firm, kind=OfferKind.LEGAL, description="咨询")
    draft = ContributionDraft(on=timezone.localdate(), what="义诊", people_served=3, offer=offer)
    with pytest.raises(ValidationError) as error:
        services.record_contribution(owner, scope_of(owner), units.clinic, draft)
    assert "this unit's own offers" in _messages(error)


def test_only_staff_record_contributions(units):
    draft = ContributionDraft(on=timezone.localdate(), what="义诊", people_served=3)
    with pytest.raises(PermissionDenied):
        services.record_contribution(units.doctor, scope_of(units.doctor), units.clinic, draft)


# --- Contacts ------------------------------------------------------------------------------


def test_a_lead_links_a_new_person_who_gets_an_account_and_the_role(colleague, units, tree):
    linked = services.link_contact(
        colleague, scope_of(colleague), units.clinic, phone="139 0000 8888", name="王护士"
    )
    person = User.objects.get(phone="13900008888")
    assert linked.contact.user == person and linked.password and person.check_password(linked.password)
    assert person.must_change_password and person.home_area == tree.committee
    assert linked.role_granted
    assert (
        RoleGrant.objects.active().filter(user=person, role=Role.PARTNER_UNIT, area=tree.committee).exists()
    )
    assert serves(person, scope_of(person), units.clinic)


def test_a_social_worker_links_someone_and_is_told_to_ask_for_the_role(owner, units, tree):
    someone = UserFactory.create(name="赵老师", home_area=tree.committee)
    linked = services.link_contact(owner, scope_of(owner), units.clinic, phone=someone.phone)
    assert linked.contact.user == someone and not linked.password
    assert not linked.role_granted and "Ask your committee lead" in linked.role_note
    assert not RoleGrant.objects.filter(user=someone).exists()


def test_contact_refusals(owner, units):
    scope = scope_of(owner)
    with pytest.raises(ValidationError) as error:
        services.link_contact(owner, scope, units.clinic, phone="021-56781234")
    assert "phone" in error.value.message_dict and "mobile" in _messages(error)
    with pytest.raises(ValidationError) as error:
        services.link_contact(owner, scope, units.clinic, phone="13900007777")
    assert "give the person's name" in _messages(error)
    with pytest.raises(ValidationError) as error:
        services.link_contact(owner, scope, units.clinic, phone=units.doctor.phone)
    assert "already a contact of this unit" in _messages(error)
    with pytest.raises(PermissionDenied):
        services.link_contact(owner, scope, units.firm, phone="13900007777", name="x")
    assert not User.objects.filter(phone="13900007777").exists()


def test_an_ended_contact_no_longer_acts_for_the_unit(owner, units):
    contact = PartnerContact.objects.get(user=units.doctor)
    services.end_contact(owner, scope_of(owner), contact)
    assert not serves(units.doctor, scope_of(units.doctor), units.clinic)
    with pytest.raises(ValidationError) as error:
        services.end_contact(owner, scope_of(owner), contact)
    assert "already ended" in _messages(error)


def test_every_change_is_in_the_audit_log(owner, units):
    from audit.models import AuditEntry

    scope = scope_of(owner)
    offer = services.add_offer(owner, scope, units.clinic, kind=OfferKind.ROOM, description="会议室")
    services.withdraw_offer(owner, scope, offer)
    services.end_unit(owner, scope, units.clinic, "协议到期" * 100)
    logged = AuditEntry.objects.filter(area_path__startswith=units.clinic.area.path)
    assert logged.filter(action="create", object_id=str(offer.pk)).exists()
    assert logged.filter(action="update", object_id=str(offer.pk)).exists()
    ended = logged.get(action="partner_unit_ended")
    assert ended.note.startswith("协议到期") and len(ended.note) == 255
