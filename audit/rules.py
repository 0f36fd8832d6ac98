"""What the log covers and how a change is written down, shared by the save signals and the
audited querysets (``audit/querysets.py``), so that a row changed by ``save()`` and one
changed by ``update()`` read the same in the log."""

from __future__ import annotations

from django.conf import settings

from audit.context import current_actor

HIDDEN = "[hidden]"


def covered(model) -> bool:
    """Every model of a Mulin app, but a migration's historical models (no one acted) and
    those that declare ``audit_skip = "why"``."""
    if model.__module__ == "__fake__":
        return False
    return model._meta.app_label in settings.MULIN_APPS and not getattr(model, "audit_skip", False)


def suspended_now() -> bool:
    actor = current_actor()
    return actor is not None and actor.role == "__suspended__"


def jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def shown(model, attname: str, old: object, new: object, created: bool) -> object:
    """One field's change as the log stores it: the new value of a created row, else
    [old, new]; ``[hidden]`` for a field in the model's ``audit_exclude``."""
    excluded: frozenset[str] = getattr(model, "audit_exclude", frozenset())
    name = attname[:-3] if attname.endswith("_id") and attname[:-3] in excluded else attname
    if name in excluded:
        return HIDDEN
    return jsonable(new) if created else [jsonable(old), jsonable(new)]


def quiet_fields(model) -> frozenset[str]:
    """Fields whose change alone is no one's change to the record (``updated_at``, and the
    counters and last-seen stamps a model lists in ``audit_skip_fields`` with the reason)."""
    return frozenset({"updated_at", *getattr(model, "audit_skip_fields", {})})
