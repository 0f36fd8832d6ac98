"""Statements per diner and per funder, and the figures: the API."""

from ninja import Router

router = Router(tags=["meals"])
