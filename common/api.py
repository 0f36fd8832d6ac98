"""What every endpoint of the API shares: the error answers, the bound on ids, and paging."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Path, Schema
from ninja.pagination import PageNumberPagination

# The largest primary key the databases store (a signed 64-bit integer).
MAX_ID = 2**63 - 1


# An id in a request body or a list of ids: ``list[Id]``. Unbounded, a number past the
# databases' integers answered 500 (SQLite's OverflowError) instead of 422.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Error(Schema):
    detail: str = Field(description="What went wrong, in words to show the user.")


class FieldError(Schema):
    loc: list[str | int] = Field(description='Where: e.g. ["query", "level"] or ["body", "phone"].')
    msg: str
    type: str


class ValidationErrorOut(Error):
    errors: list[FieldError] = Field(default_factory=list, description="Each invalid field, when known.")


# The answers any endpoint may give besides its own: merge into ``response={200: …, **ERRORS}``.
# 413: a body over the size limit (common.http.too_big).
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 413: Error, 422: ValidationErrorOut}


def id_path(description: str):
    """A path parameter holding an id: a positive number the database can store."""
    return Path(..., ge=1, le=MAX_ID, description=description)


class Pages(PageNumberPagination):
    """Page numbers, bounded so that no request can ask the database for an absurd offset."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=10_000)
        page_size: int | None = Field(None, ge=1, le=100, description="20 unless given.")

    def __init__(self, **kwargs):
        super().__init__(page_size=20, max_page_size=100, **kwargs)
