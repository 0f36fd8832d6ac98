"""API endpoints of volunteers, one router per part, under /api/v1/volunteers/."""

from ninja import Router

from volunteers.api import bank, hours, recognition, shifts, teams

router = Router()
router.add_router("", teams.router)
router.add_router("", shifts.router)
router.add_router("", hours.router)
router.add_router("", bank.router)
router.add_router("", recognition.router)
