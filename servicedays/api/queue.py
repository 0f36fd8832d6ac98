"""Queue numbers: take, call, serve, the lobby display: the API."""

from ninja import Router

router = Router(tags=["servicedays"])
