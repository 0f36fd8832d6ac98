"""Judging: a judge declares a conflict, scores an entry once (blind), and may amend a score
while judging is open; every score is kept.

- Only a judge of the round scores, only while the round is judging, only eligible entries.
- A judge connected to an entry (who proposed or entered it, or declared a conflict) cannot
  score it; a conflict is declared before scoring.
- Every criterion of the rubric is given points from 0 to its maximum, to one decimal place;
  the weighted total out of 100 is kept with the score.
- A second submission is refused; a correction is an amendment, which keeps the first score
  (marked superseded) and counts the new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from projects import rules
from projects.models import Conflict, Criterion, CriterionScore, Entry, Judge, Score

MAX_COMMENT = 500
TENTH = Decimal("0.1")


def _judge(user: User, entry: Entry) -> Judge:
    judge = rules.judge_of(user, entry.round)
    if judge is None:
        raise PermissionDenied(_("You are not a judge of this round."))
    return judge


def is_own(user: User, entry: Entry) -> bool:
    """Whether ``user`` proposed or entered the project: their own entry."""
    project = entry.project
    if project.created_by_id == user.pk:
        return True
    return bool(project.resident_id and project.resident.user_id == user.pk)  # type: ignore[union-attr]


def declare_conflict(user: User, entry: Entry, reason: str) -> Conflict:
    judge = _judge(user, entry)
    if entry.round.phase_reached("notice"):
        raise ValidationError({"reason": _("Judging has ended.")})
    if rules.has_scored(judge, entry):
        raise ValidationError(
            {"reason": _("You have already scored this entry; tell the round's staff of the connection.")}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say how you are connected to the entry.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": 200}})
    try:
        with transaction.atomic():
            return Conflict.objects.create(judge=judge, entry=entry, reason=reason)
    except IntegrityError:
        raise ValidationError(
            {"reason": _("You have already declared a conflict with this entry.")}
        ) from None


def field_name(criterion: Criterion) -> str:
    return f"c{criterion.pk}"


def _check(
    judge: Judge, user: User, entry: Entry, marks: Mapping[int, Decimal | None], comment: str
) -> list[tuple[Criterion, Decimal]]:
    if not entry.round.is_judging:
        raise ValidationError(
            {"marks": _("The round is not judging: scores are taken only while judging is open.")}
        )
    if not entry.is_eligible:
        raise ValidationError({"marks": _("That entry is not eligible: it is not scored.")})
    if is_own(user, entry):
        raise PermissionDenied(_("This is your own entry: you cannot score it."))
    if rules.has_conflict(judge, entry):
        raise PermissionDenied(_("You declared a conflict with this entry: you cannot score it."))
    errors: dict[str, str] = {}
    given: list[tuple[Criterion, Decimal]] = []
    criteria = list(entry.round.criteria.all())
    unknown = set(marks) - {c.pk for c in criteria}
    if unknown:
        errors["marks"] = _("Not a criterion of this round: %(ids)s.") % {
            "ids": ", ".join(str(i) for i in sorted(unknown))
        }
    for criterion in criteria:
        points = marks.get(criterion.pk)
        name = field_name(criterion)
        if points is None:
            errors[name] = _("Give “%(name)s” points from 0 to %(max)d.") % {
                "name": criterion.name,
                "max": criterion.max_points,
            }
        elif not points.is_finite() or points < 0 or points > criterion.max_points:
            errors[name] = _("“%(name)s” is scored from 0 to %(max)d; %(points)s is out of range.") % {
                "name": criterion.name,
                "max": criterion.max_points,
                "points": points,
            }
        elif points != points.quantize(TENTH):
            errors[name] = _("“%(name)s”: points to one decimal place.") % {"name": criterion.name}
        else:
            given.append((criterion, points))
    if len(comment) > MAX_COMMENT:
        errors["comment"] = _("At most %(n)d characters.") % {"n": MAX_COMMENT}
    if errors:
        raise ValidationError(errors)
    return given


def weighted(given: list[tuple[Criterion, Decimal]]) -> Decimal:
    total = sum((points / c.max_points * c.weight for c, points in given), Decimal(0))
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _save(judge: Judge, entry: Entry, given, comment: str, amends: Score | None = None) -> Score:
    score = Score.objects.create(
        judge=judge, entry=entry, total=weighted(given), comment=comment.strip(), amends=amends
    )
    CriterionScore.objects.bulk_create([CriterionScore(score=score, criterion=c, points=p) for c, p in given])
    return score


def _twice() -> ValidationError:
    return ValidationError(
        {
            "marks": _(
                "You have already scored this entry. Every score is kept: while judging is open, "
                "correct it as an amendment."
            )
        }
    )


def submit(user: User, entry: Entry, marks: Mapping[int, Decimal | None], comment: str = "") -> Score:
    """The judge's one score of ``entry``."""
    judge = _judge(user, entry)
    given = _check(judge, user, entry, marks, comment)
    if rules.has_scored(judge, entry):
        raise _twice()
    try:
        with transaction.atomic():
            return _save(judge, entry, given, comment)
    except IntegrityError:
        raise _twice() from None


@transaction.atomic
def amend(user: User, entry: Entry, marks: Mapping[int, Decimal | None], comment: str = "") -> Score:
    """A correction while judging is open: a new score amending the current one, which is kept."""
    judge = _judge(user, entry)
    given = _check(judge, user, entry, marks, comment)
    current = (
        Score.objects.select_for_update().filter(judge=judge, entry=entry, superseded_at__isnull=True).first()
    )
    if current is None:
        raise ValidationError({"marks": _("You have not scored this entry yet: submit a score first.")})
    current.superseded_at = timezone.now()
    current.save(update_fields=["superseded_at"])
    return _save(judge, entry, given, comment, amends=current)


def own_score(judge: Judge, entry: Entry) -> Score | None:
    return (
        Score.objects.filter(judge=judge, entry=entry, superseded_at__isnull=True)
        .prefetch_related("marks")
        .first()
    )
