"""Photos of a request: at most three, each a real image (checked by what Pillow reads in
it, not by the file's name) under the size limit. They may show faces and homes, so they
are served only to those who may read the request (``views.residents.photo``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.models import User
from common.uploads import photo_name, photo_problems, shown_name, store
from demands.models import Demand, DemandPhoto

MAX_PHOTOS = 3


def max_mb() -> int:
    return getattr(settings, "DEMANDS_MAX_PHOTO_MB", 10)


def check_photos(files: list[UploadedFile], already: int = 0) -> list[str]:
    """Why these uploads may not be kept (one message each); [] if they may."""
    return photo_problems(
        files,
        already=already,
        most=MAX_PHOTOS,
        too_many=_("A request takes at most %(n)d photos."),
        max_mb=max_mb(),
    )


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
                name=shown_name(upload),
                stored_name=photo_name(upload),
                size=upload.size or 0,
                added_by=by,
            ),
            upload,
        )
        for upload in files
    )
