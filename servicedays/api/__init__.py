"""API endpoints of servicedays, one router per part, under /api/v1/servicedays/."""

from ninja import Router

from servicedays.api import days, figures, queue

router = Router()
router.add_router("", days.router)
router.add_router("", queue.router)
router.add_router("", figures.router)
