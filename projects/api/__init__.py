"""API endpoints of projects and competitions, one router per part, under /api/v1/projects/."""

from ninja import Router

from projects.api import competitions, judging, projects

router = Router()
router.add_router("", projects.router)
router.add_router("", competitions.router)
router.add_router("", judging.router)
