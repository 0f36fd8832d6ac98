"""API endpoints of recognition, one router per part, under /api/v1/recognition/."""

from ninja import Router

from recognition.api import awards, centres, talent

router = Router()
router.add_router("", centres.router)
router.add_router("", talent.router)
router.add_router("", awards.router)
