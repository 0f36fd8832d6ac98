"""Holds, loans, returns, renewals, overdue: the API."""

from ninja import Router

router = Router(tags=["aids"])
