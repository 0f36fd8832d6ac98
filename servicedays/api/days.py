"""Service days and their stalls, planned month by month: the API."""

from ninja import Router

router = Router(tags=["servicedays"])
