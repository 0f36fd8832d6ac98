"""Kinds of aid, their policies and the items: the API."""

from ninja import Router

router = Router(tags=["aids"])
