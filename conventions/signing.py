"""Taking part in a convention, as residents, family members and building leaders meet it:
commenting on a clause during consultation, signing the final text online, a building
leader ticking those who signed on paper, and withdrawing a signature.

One live signature per resident (or per household, as the convention sets) is kept twice:
here, under the version's row lock, with a message that says when they signed; and by the
database's partial unique index, whose refusal is turned into a message too.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.scope import Capability, Scope
from conventions.models import (
    SIGNING_STATES,
    Clause,
    ClauseComment,
    ConventionVersion,
    Signature,
    SignatureVia,
)
from registry.models import Resident
from registry.selectors import acts_for, speaks_for

MAX_COMMENT_LENGTH = 1000
MAX_COMMENTS_PER_CLAUSE = 3


def _day(value: datetime | date) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "DATE_FORMAT")


def acting_as(user: User, resident: Resident, scope: Scope) -> str | None:
    """How ``user`` may act for ``resident``: online for themself, online as their family
    proxy, on paper as a building leader or worker whose area holds the resident; else None."""
    how = acts_for(user, resident, scope, Capability.RECORD_SIGNATURES)
    return _VIA.get(how) if how else None


_VIA = {"self": SignatureVia.ONLINE, "proxy": SignatureVia.PROXY, "staff": SignatureVia.PAPER}


def residence_problem(version: ConventionVersion, resident: Resident) -> str:
    """Why ``resident`` is not among those the convention is for; "" if they are."""
    convention = version.convention
    if not resident.is_living:
        return _("%(name)s is not a current resident in the registry.") % {"name": resident.name}
    if not resident.household.building.path.startswith(convention.area.path):
        return _("This convention is for residents of %(area)s; %(name)s lives in %(building)s.") % {
            "area": convention.area.name,
            "name": resident.name,
            "building": resident.household.building.name,
        }
    return ""


def live_signature(version: ConventionVersion, resident: Resident) -> Signature | None:
    """The signature that counts for ``resident``: theirs, or their household's."""
    return (
        Signature.objects.filter(
            version=version, key=version.convention.key_for(resident), withdrawn_at__isnull=True
        )
        .select_related("resident")
        .first()
    )


def already_signed(version: ConventionVersion, resident: Resident, signature: Signature) -> str:
    if version.convention.per_household:
        return _("The household %(address)s already signed on %(date)s (%(name)s).") % {
            "address": resident.household.address,
            "date": _day(signature.signed_at),
            "name": signature.resident.name,
        }
    return _("%(name)s already signed on %(date)s.") % {
        "name": resident.name,
        "date": _day(signature.signed_at),
    }


def state_problem(version: ConventionVersion) -> str:
    """Why this version cannot be signed (or withdrawn from) now; "" if it can."""
    if version.is_superseded:
        return _(
            "Version %(n)d was replaced by a newer text; its signatures stay with it. "
            "Sign the current version afresh."
        ) % {"n": version.number}
    if version.state not in SIGNING_STATES:
        return _("Not yet open for signing: residents sign once the text is final.")
    return ""


def signing_problem(
    version: ConventionVersion, resident: Resident, signature: Signature | None = None
) -> str:
    """Why ``resident`` may not sign ``version`` now, in words for them; "" if they may.
    ``signature`` is the live one that counts for them, if the caller has read it already."""
    problem = state_problem(version) or residence_problem(version, resident)
    if problem:
        return problem
    signature = signature or live_signature(version, resident)
    if signature is not None:
        return already_signed(version, resident, signature)
    return ""


def _lock(version: ConventionVersion) -> ConventionVersion:
    return (
        ConventionVersion.objects.select_for_update()
        .select_related("convention__area", "convention__committee")
        .get(pk=version.pk)
    )


def _insert(
    version: ConventionVersion, resident: Resident, via: str, by: User, now: datetime | None
) -> Signature:
    """Under the version's lock: the rules, then the row. Should another signature slip past
    the check, the unique index refuses it, and the resident reads why."""
    locked = _lock(version)
    problem = signing_problem(locked, resident)
    if problem:
        raise ValidationError(problem)
    try:
        with transaction.atomic():
            return Signature.objects.create(
                version=locked,
                resident=resident,
                household_id=resident.household_id,
                key=locked.convention.key_for(resident),
                via=via,
                recorded_by=by,
                signed_at=now or timezone.now(),
            )
    except IntegrityError:
        if locked.convention.per_household:
            text = _("The household %(address)s has already signed this convention.") % {
                "address": resident.household.address
            }
        else:
            text = _("%(name)s has already signed this convention.") % {"name": resident.name}
        raise ValidationError(text) from None


