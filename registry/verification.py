"""Resident accounts and the registry: registering, verifying, accounts made by staff, and
family members who act for an elderly resident.

A resident account counts towards the on-cloud rate (上云率) once it is linked to the
person's registry record: by staff who check it, by the resident typing their identity
number (which must match the record of the same name in their committee), or because staff
made the account for the resident themselves.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.phone import normalize_phone
from accounts.services import temporary_password
from areas.models import Area, AreaLevel
from common.scope import Capability, Scope
from notifications.models import NotificationKind
from notifications.services import notify
from registry import crypto
from registry.identity import normalize_id_number
from registry.models import (
    Proxy,
    Registration,
    RegistrationStatus,
    Resident,
    VerificationMethod,
)
from registry.services import clean_door

SELF_CHECK_LIMIT = 5
RELATION_MAX_LENGTH = 30


def _require(scope: Scope) -> None:
    if not scope.can(Capability.MANAGE_ACCOUNTS):
        raise PermissionDenied(_("Your active role may not manage residents' accounts."))


def _free_phone(phone: str) -> str:
    try:
        phone = normalize_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None
    if User.objects.filter(phone=phone).exists():
        raise ValidationError(
            {
                "phone": _(
                    "An account already uses this number: log in with it, or ask the committee to reset it."
                )
            }
        )
    return phone


# --- Registering ----------------------------------------------------------------------------


@transaction.atomic
def register(
    *,
    phone: str,
    name: str,
    password: str,
    committee: Area,
    building: Area | None,
    unit: str = "",
    room: str = "",
) -> Registration:
    """A resident signs up: a new account, and a registration waiting to be matched."""
    problems: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    if not name:
        problems["name"] = [_("Enter your name as on your identity card.")]
    if committee.level != AreaLevel.COMMITTEE or committee.is_retired:
        problems["committee"] = [_("Choose your residents' committee.")]
    if building is not None and (
        building.level != AreaLevel.BUILDING or not building.path.startswith(committee.path)
    ):
        problems["building"] = [_("Choose a building of your committee.")]
    try:
        phone = _free_phone(phone)
    except ValidationError as error:
        problems.update(error.message_dict)
    try:
        unit, room = clean_door(unit, room) if room or unit else ("", "")
    except ValidationError as error:
        problems.update(error.message_dict)
    user = User(phone=phone if "phone" not in problems else "", name=name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        problems["password"] = error.messages
    if problems:
        raise ValidationError(problems)
    user.home_area = building or committee
    user.set_password(password)
    user.save()
    return Registration.objects.create(
        user=user,
        committee=committee,
        area=building or committee,
        unit=unit,
        room=room,
        name=name,
    )


def pending_registration(user: User) -> Registration | None:
    return (
        Registration.objects.filter(user=user, status=RegistrationStatus.PENDING)
        .select_related("committee", "area")
        .first()
    )


def candidates(registration: Registration) -> list[Resident]:
    """Records this registration may belong to: the same name, living in the committee,
    not yet linked; those at the door the resident gave come first. One query."""
    found = (
        Resident.objects.living()
        .filter(committee=registration.committee, name=registration.name, user__isnull=True)
        .select_related("household__building")
        .order_by("pk")[:20]
    )

    def closeness(person: Resident) -> tuple[int, int]:
        home = person.household
        same_building = home.building_id == registration.area_id
        return (0 if same_building and home.room == registration.room else 1, 0 if same_building else 1)

    return sorted(found, key=closeness)


def _link(registration: Registration, resident: Resident, method: str, actor: User | None) -> Resident:
    if resident.user_id is not None:
        raise ValidationError(
            _("%(name)s's record is already linked to an account.") % {"name": resident.name}
        )
    if not resident.is_living or resident.committee_id != registration.committee_id:
        raise ValidationError(_("That record is not of a resident living in this committee."))
    now = timezone.now()
    resident.user = registration.user
    resident.verified_at = now
    resident.save()
    registration.status = RegistrationStatus.VERIFIED
    registration.method = method
    registration.resident = resident
    registration.decided_by = actor
    registration.decided_at = now
    registration.save()
    user = registration.user
    user.home_area = resident.household.building
    user.save(update_fields=["home_area"])
    return resident


@transaction.atomic
def verify(actor: User, scope: Scope, registration: Registration, resident: Resident) -> Resident:
    """Staff match a registration to the record they checked it against."""
    _require(scope)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_pending:
        raise ValidationError(_("This registration has already been decided."))
    if not scope.covers(registration.area) or not scope.covers(resident.household.building):
        raise PermissionDenied(_("This registration lies outside your area."))
    linked = _link(registration, resident, VerificationMethod.STAFF, actor)
    notify(
        [registration.user],
        kind=NotificationKind.ACCOUNT,
        title=_("Your account is verified"),
        body=_("%(committee)s found you in its registry: you can now use every service for residents.")
        % {"committee": registration.committee.name},
        url=reverse("registry:me"),
        sms=True,
    )
    return linked


@transaction.atomic
def reject(actor: User, scope: Scope, registration: Registration, note: str) -> Registration:
    """Not a resident we can find: the account stays, unverified, with the reason."""
    _require(scope)
    if not registration.is_pending:
        raise ValidationError(_("This registration has already been decided."))
    if not scope.covers(registration.area):
        raise PermissionDenied(_("This registration lies outside your area."))
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError({"note": _("Say why, so the resident knows what to do.")})
    registration.status = RegistrationStatus.REJECTED
    registration.note = note[:200]
    registration.decided_by = actor
    registration.decided_at = timezone.now()
    registration.save()
    notify(
        [registration.user],
        kind=NotificationKind.ACCOUNT,
        title=_("Your account could not be verified"),
        body=_("%(committee)s says: %(note)s")
        % {"committee": registration.committee.name, "note": note[:200]},
        url=reverse("registry:me"),
        sms=True,
    )
    return registration


def verify_self(user: User, id_number: str) -> Resident:
    """The resident types their identity number: it must be that of the living, unlinked
    record of the same name in the committee they registered with. Five wrong tries and
    only staff can verify (so the form cannot be used to guess numbers)."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(user=user, status=RegistrationStatus.PENDING)
            .select_related("committee")
            .first()
        )
        if registration is None:
            raise ValidationError(_("There is no registration of yours waiting to be verified."))
        if registration.failed_checks >= SELF_CHECK_LIMIT:
            raise ValidationError(
                _("Too many numbers did not match. Please ask %(committee)s to verify your account.")
                % {"committee": registration.committee.name}
            )
        number = normalize_id_number(id_number)
        match = (
            Resident.objects.living()
            .filter(
                committee=registration.committee,
                id_hash=crypto.keyed_hash(number) if number else "-",
                name=registration.name,
                user__isnull=True,
            )
            .select_related("household__building")
            .first()
        )
        if match is not None:
            return _link(registration, match, VerificationMethod.ID_NUMBER, None)
        # Counted and committed before the error is raised: a wrong try must stay counted.
        registration.failed_checks += 1
        registration.save(update_fields=["failed_checks"])
    left = SELF_CHECK_LIMIT - registration.failed_checks
    raise ValidationError(
        {
            "id_number": _(
                "%(committee)s has no record of %(name)s with this number. Check the number "
                "(%(left)d tries left), or ask the committee office to verify you."
            )
            % {"committee": registration.committee.name, "name": registration.name, "left": left}
        }
    )


