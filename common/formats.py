"""Moments as residents read them."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone


def when_text(value: datetime) -> str:
    """A moment as residents read it in a refusal: local, short date and time."""
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
