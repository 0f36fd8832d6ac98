"""Photos of a request: at most three, each a real image (checked by what Pillow reads in
it, not by the file's name) under the size limit. They may show faces and homes, so they
are served only to those who may read the request (``views.residents.photo``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.models import User
from common.uploads import image_format as read_format
from common.uploads import store
from demands.models import Demand, DemandPhoto

MAX_PHOTOS = 3
# What Pillow calls the formats a phone's camera or a screenshot gives, and their suffix.
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif", "MPO": ".jpg"}


def max_mb() -> int:
    return getattr(settings, "DEMANDS_MAX_PHOTO_MB", 10)


def image_format(upload: UploadedFile) -> str | None:
    """The format Pillow finds in the file, if it is a whole image of a kind we keep."""
    found = read_format(upload)
    return found if found in FORMATS else None


def check_photos(files: list[UploadedFile], already: int = 0) -> list[str]:
    """Why these uploads may not be kept (one message each); [] if they may."""
    problems = []
    if already + len(files) > MAX_PHOTOS:
        problems.append(_("A request takes at most %(n)d photos.") % {"n": MAX_PHOTOS})
    limit = max_mb() * 1024 * 1024
    for upload in files:
        name = Path(upload.name or "photo").name
        if (upload.size or 0) > limit:
            problems.append(_("“%(name)s” is larger than %(mb)d MB.") % {"name": name, "mb": max_mb()})
        elif image_format(upload) is None:
            problems.append(
                _("“%(name)s” is not a photo: send a JPG, PNG, WebP or GIF image.") % {"name": name}
            )
    return problems


def save_photos(demand: Demand, files: Iterable[UploadedFile], by: User | None) -> list[DemandPhoto]:
    """Store checked uploads; the caller's transaction owns the rows, and a failure removes
    the files already written."""
    files = list(files)
    problems = check_photos(files, demand.photos.count())
    if problems:
        raise ValidationError({"photos": problems})
    return store(
        (
            DemandPhoto(
                demand=demand,
                name=Path(upload.name or "photo").name[:200],
                stored_name=f"{uuid.uuid4().hex}{FORMATS[image_format(upload) or 'JPEG']}",
                size=upload.size or 0,
                added_by=by,
            ),
            upload,
        )
        for upload in files
    )
