"""Rating a centre: an assessor scores each criterion of a sheet with its evidence, submits the
rating (its total and stars are worked out then, by the sheet's bands), and it is made final.

A score is never above its criterion's points nor below 0, and each carries evidence: a note,
or a file (a photo or a document) kept as uploads are everywhere (``common.uploads.store``).
A centre has one final rating a year; the database refuses a second one, so two raters making
theirs final at once leave one and a clear refusal. Drafts and submitted ratings stay in the
centre's history.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.uploads import PHOTO_SUFFIX, photo_format, shown_name, size_problem, store
from recognition import rules
from recognition.models import Centre, Criterion, Rating, RatingSheet, RatingStatus, Score


def max_mb() -> int:
    return getattr(settings, "RECOGNITION_MAX_EVIDENCE_MB", 10)


def _require(scope, rating: Rating) -> None:
    if not rules.rates(scope, rating):
        raise PermissionDenied(_("This centre is not in your area."))


@transaction.atomic
def start_rating(user: User, centre: Centre, sheet: RatingSheet, *, scope) -> Rating:
    """Open a rating of ``centre`` with a sheet of its area (or above) for the sheet's year."""
    if not rules.keeps_centre(scope, centre):
        raise PermissionDenied(_("This centre is not in your area."))
    if not rules.sheet_applies(sheet, centre):
        raise ValidationError({"sheet": [_("This sheet is not set for the centre's area.")]})
    if centre.closed_at is not None:
        raise ValidationError(_("This centre is closed."))
    if Rating.objects.final().filter(centre=centre, year=sheet.year).exists():
        raise ValidationError(
            _("%(centre)s already has a final rating for %(year)d.")
            % {"centre": centre.name, "year": sheet.year}
        )
    return Rating.objects.create(centre=centre, sheet=sheet, year=sheet.year, assessor=user)


def evidence_problem(upload: UploadedFile) -> str:
    """Evidence is a photo (checked by what Pillow reads in it) or a PDF document, under the
    size limit: why this file is not, or ""."""
    if problem := size_problem(upload, max_mb()):
        return problem
    if photo_format(upload) is not None:
        return ""
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return ""
    return _("“%(name)s” is neither a photo nor a PDF.") % {"name": shown_name(upload, "file")}


def _suffix(upload: UploadedFile) -> str:
    return PHOTO_SUFFIX.get(photo_format(upload) or "", ".pdf")


def parse_points(text: str | Decimal) -> Decimal | None:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


@transaction.atomic
def score(
    rating: Rating,
    criterion: Criterion,
    points: Decimal,
    note: str = "",
    upload: UploadedFile | None = None,
    *,
    scope,
) -> Score:
    """Give (or change, while the rating is a draft) one criterion's points with evidence."""
    _require(scope, rating)
    locked = Rating.objects.select_for_update().get(pk=rating.pk)
    if not locked.is_draft:
        raise ValidationError(_("This rating has been submitted; its scores no longer change."))
    if criterion.sheet_id != locked.sheet_id:
        raise ValidationError({"criterion": [_("This criterion is not on the rating's sheet.")]})
    problems: dict[str, list[str]] = {}
    if points < 0:
        problems["points"] = [_("Points cannot be negative.")]
    elif points > criterion.points:
        problems["points"] = [
            _("“%(title)s” is worth at most %(max)d points, not %(given)s.")
            % {"title": criterion.title, "max": criterion.points, "given": points}
        ]
    elif points != points.quantize(Decimal("0.1")):
        problems["points"] = [_("Give points to one decimal place at most.")]
    if upload is not None and (problem := evidence_problem(upload)):
        problems["file"] = [problem]
    found = Score.objects.filter(rating=locked, criterion=criterion).first()
    had_evidence = found is not None and bool(found.file)
    if not note.strip() and upload is None and not had_evidence:
        problems["note"] = [_("Attach evidence: a note, a photo or a document.")]
    if problems:
        raise ValidationError(problems)
    row = found or Score(rating=locked, criterion=criterion)
    row.points, row.note, row.scored_at = points, note.strip(), timezone.now()
    if upload is None:
        row.save()
        return row
    old = row.file.name if row.file else ""
    row.file_name = shown_name(upload, "evidence")
    row.stored_name = f"{uuid.uuid4().hex}{_suffix(upload)}"
    store([(row, upload)])
    if old:
        transaction.on_commit(lambda: row.file.storage.delete(old))
    return row


@transaction.atomic
def submit(rating: Rating, *, scope) -> Rating:
    """Every criterion scored with evidence: the total and the stars are worked out now."""
    _require(scope, rating)
    locked = Rating.objects.select_for_update().select_related("sheet").get(pk=rating.pk)
    if not locked.is_draft:
        raise ValidationError(_("This rating has already been submitted."))
    missing = Criterion.objects.filter(sheet=locked.sheet_id).exclude(
        pk__in=Score.objects.filter(rating=locked).values("criterion_id")
    )
    names = [c.title for c in missing]
    if names:
        raise ValidationError(_("Score every criterion first: %(names)s.") % {"names": "、".join(names)})
    total = Score.objects.filter(rating=locked).aggregate(total=Sum("points"))["total"] or Decimal(0)
    locked.score, locked.stars = total, locked.sheet.stars_for(total)
    locked.status, locked.submitted_at = RatingStatus.SUBMITTED, timezone.now()
    locked.save()
    return locked


@transaction.atomic
def reopen(rating: Rating, *, scope) -> Rating:
    """Send a submitted rating back to its assessor for changes (never a final one)."""
    _require(scope, rating)
    locked = Rating.objects.select_for_update().get(pk=rating.pk)
    if not locked.is_submitted:
        raise ValidationError(_("Only a submitted rating goes back to scoring."))
    locked.status, locked.score, locked.stars, locked.submitted_at = RatingStatus.DRAFT, None, None, None
    locked.save()
    return locked


def _already_final(rating: Rating) -> str:
    return _("%(centre)s already has a final rating for %(year)d.") % {
        "centre": rating.centre.name,
        "year": rating.year,
    }


def finalise(user: User, rating: Rating, *, scope) -> Rating:
    """Make a submitted rating the centre's rating of the year; one final a year, kept by the
    database even when two raters finalise at once."""
    _require(scope, rating)
    try:
        with transaction.atomic():
            locked = Rating.objects.select_for_update().get(pk=rating.pk)
            if not locked.is_submitted:
                raise ValidationError(_("Submit the rating before making it final."))
            locked.status, locked.finalised_at, locked.finalised_by = RatingStatus.FINAL, timezone.now(), user
            locked.save()
    except IntegrityError:
        raise ValidationError(_already_final(rating)) from None
    return locked
