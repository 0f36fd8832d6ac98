"""Orders: by the diner, family, a building leader, staff on the phone; standing orders; payments: the API."""

from ninja import Router

router = Router(tags=["meals"])
