"""Check-in and no-show, calendars, figures, the xlsx: the API."""

from ninja import Router

router = Router(tags=["spaces"])
