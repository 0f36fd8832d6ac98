"""Sites, spaces, their hours, closures and rules; the public page: the API."""

from ninja import Router

router = Router(tags=["spaces"])
