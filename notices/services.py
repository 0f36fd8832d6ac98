"""Writing notices: drafting, targeting, publishing now or later, pinning, withdrawing,
attachments, reads, and the publicity plan. Each service states the rule it keeps."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel
from audit.services import record
from common.scope import Capability, Scope
from common.uploads import image_format, store
from notices.models import Attachment, Cadence, Notice, NoticeCategory, NoticeRead, NoticeTarget, ReadHow
from notices.selectors import audience, readers_for
from notices.tasks import deliver_notice, enqueue_delivery
from registry.models import Tag

MAX_FILES = 10
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
FILE_SUFFIXES = IMAGE_SUFFIXES | {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt"}
# Areas a notice may be aimed at, below the area that publishes it.
TARGET_LEVELS = (
    AreaLevel.STREET,
    AreaLevel.COMMITTEE,
    AreaLevel.GRID,
    AreaLevel.BUILDING_GROUP,
    AreaLevel.BUILDING,
)


def require_publisher(scope: Scope) -> None:
    if not scope.can(Capability.PUBLISH_NOTICES):
        raise PermissionDenied(_("Your active role may not publish notices."))


def require_own(scope: Scope, notice: Notice) -> None:
    require_publisher(scope)
    if not scope.covers(notice.area):
        raise PermissionDenied(_("This notice belongs to another area."))


@dataclass
class Draft:
    """What staff fill in; targets are areas under the publishing area."""

    category: str
    title: str
    body: str
    targets: list[Area] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    pinned: bool = False
    send_sms: bool = False


def _check(area: Area, draft: Draft, notice: Notice | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if draft.category not in NoticeCategory.values:
        problems["category"] = [_("Choose one of the categories.")]
    if not draft.title.strip():
        problems["title"] = [_("Give the notice a title.")]
    elif len(draft.title.strip()) > 120:
        problems["title"] = [_("Keep the title within 120 characters; the text can say more.")]
    if not draft.body.strip():
        problems["body"] = [_("Write the text of the notice.")]
    if not draft.targets:
        problems["targets"] = [_("Choose who the notice is for: the whole area or some of its parts.")]
    for target in draft.targets:
        if not target.path.startswith(area.path) or (target != area and target.level not in TARGET_LEVELS):
            problems.setdefault("targets", []).append(
                _("%(area)s is not part of %(own)s.") % {"area": target.name, "own": area.name}
            )
        elif target.is_retired:
            problems.setdefault("targets", []).append(_("%(area)s is retired.") % {"area": target.name})
    unknown = [t for t in draft.tags if t not in Tag.values]
    if unknown:
        problems["tags"] = [_("Unknown tag: %(tag)s.") % {"tag": ", ".join(unknown)}]
    if notice is not None and notice.delivered_at and _audience_key(notice) != _draft_key(draft):
        problems["targets"] = [
            _(
                "The notice has already reached its residents; to reach others, withdraw it and "
                "publish a new one."
            )
        ]
    return problems


def _audience_key(notice: Notice) -> tuple[frozenset[int], frozenset[str]]:
    return frozenset(notice.targets.values_list("area_id", flat=True)), frozenset(notice.tags)


def _draft_key(draft: Draft) -> tuple[frozenset[int], frozenset[str]]:
    return frozenset(t.pk for t in draft.targets), frozenset(draft.tags)


def _write(notice: Notice, draft: Draft) -> None:
    notice.category = draft.category
    notice.title = " ".join(draft.title.split())
    notice.body = draft.body.strip().replace("\r\n", "\n")
    notice.target_tags = "|" + "|".join(sorted(set(draft.tags))) + "|" if draft.tags else ""
    notice.pinned = draft.pinned
    notice.send_sms = draft.send_sms
    notice.save()
    NoticeTarget.choose(notice, draft.targets)


@transaction.atomic
def create_notice(actor: User, scope: Scope, draft: Draft, files: Iterable[UploadedFile] = ()) -> Notice:
    """A draft for the scope's own area; publishing is a separate step."""
    require_publisher(scope)
    area = scope.area
    assert area is not None
    problems = _check(area, draft, None)
    if problems:
        raise ValidationError(problems)
    notice = Notice(area=area, author=actor)
    _write(notice, draft)
    add_attachments(scope, notice, files)
    return notice


