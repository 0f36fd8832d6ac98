"""Local talent (睦邻达人): residents with skills willing to teach or help.

Staff with ``RUN_AWARDS`` over a resident's home enter them (confirmed at once); a resident
offers themself (or the family member acting for them does), and staff confirm. The public
sees the name they chose to show (王阿姨) and the skill, never the phone or the address:
whoever wants their help asks the committee.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from recognition import rules
from recognition.models import SkillTag, Talent, TalentStatus
from registry.models import Resident
from registry.selectors import speaks_for


@dataclass
class TalentDraft:
    shown_as: str
    skills: str
    tags: list[str] = field(default_factory=list)
    teaches: bool = True
    helps: bool = True


def default_shown_as(resident: Resident) -> str:
    """The surname and a polite word: 王老师."""
    return f"{resident.name[:1]}老师"


def _check(resident: Resident, draft: TalentDraft) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    shown = draft.shown_as.strip()
    if not shown:
        problems["shown_as"] = [_("Say how the public may call them, such as 王阿姨.")]
    elif len(shown) > 20:
        problems["shown_as"] = [_("The public name is at most 20 characters.")]
    if not draft.skills.strip():
        problems["skills"] = [_("Say what they can do.")]
    elif len(draft.skills.strip()) > 300:
        problems["skills"] = [_("At most 300 characters.")]
    unknown = [t for t in draft.tags if t not in SkillTag.values]
    if unknown:
        problems["tags"] = [_("Unknown skill: %(tags)s.") % {"tags": ", ".join(unknown)}]
    if not (draft.teaches or draft.helps):
        problems["teaches"] = [_("They are willing to teach, to help, or both.")]
    if not resident.is_living:
        problems["resident"] = [
            _("%(name)s is not a current resident in the registry.") % {"name": resident.name}
        ]
    return problems


def _write(talent: Talent, draft: TalentDraft) -> None:
    talent.shown_as, talent.skills = draft.shown_as.strip(), " ".join(draft.skills.split())
    talent.tags = ",".join(dict.fromkeys(draft.tags))
    talent.teaches, talent.helps = draft.teaches, draft.helps


def _save_new(talent: Talent, resident: Resident) -> Talent:
    try:
        with transaction.atomic():
            talent.save()
    except IntegrityError:
        raise ValidationError(
            _("%(name)s is already among the local talent (or waiting to be confirmed).")
            % {"name": resident.name}
        ) from None
    return talent


@transaction.atomic
def add_talent(user: User, resident: Resident, draft: TalentDraft, *, scope) -> Talent:
    """Staff enter a resident of their area as local talent, confirmed at once."""
    if not rules.runs_talent_for(scope, resident):
        raise PermissionDenied(_("This resident does not live in your area."))
    problems = _check(resident, draft)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    talent = Talent(
        committee_id=resident.committee_id,
        resident=resident,
        status=TalentStatus.CONFIRMED,
        offered_by=user,
        confirmed_by=user,
        confirmed_at=now,
    )
    _write(talent, draft)
    return _save_new(talent, resident)


@transaction.atomic
def offer(user: User, resident: Resident, draft: TalentDraft) -> Talent:
    """A resident offers their skill (or a family member does for them); staff confirm it."""
    if speaks_for(user, resident) is None:
        raise PermissionDenied(_("You may offer only your own skill or that of someone you act for."))
    problems = _check(resident, draft)
    if problems:
        raise ValidationError(problems)
    talent = Talent(committee_id=resident.committee_id, resident=resident, offered_by=user)
    _write(talent, draft)
    return _save_new(talent, resident)


@transaction.atomic
def change(talent: Talent, draft: TalentDraft, *, scope) -> Talent:
    if not rules.keeps_talent(scope, talent):
        raise PermissionDenied(_("This resident does not live in your area."))
    problems = _check(talent.resident, draft)
    if problems:
        raise ValidationError(problems)
    _write(talent, draft)
    talent.save()
    return talent


@transaction.atomic
def confirm(user: User, talent: Talent, *, scope) -> Talent:
    """Staff confirm a resident's offer: they appear on the public list."""
    if not rules.keeps_talent(scope, talent):
        raise PermissionDenied(_("This resident does not live in your area."))
    if not talent.is_offered:
        raise ValidationError(_("Only an offer waiting for the committee can be confirmed."))
    talent.status, talent.confirmed_by, talent.confirmed_at = TalentStatus.CONFIRMED, user, timezone.now()
    talent.save()
    return talent


@transaction.atomic
def withdraw(user: User, talent: Talent, *, scope) -> Talent:
    """Staff take a resident off the list (at their wish, or an offer not taken up); the resident
    may do it for themself too."""
    if not (rules.keeps_talent(scope, talent) or speaks_for(user, talent.resident) is not None):
        raise PermissionDenied(_("This resident does not live in your area."))
    if talent.is_withdrawn:
        raise ValidationError(_("Already withdrawn."))
    talent.status = TalentStatus.WITHDRAWN
    talent.save()
    return talent
