"""Diners (their needs, health conditions revealed with a reason) and subsidy rules: the API."""

from ninja import Router

router = Router(tags=["meals"])
