"""The current actor, carried in a context variable so that signals know who acted."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    role: str = ""


_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("mulin_audit_actor", default=None)


def current_actor() -> Actor | None:
    return _current.get()


@contextmanager
def acting_as(user, role: str = ""):
    """Attribute every change inside the block to ``user`` (for commands and tasks)."""
    token = _current.set(Actor(user.pk if user is not None else None, role))
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def suspended():
    """No per-row entries inside the block (bulk imports write one summary entry instead)."""
    token = _current.set(Actor(None, "__suspended__"))
    try:
        yield
    finally:
        _current.reset(token)