@transaction.atomic
def sign(
    user: User, resident: Resident, version: ConventionVersion, *, now: datetime | None = None
) -> Signature:
    """A resident signs online, themself or through the family member who acts for them."""
    how = speaks_for(user, resident)
    if how is None:
        raise PermissionDenied(_("You may sign only for yourself or someone you act for."))
    via = _VIA[how]
    return _insert(version, resident, via, user, now)


@transaction.atomic
def record_paper(actor: User, scope: Scope, version: ConventionVersion, resident: Resident) -> Signature:
    """A building leader (or worker) ticks a resident who signed the paper sheet."""
    if not scope.can(Capability.RECORD_SIGNATURES):
        raise PermissionDenied(_("Your active role may not record signatures."))
    if not scope.covers_path(resident.household.building.path):
        raise PermissionDenied(_("%(name)s lives outside your area.") % {"name": resident.name})
    return _insert(version, resident, SignatureVia.PAPER, actor, None)


def _may_withdraw(user: User, signature: Signature, scope: Scope) -> bool:
    """The signer (or their proxy) may, and for a household any member; staff may undo only
    a paper signature they could have recorded."""
    via = acting_as(user, signature.resident, scope)
    if via in (SignatureVia.ONLINE, SignatureVia.PROXY):
        return True
    if signature.version.convention.per_household:
        members = (
            Resident.objects.living()
            .filter(household=signature.household_id)
            .select_related("household__building")
        )
        if any(speaks_for(user, member) for member in members):
            return True
    return via == SignatureVia.PAPER and signature.is_on_paper


@transaction.atomic
def withdraw(user: User, signature: Signature, *, scope: Scope) -> Signature:
    """Taking a signature back, while the version is open for signing; it may be given again."""
    locked = _lock(signature.version)
    signature = (
        Signature.objects.select_for_update()
        .select_related("resident__household__building", "household")
        .get(pk=signature.pk)
    )
    signature.version = locked
    if not _may_withdraw(user, signature, scope):
        if acting_as(user, signature.resident, scope) == SignatureVia.PAPER:
            raise PermissionDenied(_("Only the resident can take back a signature given online."))
        raise PermissionDenied(_("You may withdraw only your own signature or that of someone you act for."))
    if signature.withdrawn_at is not None:
        raise ValidationError(
            _("This signature was already withdrawn on %(date)s.") % {"date": _day(signature.withdrawn_at)}
        )
    if locked.is_superseded:
        raise ValidationError(_("This version has been replaced; its signatures are kept as they were."))
    signature.withdrawn_at, signature.withdrawn_by = timezone.now(), user
    signature.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return signature


# --- Consultation ----------------------------------------------------------------------------


def comment_problem(version: ConventionVersion, resident: Resident, today: date | None = None) -> str:
    """Why ``resident`` may not comment on ``version`` now; "" if they may."""
    today = today or timezone.localdate()
    if not version.is_in_consultation:
        return _("Comments are taken only while the draft is in consultation.")
    if version.consultation_closes and today > version.consultation_closes:
        return _("The consultation closed on %(date)s.") % {"date": _day(version.consultation_closes)}
    return residence_problem(version, resident)


@transaction.atomic
def comment(
    user: User, resident: Resident, clause: Clause, text: str, *, today: date | None = None
) -> ClauseComment:
    """A resident's opinion on a clause, during consultation, by them or their proxy."""
    if speaks_for(user, resident) is None:
        raise PermissionDenied(_("You may comment only for yourself or someone you act for."))
    text = (text or "").strip().replace("\r\n", "\n")
    if not text:
        raise ValidationError({"text": [_("Write your comment first.")]})
    if len(text) > MAX_COMMENT_LENGTH:
        raise ValidationError({"text": [_("At most %(n)d characters.") % {"n": MAX_COMMENT_LENGTH}]})
    version = _lock(clause.version)
    problem = comment_problem(version, resident, today)
    if problem:
        raise ValidationError(problem)
    if ClauseComment.objects.filter(clause=clause, resident=resident).count() >= MAX_COMMENTS_PER_CLAUSE:
        raise ValidationError(
            _("%(name)s has commented on this clause %(n)d times already; the committee reads every comment.")
            % {"name": resident.name, "n": MAX_COMMENTS_PER_CLAUSE}
        )
    return ClauseComment.objects.create(clause=clause, resident=resident, written_by=user, text=text)
