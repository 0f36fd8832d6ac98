"""A yearly competition round: the call, the rubric, the judges, the entries and their
eligibility check, opening the judging, the public notice (公示) with its period for
objections, and the results.

The phases follow one another: call → judging → notice → results.

- The call takes entries from ``call_opens`` to ``call_closes`` (both days included); a project
  is entered by those who keep it or run the round, once, if approved, running or finished.
- The rubric (criteria with weights adding up to 100, each scored 0..its maximum) and the
  judges are set during the call; judges may be added while judging, too.
- Each entry is checked eligible, or not eligible with a reason, before judging opens.
- Judging opens after the call has closed, every entry checked, the rubric adding up to 100
  and at least one judge assigned (``projects.judging`` takes the scores).
- Publishing the notice freezes each eligible entry's result and rank (``projects.ranking``)
  and opens a period of days for objections; anyone logged in may object, with a reason, and
  the round's staff answer.
- The results are published once the period has ended and every objection is answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area
from common.scope import Scope
from projects import ranking, rules
from projects.models import (
    Criterion,
    Eligibility,
    Entry,
    GovernanceStatus,
    Judge,
    Objection,
    Project,
    Round,
    RoundPhase,
)

MAX_PICK = 500
MAX_CRITERIA = 12
MAX_REASON = 200
MAX_OBJECTION = 1000
MIN_NOTICE_DAYS = 1
MAX_NOTICE_DAYS = 30
WEIGHTS_TOTAL = 100


@dataclass
class RoundDraft:
    title: str
    year: int
    call_opens: date
    call_closes: date
    pick: int = 10
    about: str = ""


@dataclass
class CriterionDraft:
    name: str
    weight: int
    max_points: int = 10


def _check_round(draft: RoundDraft) -> None:
    errors: dict[str, str] = {}
    if not draft.title.strip():
        errors["title"] = _("Give the round a title, e.g. 2026年睦邻微项目大赛.")
    if not 2000 <= draft.year <= 2100:
        errors["year"] = _("A year between 2000 and 2100.")
    if draft.call_closes < draft.call_opens:
        errors["call_closes"] = _("The call must close on or after the day it opens.")
    if not 1 <= draft.pick <= MAX_PICK:
        errors["pick"] = _("Choose between 1 and %(n)d best entries.") % {"n": MAX_PICK}
    if errors:
        raise ValidationError(errors)


def _apply(round_: Round, draft: RoundDraft) -> None:
    round_.title = draft.title.strip()
    round_.year = draft.year
    round_.call_opens = draft.call_opens
    round_.call_closes = draft.call_closes
    round_.pick = draft.pick
    round_.about = draft.about.strip()


def open_round(draft: RoundDraft, *, scope: Scope, area: Area | None = None) -> Round:
    """A new round set by ``area`` (the staff member's street, district or city by default)."""
    area = area or scope.area
    if not rules.sets_rounds(scope, area):
        raise PermissionDenied(_("Competition rounds are set by a street, district or city."))
    _check_round(draft)
    round_ = Round(area=area)
    _apply(round_, draft)
    round_.save()
    return round_


def _run(scope: Scope, round_: Round) -> None:
    if not rules.runs_round(scope, round_):
        raise PermissionDenied(_("Only staff over %(area)s run this round.") % {"area": round_.area.name})


def _in_call(round_: Round, field: str) -> None:
    if not round_.is_call:
        raise ValidationError({field: _("The call has ended: this no longer changes.")})


def change_round(round_: Round, draft: RoundDraft, *, scope: Scope) -> Round:
    _run(scope, round_)
    _in_call(round_, "title")
    _check_round(draft)
    _apply(round_, draft)
    round_.save()
    return round_


def rubric_problems(drafts: list[CriterionDraft]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not drafts:
        errors["criteria"] = _("Give at least one criterion.")
        return errors
    if len(drafts) > MAX_CRITERIA:
        errors["criteria"] = _("At most %(n)d criteria.") % {"n": MAX_CRITERIA}
    names = [d.name.strip() for d in drafts]
    if any(not n for n in names):
        errors["criteria"] = _("Each criterion needs a name.")
    elif len(set(names)) != len(names):
        errors["criteria"] = _("Two criteria have the same name.")
    for d in drafts:
        if not 1 <= d.weight <= WEIGHTS_TOTAL:
            errors["weights"] = _("The weight of “%(name)s” must be between 1 and 100.") % {"name": d.name}
        if not 1 <= d.max_points <= 100:
            errors["max_points"] = _("“%(name)s” is scored out of 1 to 100 points.") % {"name": d.name}
    total = sum(d.weight for d in drafts)
    if "weights" not in errors and total != WEIGHTS_TOTAL:
        errors["weights"] = _("The weights add up to %(total)d; they must add up to 100.") % {"total": total}
    return errors


@transaction.atomic
def set_rubric(round_: Round, drafts: list[CriterionDraft], *, scope: Scope) -> list[Criterion]:
    """Replace the round's criteria (during the call only)."""
    _run(scope, round_)
    _in_call(round_, "criteria")
    errors = rubric_problems(drafts)
    if errors:
        raise ValidationError(errors)
    round_.criteria.all().delete()
    return Criterion.objects.bulk_create(
        [
            Criterion(round=round_, name=d.name.strip(), weight=d.weight, max_points=d.max_points, position=n)
            for n, d in enumerate(drafts)
        ]
    )


def add_judge(round_: Round, user: User | None, *, scope: Scope) -> Judge:
    _run(scope, round_)
    if round_.phase_reached(RoundPhase.NOTICE):
        raise ValidationError({"judge": _("Judging has ended: no new judges.")})
    if user is None:
        raise ValidationError({"judge": _("No account with that mobile number.")})
    if not rules.may_judge(user):
        raise ValidationError(
            {
                "judge": _("%(name)s has no verified account: a judge must be staff or a verified resident.")
                % {"name": user.name}
            }
        )
    try:
        with transaction.atomic():
            return Judge.objects.create(round=round_, user=user)
    except IntegrityError:
        raise ValidationError(
            {"judge": _("%(name)s is already a judge of this round.") % {"name": user.name}}
        ) from None


def remove_judge(judge: Judge, *, scope: Scope) -> None:
    _run(scope, judge.round)
    if judge.scores.exists():
        raise ValidationError(
            {"judge": _("%(name)s has scored entries: every score is kept.") % {"name": judge.user.name}}
        )
    judge.delete()


def rounds_open_for(project: Project):
    """The rounds in their call whose area holds ``project``'s."""
    today = timezone.localdate()
    return (
        Round.objects.filter(
            phase=RoundPhase.CALL,
            area__path__in=[project.area.path, *project.area.ancestor_paths()],
            call_opens__lte=today,
            call_closes__gte=today,
        )
        .exclude(entries__project=project)
        .order_by("-year", "pk")
    )


def enter(round_: Round, project: Project, *, scope: Scope) -> Entry:
    """Enter ``project`` into ``round_`` while its call is open."""
    if not rules.may_enter(scope, round_, project):
        raise PermissionDenied(
            _("A project is entered by those who keep it or run the round, into a round of its area.")
        )
    today = timezone.localdate()
    if not round_.is_call or today > round_.call_closes:
        raise ValidationError(
            {
                "round": _("The call closed on %(day)s: entries are no longer taken.")
                % {"day": f"{round_.call_closes:%Y-%m-%d}"}
            }
        )
    if today < round_.call_opens:
        raise ValidationError(
            {"round": _("The call opens on %(day)s.") % {"day": f"{round_.call_opens:%Y-%m-%d}"}}
        )
    if project.status not in (GovernanceStatus.APPROVED, GovernanceStatus.RUNNING, GovernanceStatus.FINISHED):
        raise ValidationError(
            {
                "project": _(
                    "Only approved, running or finished projects are entered; this one is %(status)s."
                )
                % {"status": project.get_status_display()}
            }
        )
    try:
        with transaction.atomic():
            return Entry.objects.create(round=round_, project=project, area=project.area)
    except IntegrityError:
        raise ValidationError(
            {"project": _("%(project)s is already entered in this round.") % {"project": project.title}}
        ) from None


def check_entry(entry: Entry, eligible: bool, reason: str, *, scope: Scope) -> Entry:
    """Mark an entry eligible, or not eligible with a reason, before judging opens."""
    _run(scope, entry.round)
    _in_call(entry.round, "eligibility")
    reason = reason.strip()
    if not eligible and not reason:
        raise ValidationError({"reason": _("Say why the entry is not eligible.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": MAX_REASON}})
    entry.eligibility = Eligibility.ELIGIBLE if eligible else Eligibility.INELIGIBLE
    entry.eligibility_reason = "" if eligible else reason
    entry.save()
    return entry


@transaction.atomic
def open_judging(round_: Round, *, scope: Scope) -> Round:
    _run(scope, round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_call:
        raise ValidationError({"phase": _("Judging opens after the call, once.")})
    if timezone.localdate() <= round_.call_closes:
        raise ValidationError(
            {
                "phase": _("The call runs until %(day)s; judging opens after it closes.")
                % {"day": f"{round_.call_closes:%Y-%m-%d}"}
            }
        )
    criteria = [CriterionDraft(c.name, c.weight, c.max_points) for c in round_.criteria.all()]
    errors = rubric_problems(criteria)
    if errors:
        raise ValidationError(errors)
    if not round_.judges.exists():
        raise ValidationError({"judges": _("Assign at least one judge.")})
    pending = round_.entries.filter(eligibility=Eligibility.PENDING).count()
    if pending:
        raise ValidationError(
            {"eligibility": _("%(n)d entries are still to be checked for eligibility.") % {"n": pending}}
        )
    if not round_.entries.filter(eligibility=Eligibility.ELIGIBLE).exists():
        raise ValidationError({"eligibility": _("No entry is eligible.")})
    round_.phase = RoundPhase.JUDGING
    round_.save()
    return round_


@transaction.atomic
def publish_notice(round_: Round, days: int, *, scope: Scope) -> Round:
    """Close the judging, freeze each eligible entry's result and rank, and publish the 公示 with
    ``days`` for objections (from today, today included)."""
    _run(scope, round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_judging:
        raise ValidationError({"phase": _("The public notice follows the judging.")})
    if not MIN_NOTICE_DAYS <= days <= MAX_NOTICE_DAYS:
        raise ValidationError(
            {
                "days": _("Objections are taken for %(min)d to %(max)d days.")
                % {"min": MIN_NOTICE_DAYS, "max": MAX_NOTICE_DAYS}
            }
        )
    rows = ranking.rank(round_)
    if not any(row.result is not None for row in rows):
        raise ValidationError({"phase": _("No entry has been scored yet.")})
    for row in rows:
        row.entry.result = row.result
        row.entry.rank = row.rank
        row.entry.chosen = row.chosen
    Entry.objects.bulk_update([row.entry for row in rows], ["result", "rank", "chosen"])
    today = timezone.localdate()
    round_.phase = RoundPhase.NOTICE
    round_.notice_from = today
    round_.notice_until = today + timedelta(days=days - 1)
    round_.save()
    return round_


def object_to(user: User, entry: Entry, reason: str) -> Objection:
    """Anyone logged in objects to an entry of a round in its 公示, with a reason."""
    round_ = entry.round
    if not round_.objections_open:
        raise ValidationError({"reason": _("Objections are taken only while the public notice runs.")})
    if not entry.is_eligible:
        raise ValidationError({"entry": _("That entry is not in the public notice.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what you object to, and why.")})
    if len(reason) > MAX_OBJECTION:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": MAX_OBJECTION}})
    return Objection.objects.create(entry=entry, filed_by=user, reason=reason)


def answer(user: User, objection: Objection, text: str, *, scope: Scope) -> Objection:
    _run(scope, objection.entry.round)
    text = text.strip()
    if not text:
        raise ValidationError({"answer": _("Write the answer to the objection.")})
    if len(text) > MAX_OBJECTION:
        raise ValidationError({"answer": _("At most %(n)d characters.") % {"n": MAX_OBJECTION}})
    if objection.is_answered:
        raise ValidationError({"answer": _("The objection is already answered.")})
    objection.answer = text
    objection.answered_by = user
    objection.answered_at = timezone.now()
    objection.save()
    return objection


@transaction.atomic
def publish_results(round_: Round, *, scope: Scope) -> Round:
    _run(scope, round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_notice or round_.notice_until is None:
        raise ValidationError({"phase": _("The results follow the public notice.")})
    if timezone.localdate() <= round_.notice_until:
        raise ValidationError(
            {
                "phase": _("The public notice runs until %(day)s; the results are published after it ends.")
                % {"day": f"{round_.notice_until:%Y-%m-%d}"}
            }
        )
    waiting = Objection.objects.filter(entry__round=round_, answered_at__isnull=True).count()
    if waiting:
        raise ValidationError({"phase": _("%(n)d objections are still to be answered.") % {"n": waiting}})
    round_.phase = RoundPhase.RESULTS
    round_.results_at = timezone.now()
    round_.save()
    return round_