@transaction.atomic
def update_notice(scope: Scope, notice: Notice, draft: Draft, files: Iterable[UploadedFile] = ()) -> Notice:
    """Corrections are allowed at any time; the audience only until it has been notified."""
    require_own(scope, notice)
    problems = _check(notice.area, draft, notice)
    if problems:
        raise ValidationError(problems)
    _write(notice, draft)
    add_attachments(scope, notice, files)
    return notice


def _suffix(upload: UploadedFile) -> str:
    return Path(upload.name or "").suffix.lower()


def add_attachments(scope: Scope, notice: Notice, files: Iterable[UploadedFile]) -> list[Attachment]:
    """Images and documents; each checked for type and size, images for being images."""
    require_own(scope, notice)
    files = list(files)
    if not files:
        return []
    limit = settings.NOTICE_MAX_FILE_MB * 1024 * 1024
    count = notice.attachments.count()
    problems = []
    if count + len(files) > MAX_FILES:
        problems.append(_("A notice takes at most %(n)d files.") % {"n": MAX_FILES})
    for upload in files:
        name = Path(upload.name or "file").name
        if _suffix(upload) not in FILE_SUFFIXES:
            problems.append(
                _(
                    "“%(name)s”: attach images (JPG, PNG, GIF, WebP), PDF, Word, Excel, PowerPoint "
                    "or text files."
                )
                % {"name": name}
            )
        elif (upload.size or 0) > limit:
            problems.append(
                _("“%(name)s” is larger than %(mb)d MB.") % {"name": name, "mb": settings.NOTICE_MAX_FILE_MB}
            )
        elif _suffix(upload) in IMAGE_SUFFIXES and image_format(upload) is None:
            problems.append(_("“%(name)s” is not a readable image.") % {"name": name})
    if problems:
        raise ValidationError({"files": problems})
    return store(
        (
            Attachment(
                notice=notice,
                name=Path(upload.name or "file").name[:200],
                stored_name=f"{uuid.uuid4().hex}{_suffix(upload)}",
                size=upload.size or 0,
                is_image=_suffix(upload) in IMAGE_SUFFIXES,
                position=position,
            ),
            upload,
        )
        for position, upload in enumerate(files, start=count)
    )


def remove_attachment(scope: Scope, attachment: Attachment) -> None:
    require_own(scope, attachment.notice)
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(partial(storage.delete, name))


# --- Publishing ----------------------------------------------------------------------------


@transaction.atomic
def publish(scope: Scope, notice: Notice, at: datetime | None = None) -> Notice:
    """Publish now, or schedule: the notice shows from ``at`` and its audience is notified then."""
    require_own(scope, notice)
    if notice.withdrawn_at:
        raise ValidationError(_("A withdrawn notice cannot be published again; copy it into a new one."))
    if notice.delivered_at:
        raise ValidationError(_("The notice is already out."))
    now = timezone.now()
    notice.publish_at = max(at, now) if at else now
    notice.save(update_fields=["publish_at", "updated_at"])
    record("publish", notice, changes={"publish_at": notice.publish_at.isoformat()})

    if notice.publish_at <= now:
        transaction.on_commit(partial(deliver_notice.enqueue, notice.pk))
    else:
        transaction.on_commit(partial(enqueue_delivery, notice.pk, notice.publish_at))
    return notice


@transaction.atomic
def unschedule(scope: Scope, notice: Notice) -> Notice:
    """Back to a draft, while it has not gone out yet."""
    require_own(scope, notice)
    if notice.delivered_at or notice.is_published:
        raise ValidationError(_("The notice is already out; withdraw it instead."))
    notice.publish_at = None
    notice.save(update_fields=["publish_at", "updated_at"])
    return notice


