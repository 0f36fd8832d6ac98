"""Files people upload beside a row (a notice's attachments, a request's photos): whether a
file is really an image, and writing a batch of them all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model

M = TypeVar("M", bound=Model)


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
