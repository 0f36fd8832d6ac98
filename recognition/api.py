"""API endpoints of recognition, under /api/v1/recognition/."""

from ninja import Router

router = Router()
