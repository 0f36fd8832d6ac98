"""API endpoints of funds, under /api/v1/funds/."""

from ninja import Router

router = Router()