# --- Accounts made by staff, and family proxies ------------------------------------------------


@transaction.atomic
def create_account(actor: User, scope: Scope, resident: Resident, phone: str) -> tuple[User, str]:
    """Staff register an elderly resident: an account on their mobile number, verified at
    once, with a temporary password to hand over (they choose their own at first login)."""
    _require(scope)
    if not scope.covers(resident.household.building):
        raise PermissionDenied(_("This resident lies outside your area."))
    if not resident.is_living:
        raise ValidationError(_("%(name)s no longer lives here.") % {"name": resident.name})
    if resident.user_id is not None:
        raise ValidationError(_("%(name)s already has an account.") % {"name": resident.name})
    phone = _free_phone(phone)
    password = temporary_password()
    user = User(
        phone=phone, name=resident.name, home_area=resident.household.building, must_change_password=True
    )
    user.set_password(password)
    user.save()
    registration = Registration.objects.create(
        user=user,
        committee=resident.committee,
        area=resident.household.building,
        unit=resident.household.unit,
        room=resident.household.room,
        name=resident.name,
    )
    _link(registration, resident, VerificationMethod.STAFF_CREATED, actor)
    return user, password


@transaction.atomic
def link_proxy(actor: User, scope: Scope, resident: Resident, phone: str, relation: str) -> Proxy:
    """A family member's account acts for the resident (家属代办); the family member has
    registered an account of their own first, wherever they live."""
    _require(scope)
    if not scope.covers(resident.household.building):
        raise PermissionDenied(_("This resident lies outside your area."))
    relation = " ".join((relation or "").split())
    if not relation:
        raise ValidationError({"relation": _("Say how they are related, e.g. 女儿 (daughter).")})
    try:
        phone = normalize_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None
    family = User.objects.filter(phone=phone, is_active=True).first()
    if family is None:
        raise ValidationError(
            {
                "phone": _(
                    "No account uses this number. The family member registers first, then link them here."
                )
            }
        )
    if family.pk == resident.user_id:
        raise ValidationError({"phone": _("That is the resident's own account.")})
    if Proxy.objects.filter(resident=resident, user=family, revoked_at__isnull=True).exists():
        raise ValidationError(
            {"phone": _("%(name)s already acts for this resident.") % {"name": family.name}}
        )
    return Proxy.objects.create(
        resident=resident, user=family, relation=relation[:RELATION_MAX_LENGTH], created_by=actor
    )


@transaction.atomic
def unlink_proxy(actor: User, scope: Scope, proxy: Proxy) -> Proxy:
    _require(scope)
    if not scope.covers(proxy.resident.household.building):
        raise PermissionDenied(_("This resident lies outside your area."))
    if proxy.revoked_at is None:
        proxy.revoked_at = timezone.now()
        proxy.save()
    return proxy


def acting_for(user: User) -> list[Proxy]:
    """The residents ``user`` acts for as a family proxy."""
    return list(
        Proxy.objects.filter(user=user, revoked_at__isnull=True, resident__anonymised_at__isnull=True)
        .select_related("resident__household__building")
        .order_by("created_at")
    )
