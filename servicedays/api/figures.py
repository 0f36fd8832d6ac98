"""Served counts, beneficiaries and wait times: the API."""

from ninja import Router

router = Router(tags=["servicedays"])
