"""Writing audit entries outside the automatic save/delete signals."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from audit.context import current_actor
from audit.models import AuditEntry


def area_path_of(instance: Model, safe: bool = False) -> str:
    """The area path an object belongs to, from ``audit_area_path()`` or ``scope_path``."""
    try:
        if hasattr(instance, "audit_area_path"):
            return instance.audit_area_path() or ""
        lookup = getattr(type(instance), "scope_path", "")
        value: object = instance
        for part in lookup.split("__") if lookup else []:
            value = getattr(value, part, None)
            if value is None:
                return ""
        return value if isinstance(value, str) else ""
    except Exception:
        if safe:
            return ""
        raise


def record(
    action: str,
    instance: Model | None = None,
    *,
    changes: dict | None = None,
    note: str = "",
    actor=None,
    area_path: str | None = None,
):
    """Append one entry. ``actor`` defaults to whoever the request or command acts as."""

    if isinstance(instance, AuditEntry):
        return None
    current = current_actor()
    actor_id = actor.pk if actor is not None else (current.user_id if current else None)
    role = "" if current is None or current.role == "__suspended__" else current.role
    return AuditEntry.objects.create(
        actor_id=actor_id,
        actor_role=role,
        action=action,
        content_type=ContentType.objects.get_for_model(instance) if instance is not None else None,
        object_id=str(instance.pk) if instance is not None else "",
        object_repr=str(instance)[:200] if instance is not None else "",
        changes=changes or {},
        area_path=area_path
        if area_path is not None
        else (area_path_of(instance) if instance is not None else ""),
        note=note[:255],
    )
