"""Files people upload beside a row (a notice's attachments, a request's, a space's or a
project's photos, an invoice, a rating's evidence): whether a file is really a photo and
small enough, the name it is stored under, and writing a batch of them all or nothing. Each
app keeps its own limits (how many, how many MB); the rules and their messages live here."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)

# What Pillow calls the formats a phone's camera or a screenshot gives, and the suffix each is
# stored under (MPO: a camera's JPEG with a second picture).
PHOTO_SUFFIX = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif", "MPO": ".jpg"}


def image_format(upload: UploadedFile) -> str | None:
    """The format Pillow reads in the file ("JPEG", "PNG"…), or None when it is not a whole
    image (or would unpack into an absurd number of pixels). The file is rewound either way:
    what it is called says nothing."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return found


def photo_format(upload: UploadedFile) -> str | None:
    """The format Pillow finds in the file, if it is a whole image of a kind we keep."""
    found = image_format(upload)
    return found if found in PHOTO_SUFFIX else None


def photo_name(upload: UploadedFile) -> str:
    """A new name to store a checked photo under: random, with the suffix of what it is."""
    return f"{uuid.uuid4().hex}{PHOTO_SUFFIX[photo_format(upload) or 'JPEG']}"


def shown_name(upload: UploadedFile, default: str = "photo") -> str:
    """The file's own name as people gave it, without any folder, cut to the column's 200."""
    return Path(upload.name or default).name[:200]


def size_problem(upload: UploadedFile, max_mb: int) -> str | None:
    """Why the file is too large to keep, naming it and the limit; None if it is not."""
    if (upload.size or 0) > max_mb * 1024 * 1024:
        return _("“%(name)s” is larger than %(mb)d MB.") % {"name": shown_name(upload), "mb": max_mb}
    return None


def photo_problem(upload: UploadedFile, max_mb: int) -> str | None:
    """Why the file may not be kept as a photo (too large, or not a photo); None if it may."""
    if problem := size_problem(upload, max_mb):
        return problem
    if photo_format(upload) is None:
        return _("“%(name)s” is not a photo: send a JPG, PNG, WebP or GIF image.") % {
            "name": shown_name(upload)
        }
    return None


def photo_problems(
    files: list[UploadedFile], *, already: int, most: int, too_many: str, max_mb: int
) -> list[str]:
    """Why these uploads may not be kept beside ``already`` photos, one message each ([] if
    they may): more than ``most`` in all (``too_many``, which takes ``%(n)d``), or a file too
    large or not a photo."""
    problems = [too_many % {"n": most}] if already + len(files) > most else []
    problems += filter(None, (photo_problem(upload, max_mb) for upload in files))
    return problems


def store(rows: Iterable[tuple[M, UploadedFile]]) -> list[M]:
    """Write each upload into its row's ``file`` under the row's ``stored_name`` and save the
    row. If one fails, the files already written are removed (the rows roll back with the
    caller's transaction) and the error is raised: a failed request leaves no stray upload."""
    made: list[M] = []
    try:
        for row, upload in rows:
            row.file.save(row.stored_name, upload, save=False)  # type: ignore[attr-defined]
            made.append(row)
            row.save()
    except Exception:
        for row in made:
            row.file.storage.delete(row.file.name)  # type: ignore[attr-defined]
        raise
    return made