@transaction.atomic
def withdraw(scope: Scope, notice: Notice, reason: str) -> Notice:
    """Take a notice down: it leaves residents' pages; the reason stays on record."""
    require_own(scope, notice)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the notice is withdrawn.")})
    if not notice.may_withdraw:
        if notice.withdrawn_at:
            raise ValidationError(_("The notice is already withdrawn."))
        raise ValidationError(_("A draft has not been published; delete it instead."))
    notice.withdrawn_at = timezone.now()
    notice.withdrawn_reason = reason[:200]
    notice.pinned = False
    notice.save(update_fields=["withdrawn_at", "withdrawn_reason", "pinned", "updated_at"])
    return notice


@transaction.atomic
def delete_draft(scope: Scope, notice: Notice) -> None:
    """Only a draft may go without trace; anything residents may have seen is withdrawn instead."""
    require_own(scope, notice)
    if notice.publish_at is not None or notice.delivered_at:
        raise ValidationError(_("Only a draft can be deleted; withdraw a published notice instead."))
    files = [(a.file.storage, a.file.name) for a in notice.attachments.all()]
    notice.delete()  # in the audit log once, by the project's delete signal
    for storage, name in files:
        transaction.on_commit(partial(storage.delete, name))


def set_pinned(scope: Scope, notice: Notice, pinned: bool) -> Notice:
    require_own(scope, notice)
    if pinned and notice.withdrawn_at:
        raise ValidationError(_("A withdrawn notice cannot be pinned."))
    notice.pinned = pinned
    notice.save(update_fields=["pinned", "updated_at"])
    return notice


# --- Reads -----------------------------------------------------------------------------------


def mark_read(user: User, notice: Notice) -> int:
    """The reader's own record and those of the people they act for, if the notice is for them."""

    residents = readers_for(user, notice)
    if not residents:
        return 0
    NoticeRead.objects.bulk_create(
        [NoticeRead(notice=notice, resident=resident, by=user, how=how) for resident, how in residents],
        ignore_conflicts=True,
    )
    return len(residents)


def record_told(actor: User, scope: Scope, notice: Notice, resident_ids: Iterable[int]) -> int:
    """A building leader or social worker told residents in person: they count as informed."""

    if not scope.can(Capability.VIEW_PEOPLE):
        raise PermissionDenied
    wanted = scope.restrict(audience(notice)).filter(pk__in=list(resident_ids))
    rows = [
        NoticeRead(notice=notice, resident_id=pk, by=actor, how=ReadHow.IN_PERSON)
        for pk in wanted.values_list("pk", flat=True)
    ]
    NoticeRead.objects.bulk_create(rows, ignore_conflicts=True)
    record("told", notice, changes={"residents": len(rows)}, area_path=scope.path)
    return len(rows)


# --- The publicity plan ------------------------------------------------------------------


def set_cadence(scope: Scope, committee: Area, category: str, per_month: int | None) -> Cadence | None:
    """So many notices of a category a month; none (or 0) drops the category from the plan."""
    require_publisher(scope)
    if committee.level != AreaLevel.COMMITTEE or not scope.covers(committee):
        raise PermissionDenied(_("This committee lies outside your area."))
    if category not in NoticeCategory.values:
        raise ValidationError({"category": _("Choose one of the categories.")})
    if not per_month:
        Cadence.objects.filter(committee=committee, category=category).delete()
        return None
    if not 1 <= per_month <= 31:
        raise ValidationError({"per_month": _("Between 1 and 31 a month.")})
    # A new plan is judged from this month on; changing the number keeps its start.
    cadence, _created = Cadence.objects.update_or_create(
        committee=committee, category=category, defaults={"per_month": per_month}
    )
    return cadence
