"""Single bookings: book, approve, decline, cancel: the API."""

from ninja import Router

router = Router(tags=["spaces"])
