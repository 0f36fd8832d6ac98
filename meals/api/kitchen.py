"""The kitchen's counts and bag labels; delivery routes, rounds and hand-overs: the API."""

from ninja import Router

router = Router(tags=["meals"])
