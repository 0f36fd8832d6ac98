"""Becoming a volunteer, and a volunteer's profile (skills, when free, where they work).

Three ways in, one profile each person:
- a resident, from their own account, linked to their verified registry entry (kind RESIDENT);
- someone who does not live here (在职党员, a student, a foreign volunteer) with a mobile
  number proved by an SMS code (``notifications.phone_codes``), which makes their account;
- staff for someone without a phone (an elderly volunteer), or for anyone they sign up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.phone import normalize_phone
from areas.models import Area, AreaLevel
from audit.models import Action
from audit.services import record
from common.scope import Capability, Scope
from notifications import phone_codes
from registry.models import Resident
from volunteers import bank
from volunteers.models import Service, Volunteer, VolunteerKind
from volunteers.rules import manages

PHONE_PURPOSE = "volunteer"
# City-wide defaults (Service with no area), in this order.
DEFAULT_SERVICES = ["理发", "修家电", "量血压", "送餐", "陪诊", "法律咨询", "助浴", "读报"]
OUTSIDE_KINDS = (
    VolunteerKind.PARTY_MEMBER,
    VolunteerKind.STUDENT,
    VolunteerKind.FOREIGN,
    VolunteerKind.OTHER,
)


def ensure_default_services() -> int:
    """Write whichever city-wide default services are missing; how many were written."""
    written = 0
    for position, name in enumerate(DEFAULT_SERVICES, start=1):
        _service, created = Service.objects.get_or_create(
            area=None, name=name, defaults={"position": position}
        )
        written += created
    return written


def services_for(committee: Area) -> QuerySet[Service]:
    """The services a volunteer of ``committee`` may offer: the city's defaults, the
    committee's own and its street's."""
    return Service.objects.filter(
        Q(area__isnull=True) | Q(area=committee) | Q(area_id=committee.parent_id), retired_at__isnull=True
    )


@dataclass
class Profile:
    skills: list[Service] = field(default_factory=list)
    availability: str = ""
    affiliation: str = ""


def _clean_profile(committee: Area, profile: Profile) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    allowed = set(services_for(committee).values_list("pk", flat=True))
    strange = [s.name for s in profile.skills if s.pk not in allowed]
    if strange:
        problems["skills"] = [_("%(names)s is not a service offered here.") % {"names": "、".join(strange)}]
    if len(profile.availability) > 200:
        problems["availability"] = [_("Say when you are free in 200 characters or fewer.")]
    if len(profile.affiliation) > 120:
        problems["affiliation"] = [_("Say where you work or study in 120 characters or fewer.")]
    return problems


def _write_profile(volunteer: Volunteer, profile: Profile) -> None:
    volunteer.availability = " ".join(profile.availability.split())
    volunteer.affiliation = " ".join(profile.affiliation.split())
    volunteer.save()
    volunteer.skills.set(profile.skills)


def _no_second_profile(user: User) -> None:
    if Volunteer.objects.filter(user=user).exists():
        raise ValidationError(_("You are registered as a volunteer already."))


@transaction.atomic
def register_resident(user: User, profile: Profile) -> Volunteer:
    """A resident becomes a volunteer from their own account: linked to their verified
    registry entry, serving in the committee they live in."""
    resident = Resident.objects.living().filter(user=user).first()
    if resident is None:
        raise ValidationError(
            _(
                "Your account is not yet verified against the committee's registry; verify it first, "
                "or register as a volunteer who does not live here."
            )
        )
    _no_second_profile(user)
    if Volunteer.objects.filter(resident=resident).exists():
        raise ValidationError(_("%(name)s is registered as a volunteer already.") % {"name": resident.name})
    committee = Area.objects.get(pk=resident.committee_id)
    problems = _clean_profile(committee, profile)
    if problems:
        raise ValidationError(problems)
    volunteer = Volunteer(
        committee=committee,
        user=user,
        resident=resident,
        name=resident.name,
        kind=VolunteerKind.RESIDENT,
        phone=user.phone if not Volunteer.objects.filter(phone=user.phone).exists() else "",
        registered_by=user,
    )
    _write_profile(volunteer, profile)
    return volunteer


def send_phone_code(raw_phone: str, committee: Area) -> None:
    """The SMS code for registering as a volunteer of ``committee`` with ``raw_phone``."""
    if not committee.is_committee or committee.retired_at:
        raise ValidationError(_("Volunteers register with a residents' committee."))
    phone = phone_codes.mobile(raw_phone)
    if Volunteer.objects.filter(phone=phone).exists():
        raise ValidationError({"phone": _("This number is registered as a volunteer already.")})
    phone_codes.send_code(
        phone,
        purpose=PHONE_PURPOSE,
        area=committee,
        text=_("Your code to register as a volunteer of %(committee)s is %(code)s; it works for 10 minutes.")
        % {"committee": committee.name, "code": "%(code)s"},
    )


@dataclass
class Newcomer:
    """Someone who does not live here, registering with a mobile number."""

    name: str
    phone: str
    kind: str
    code: str
    password: str = ""
    profile: Profile = field(default_factory=Profile)


def _clean_newcomer(committee: Area, who: Newcomer, user: User | None) -> tuple[str, dict[str, list[str]]]:
    problems = _clean_profile(committee, who.profile)
    phone = ""
    try:
        phone = normalize_phone(who.phone)
    except ValidationError as error:
        problems["phone"] = error.messages
    if not " ".join(who.name.split()):
        problems["name"] = [_("Give your name.")]
    elif len(who.name) > 60:
        problems["name"] = [_("A name of 60 characters or fewer.")]
    if who.kind not in OUTSIDE_KINDS:
        problems["kind"] = [
            _("Choose who you are: a working party member, a student, a foreign volunteer or other.")
        ]
    if not committee.is_committee or committee.retired_at:
        problems["committee"] = [_("Volunteers register with a residents' committee.")]
    if user is None:
        if phone and User.objects.filter(phone=phone).exists():
            problems["phone"] = [
                _("This number already has an account: log in, then register as a volunteer.")
            ]
        try:
            validate_password(who.password)
        except ValidationError as error:
            problems["password"] = error.messages
    elif phone and phone != user.phone:
        problems["phone"] = [_("Use the number of your account; the code is sent there.")]
    if phone and Volunteer.objects.filter(phone=phone).exists():
        problems["phone"] = [_("This number is registered as a volunteer already.")]
    return phone, problems


def register_with_phone(committee: Area, who: Newcomer, *, user: User | None = None) -> Volunteer:
    """Someone who does not live here registers with a mobile number proved by the SMS code:
    their account is made (unless they are logged in with one) and their volunteer profile,
    the number marked verified. Everything is checked before the code, so a mistake in the
    form costs no try; a wrong code changes nothing but the count of tries."""
    if user is not None:
        _no_second_profile(user)
    phone, problems = _clean_newcomer(committee, who, user)
    if problems:
        raise ValidationError(problems)
    checked = phone_codes.check_code(phone, who.code, purpose=PHONE_PURPOSE)
    try:
        with transaction.atomic():
            phone_codes.use(checked)
            if user is None:
                user = User.objects.create_user(
                    phone, who.password, name=" ".join(who.name.split()), home_area=committee
                )
            volunteer = Volunteer(
                committee=committee,
                user=user,
                name=" ".join(who.name.split()),
                kind=who.kind,
                phone=phone,
                phone_verified_at=timezone.now(),
                registered_by=user,
            )
            _write_profile(volunteer, who.profile)
    except IntegrityError:
        raise ValidationError({"phone": _("This number is registered as a volunteer already.")}) from None
    return volunteer


@dataclass
class StaffEntry:
    """A volunteer registered by staff: a resident of the registry, or someone named here,
    with or without a phone."""

    name: str = ""
    kind: str = VolunteerKind.RESIDENT
    phone: str = ""
    resident: Resident | None = None
    profile: Profile = field(default_factory=Profile)


@transaction.atomic
def register_by_staff(actor: User, entry: StaffEntry, *, scope: Scope) -> Volunteer:
    """Staff register a volunteer of their committee: an elderly one without a phone, a
    resident from the registry, anyone who asked at the desk. A number given is stored as
    said, not verified."""
    if not scope.can(Capability.MANAGE_VOLUNTEERS):
        raise PermissionDenied(_("Your active role may not register volunteers."))
    committee = scope.committee(_("Volunteers are registered with a committee; act in a committee role."))
    if not manages(scope, committee):
        raise PermissionDenied(_("Your active role may not register volunteers."))
    problems = _clean_profile(committee, entry.profile)
    name = " ".join((entry.name or (entry.resident.name if entry.resident else "")).split())
    if not name:
        problems["name"] = [_("Give the volunteer's name.")]
    elif len(name) > 60:
        problems["name"] = [_("A name of 60 characters or fewer.")]
    if entry.kind not in VolunteerKind.values:
        problems["kind"] = [_("Choose who the volunteer is.")]
    resident = entry.resident
    if resident is not None:
        if resident.committee_id != committee.pk or not resident.is_living:
            problems["resident"] = [_("%(name)s does not live in this committee.") % {"name": resident.name}]
        elif Volunteer.objects.filter(resident=resident).exists():
            problems["resident"] = [
                _("%(name)s is registered as a volunteer already.") % {"name": resident.name}
            ]
    elif entry.kind == VolunteerKind.RESIDENT:
        problems.setdefault("resident", []).append(_("Choose the resident from the registry."))
    phone = ""
    if entry.phone.strip():
        try:
            phone = normalize_phone(entry.phone)
        except ValidationError as error:
            problems["phone"] = error.messages
        else:
            if Volunteer.objects.filter(phone=phone).exists():
                problems["phone"] = [_("This number is registered as a volunteer already.")]
    if problems:
        raise ValidationError(problems)
    volunteer = Volunteer(
        committee=committee,
        user=resident.user if resident is not None and resident.user_id else None,
        resident=resident,
        name=name,
        kind=VolunteerKind.RESIDENT if resident is not None else entry.kind,
        phone=phone,
        registered_by=actor,
    )
    if volunteer.user_id and Volunteer.objects.filter(user_id=volunteer.user_id).exists():
        volunteer.user = None
    _write_profile(volunteer, entry.profile)
    return volunteer


@transaction.atomic
def update_profile(actor: User, volunteer: Volunteer, profile: Profile, *, scope: Scope) -> Volunteer:
    """The volunteer changes their own skills and times; staff over their committee may too."""
    if volunteer.user_id != actor.pk and not manages(scope, volunteer.committee):
        raise PermissionDenied(_("You may change only your own volunteer profile."))
    problems = _clean_profile(volunteer.committee, profile)
    if problems:
        raise ValidationError(problems)
    _write_profile(volunteer, profile)
    return volunteer


@transaction.atomic
def move(actor: User, volunteer: Volunteer, to_code: str, *, scope: Scope) -> Volunteer:
    """A volunteer moves to another committee (anywhere in the city): staff of the committee
    they serve in now hand them over. Their hours, teams and time-bank balance go with them
    (通存通兑): only the committee whose staff look after them changes."""
    if not manages(scope, volunteer.committee):
        raise PermissionDenied(
            _("Only the staff of %(committee)s may move this volunteer.")
            % {"committee": volunteer.committee.name}
        )
    code = (to_code or "").strip()
    if not code:
        raise ValidationError({"committee": _("Enter the 12-digit code of the committee they moved to.")})
    target = Area.objects.filter(code=code).first()
    if target is None:
        message = _("There is no committee with the code %(code)s.") % {"code": code}
        raise ValidationError({"committee": message})
    if target.level != AreaLevel.COMMITTEE:
        message = _("%(name)s is not a residents' committee; enter a committee's code.") % {
            "name": target.name
        }
        raise ValidationError({"committee": message})
    if target.pk == volunteer.committee_id:
        raise ValidationError(
            {
                "committee": _("%(name)s already serves in %(committee)s.")
                % {"name": volunteer.name, "committee": target.name}
            }
        )
    before = volunteer.committee
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    locked.committee = target
    locked.save(update_fields=["committee"])
    bank.move_account(locked, target)
    record(
        Action.UPDATE,
        locked,
        changes={"committee": [before.name, target.name]},
        note=_("moved to another committee, with their hours and credits"),
        actor=actor,
        area_path=before.path,
    )
    return locked
