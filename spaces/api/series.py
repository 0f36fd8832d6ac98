"""Repeating bookings and seasons of regular slots: the API."""

from ninja import Router

router = Router(tags=["spaces"])
