"""Keeping the partner units: a unit and its end, its co-building agreements, what it offers
(withdrawn, never deleted), what it gave, and the people who act for it.

Every write is one transaction; bad input is refused with a message naming the field and
changes nothing. Who may act is asked of ``partners.rules``: staff who manage partners over
the unit's area; for offers, also the unit's own people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import RoleGrant, User
from accounts.phone import normalize_phone
from accounts.roles import Role
from areas.models import Area, AreaLevel
from audit.services import record
from common.scope import Capability, Scope
from partners.models import (
    Agreement,
    Contribution,
    Offer,
    OfferKind,
    PartnerContact,
    PartnerUnit,
    UnitKind,
)
from partners.rules import manages, serves

UNIT_LEVELS = (AreaLevel.COMMITTEE, AreaLevel.STREET)
MAX_HOURS = Decimal("10000")
MAX_YUAN = Decimal("9999999999")
MAX_PEOPLE = 1_000_000
# 021-56781234, 0512 6578 1234, (021)56781234, 56781234, with an extension after 转 or "ext".
# Area codes are three digits for Beijing (010) and the 02x cities, four for the others.
_LANDLINE = re.compile(
    r"^(0[12]\d|0[3-9]\d\d)?([2-9]\d{6,7})(?:(?:转|ext|x)(\d{1,6}))?$", re.ASCII | re.IGNORECASE
)
_SEPARATORS = re.compile(r"[\s\-()（）]")


def unit_phone(raw: str) -> str:
    """A unit's phone: a mobile number (as ``normalize_phone`` stores it) or a landline, kept
    as ``021-56781234`` (``转123`` for an extension). Empty stays empty."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        return normalize_phone(text)
    except ValidationError:
        pass
    compact = _SEPARATORS.sub("", text)
    found = _LANDLINE.match(compact)
    if found is None or compact.startswith("1"):
        raise ValidationError(
            _("“%(value)s” is not a mobile number, nor a landline such as 021-56781234.") % {"value": text}
        )
    area_code, number, extension = found.groups()
    value = f"{area_code}-{number}" if area_code else number
    return f"{value}转{extension}" if extension else value


def _require_manager(scope: Scope, unit: PartnerUnit) -> None:
    if not scope.can(Capability.MANAGE_PARTNERS):
        raise PermissionDenied(_("Your active role may not keep partner units."))
    if not manages(scope, unit):
        raise PermissionDenied(_("This partner unit belongs to another area; its own staff keep it."))


def _require_current(unit: PartnerUnit) -> None:
    if unit.ended_at is not None:
        raise ValidationError(_("%(name)s is no longer a partner unit.") % {"name": unit.name})


# --- Units ---------------------------------------------------------------------------------


@dataclass
class UnitDraft:
    name: str
    kind: str
    address: str = ""
    about: str = ""
    contact_name: str = ""
    contact_phone: str = ""


