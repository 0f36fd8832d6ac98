"""API endpoints of aids, one router per part, under /api/v1/aids/."""

from ninja import Router

from aids.api import inventory, lending

router = Router()
router.add_router("", inventory.router)
router.add_router("", lending.router)
