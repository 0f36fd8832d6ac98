"""API endpoints of projects, under /api/v1/projects/."""

from ninja import Router

router = Router()