def _check_unit(area: Area, draft: UnitDraft, unit: PartnerUnit | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    name = " ".join(draft.name.split())
    if not name:
        problems["name"] = [_("Give the unit's name.")]
    elif len(name) > 120:
        problems["name"] = [_("At most 120 characters, please.")]
    elif (
        PartnerUnit.objects.current()
        .filter(area=area, name=name)
        .exclude(pk__in=[unit.pk] if unit else [])
        .exists()
    ):
        problems["name"] = [
            _("%(area)s already has a partner unit named %(name)s.") % {"area": area.name, "name": name}
        ]
    if draft.kind not in UnitKind.values:
        problems["kind"] = [_("Choose what kind of unit it is.")]
    if len(draft.address.strip()) > 200:
        problems["address"] = [_("At most 200 characters, please.")]
    if len(draft.contact_name.strip()) > 60:
        problems["contact_name"] = [_("At most 60 characters, please.")]
    try:
        draft.contact_phone = unit_phone(draft.contact_phone)
    except ValidationError as error:
        problems["contact_phone"] = error.messages
    return problems


def _write_unit(unit: PartnerUnit, draft: UnitDraft) -> PartnerUnit:
    unit.name = " ".join(draft.name.split())
    unit.kind = draft.kind
    unit.address = draft.address.strip()
    unit.about = draft.about.strip()
    unit.contact_name = draft.contact_name.strip()
    unit.contact_phone = draft.contact_phone
    unit.save()
    return unit


@transaction.atomic
def create_unit(scope: Scope, draft: UnitDraft, *, area: Area | None = None) -> PartnerUnit:
    """A new partner unit of a committee or a street inside the scope (the scope's own area
    unless another is given)."""
    if not scope.can(Capability.MANAGE_PARTNERS):
        raise PermissionDenied(_("Your active role may not keep partner units."))
    area = area or scope.area
    if area is None or not scope.covers(area):
        raise PermissionDenied(_("Partner units are kept in your own area."))
    if area.level not in UNIT_LEVELS:
        raise ValidationError({"area": [_("A partner unit belongs to a committee or a street.")]})
    problems = _check_unit(area, draft, None)
    if problems:
        raise ValidationError(problems)
    return _write_unit(PartnerUnit(area=area), draft)


@transaction.atomic
def update_unit(scope: Scope, unit: PartnerUnit, draft: UnitDraft) -> PartnerUnit:
    """Change a current unit's name, kind, address, about or contact."""
    _require_manager(scope, unit)
    locked = PartnerUnit.objects.select_for_update().select_related("area").get(pk=unit.pk)
    _require_current(locked)
    problems = _check_unit(locked.area, draft, locked)
    if problems:
        raise ValidationError(problems)
    return _write_unit(locked, draft)


@transaction.atomic
def end_unit(actor: User, scope: Scope, unit: PartnerUnit, reason: str) -> PartnerUnit:
    """No longer a partner: kept with its history (requests, shifts, contributions); its
    contacts end today, so its people no longer see it."""
    _require_manager(scope, unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the partnership ends; it goes into the log.")]})
    locked = PartnerUnit.objects.select_for_update().get(pk=unit.pk)
    _require_current(locked)
    locked.ended_at = timezone.now()
    locked.save(update_fields=["ended_at"])
    today = timezone.localdate()
    for contact in PartnerContact.objects.filter(unit=locked, until__isnull=True):
        contact.until = max(today, contact.since)
        contact.save(update_fields=["until"])
    record("partner_unit_ended", locked, actor=actor, note=reason[:255])
    return locked


# --- Agreements ----------------------------------------------------------------------------


@dataclass
class AgreementDraft:
    title: str
    starts_on: date
    ends_on: date | None = None
    signed_on: date | None = None
    terms: str = ""


@transaction.atomic
def add_agreement(scope: Scope, unit: PartnerUnit, draft: AgreementDraft) -> Agreement:
    """A co-building agreement (共建协议) for a period: it cannot end before it starts, and it
    is not signed in the future."""
    _require_manager(scope, unit)
    _require_current(unit)
    problems: dict[str, list[str]] = {}
    title = " ".join(draft.title.split())
    if not title:
        problems["title"] = [_("Give the agreement a title.")]
    elif len(title) > 120:
        problems["title"] = [_("At most 120 characters, please.")]
    if draft.ends_on is not None and draft.ends_on < draft.starts_on:
        problems["ends_on"] = [_("The agreement cannot end before it starts.")]
    if draft.signed_on is not None and draft.signed_on > timezone.localdate():
        problems["signed_on"] = [_("It cannot have been signed in the future.")]
    if problems:
        raise ValidationError(problems)
    return Agreement.objects.create(
        unit=unit,
        title=title,
        starts_on=draft.starts_on,
        ends_on=draft.ends_on,
        signed_on=draft.signed_on,
        terms=draft.terms.strip(),
    )


# --- Offers --------------------------------------------------------------------------------


def _require_offer_keeper(actor: User, scope: Scope, unit: PartnerUnit) -> None:
    if not (manages(scope, unit) or serves(actor, scope, unit)):
        raise PermissionDenied(_("Only the unit's own people or its committee's staff change its offers."))


def _check_offer(kind: str, description: str, amount: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if kind not in OfferKind.values:
        problems["kind"] = [_("Choose what kind of help it is.")]
    if not description.strip():
        problems["description"] = [_("Say what is offered.")]
    elif len(description.strip()) > 200:
        problems["description"] = [_("At most 200 characters, please.")]
    if len(amount.strip()) > 100:
        problems["amount"] = [_("At most 100 characters, please.")]
    return problems


@transaction.atomic
def add_offer(
    actor: User, scope: Scope, unit: PartnerUnit, *, kind: str, description: str, amount: str = ""
) -> Offer:
    """Something the unit offers: "two doctors for the monthly free clinic"."""
    _require_offer_keeper(actor, scope, unit)
    _require_current(unit)
    problems = _check_offer(kind, description, amount)
    if problems:
        raise ValidationError(problems)
    return Offer.objects.create(unit=unit, kind=kind, description=description.strip(), amount=amount.strip())


@transaction.atomic
def update_offer(
    actor: User, scope: Scope, offer: Offer, *, kind: str, description: str, amount: str = ""
) -> Offer:
    """Change what an offer says, while it stands."""
    _require_offer_keeper(actor, scope, offer.unit)
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This offer was withdrawn; add a new one instead."))
    problems = _check_offer(kind, description, amount)
    if problems:
        raise ValidationError(problems)
    locked.kind, locked.description, locked.amount = kind, description.strip(), amount.strip()
    locked.save()
    return locked


@transaction.atomic
def withdraw_offer(actor: User, scope: Scope, offer: Offer) -> Offer:
    """No longer offered: kept, so what it was and when it ended stay readable."""
    _require_offer_keeper(actor, scope, offer.unit)
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This offer is already withdrawn."))
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    return locked


# --- Contributions -------------------------------------------------------------------------


@dataclass
class ContributionDraft:
    on: date
    what: str
    people_served: int = 0
    hours: Decimal = Decimal(0)
    amount_yuan: Decimal = Decimal(0)
    offer: Offer | None = None


def _check_contribution(unit: PartnerUnit, draft: ContributionDraft) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if draft.on > timezone.localdate():
        problems["on"] = [_("A contribution is recorded once given: the day cannot be in the future.")]
    if not draft.what.strip():
        problems["what"] = [_("Say what the unit gave.")]
    elif len(draft.what.strip()) > 200:
        problems["what"] = [_("At most 200 characters, please.")]
    if draft.people_served < 0:
        problems["people_served"] = [_("The number of residents served cannot be negative.")]
    elif draft.people_served > MAX_PEOPLE:
        problems["people_served"] = [_("At most %(n)d residents.") % {"n": MAX_PEOPLE}]
    if draft.hours < 0:
        problems["hours"] = [_("Hours given cannot be negative.")]
    elif draft.hours > MAX_HOURS:
        problems["hours"] = [_("At most %(n)s hours in one entry.") % {"n": MAX_HOURS}]
    if draft.amount_yuan < 0:
        problems["amount_yuan"] = [_("Funds cannot be negative.")]
    elif draft.amount_yuan > MAX_YUAN:
        problems["amount_yuan"] = [_("That amount is too large to be right.")]
    if draft.offer is not None and draft.offer.unit_id != unit.pk:
        problems["offer"] = [_("Choose one of this unit's own offers.")]
    if not problems and not (draft.people_served or draft.hours or draft.amount_yuan):
        problems["people_served"] = [_("Give at least one figure: residents served, hours or funds.")]
    return problems


@transaction.atomic
def record_contribution(
    actor: User, scope: Scope, unit: PartnerUnit, draft: ContributionDraft
) -> Contribution:
    """What a unit gave on a day, beyond requests and shifts (which count themselves)."""
    _require_manager(scope, unit)
    problems = _check_contribution(unit, draft)
    if unit.ended_at is not None and draft.on > timezone.localtime(unit.ended_at).date():
        problems.setdefault("on", []).append(_("The unit was no longer a partner on that day."))
    if problems:
        raise ValidationError(problems)
    return Contribution.objects.create(
        unit=unit,
        offer=draft.offer,
        on=draft.on,
        what=draft.what.strip(),
        people_served=draft.people_served,
        hours=draft.hours,
        amount_yuan=draft.amount_yuan,
        recorded_by=actor,
    )


# --- Contacts ------------------------------------------------------------------------------


@dataclass
class Linked:
    """A contact linked: the password to hand over once when the account is new, and what
    became of the partner-unit role (``role_note`` says why it still has to be granted)."""

    contact: PartnerContact
    password: str = ""
    role_granted: bool = False
    role_note: str = ""


def holds_partner_role(user: User, area: Area) -> bool:
    """An active partner-unit role over ``area`` or an area above it."""
    return (
        RoleGrant.objects.active()
        .filter(user=user, role=Role.PARTNER_UNIT, area__path__in=[*area.ancestor_paths(), area.path])
        .exists()
    )


@transaction.atomic
def link_contact(actor: User, scope: Scope, unit: PartnerUnit, *, phone: str, name: str = "") -> Linked:
    """Someone who acts for the unit, found by mobile number (an account is made for a new
    number, with a temporary password to hand over), given the partner-unit role over the
    unit's area where the staff's role may grant roles."""
    _require_manager(scope, unit)
    _require_current(unit)
    try:
        number = normalize_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from error
    user = User.objects.filter(phone=number).first()
    password = ""
    if user is None:
        name = " ".join((name or "").split())
        if not name:
            raise ValidationError({"name": [_("No account has this number yet: give the person's name.")]})
        if len(name) > 50:
            raise ValidationError({"name": [_("At most 50 characters, please.")]})
        password = account_services.temporary_password()
        user = User.objects.create_user(
            number, password, name=name, home_area=unit.area, must_change_password=True
        )
    elif not user.is_active:
        raise ValidationError({"phone": [_("The account of this number is closed.")]})
    elif PartnerContact.objects.filter(unit=unit, user=user, until__isnull=True).exists():
        raise ValidationError(
            {"phone": [_("%(name)s is already a contact of this unit.") % {"name": user.name}]}
        )
    contact = PartnerContact.objects.create(unit=unit, user=user, since=timezone.localdate())
    linked = Linked(contact, password)
    if holds_partner_role(user, unit.area):
        linked.role_granted = True
    elif scope.can(Capability.GRANT_ROLES):
        try:
            account_services.grant_role(actor, scope, user, Role.PARTNER_UNIT, unit.area)
        except ValidationError as error:
            linked.role_note = " ".join(error.messages)
        else:
            linked.role_granted = True
    else:
        linked.role_note = _(
            "Ask your committee lead to grant %(name)s the partner-unit role over %(area)s."
        ) % {
            "name": user.name,
            "area": unit.area.name,
        }
    record("partner_linked", contact, actor=actor, note=unit.name)
    return linked


@transaction.atomic
def end_contact(actor: User, scope: Scope, contact: PartnerContact) -> PartnerContact:
    """The person no longer acts for the unit: from today they no longer see it."""
    _require_manager(scope, contact.unit)
    locked = PartnerContact.objects.select_for_update().get(pk=contact.pk)
    if locked.until is not None:
        raise ValidationError(_("This contact has already ended."))
    locked.until = max(timezone.localdate(), locked.since)
    locked.save(update_fields=["until"])
    record("partner_unlinked", locked, actor=actor, note=contact.unit.name)
    return locked
