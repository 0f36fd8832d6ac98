"""API endpoints of meals, one router per part, under /api/v1/meals/."""

from ninja import Router

from meals.api import diners, kitchen, orders, points, statements

router = Router()
router.add_router("", points.router)
router.add_router("", diners.router)
router.add_router("", orders.router)
router.add_router("", kitchen.router)
router.add_router("", statements.router)
