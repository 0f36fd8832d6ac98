"""API endpoints of spaces, one router per part, under /api/v1/spaces/."""

from ninja import Router

from spaces.api import bookings, calendar, places, series

router = Router()
router.add_router("", places.router)
router.add_router("", bookings.router)
router.add_router("", series.router)
router.add_router("", calendar.router)
