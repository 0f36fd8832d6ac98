"""Dining points, the meals they serve, pauses; dishes, weekly menus, the menu poster: the API."""

from ninja import Router

router = Router(tags=["meals"])
