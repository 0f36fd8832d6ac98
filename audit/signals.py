"""One mechanism for the whole project: every change to a Mulin model is logged.

Models opt out of nothing by default: any model of an app in ``settings.MULIN_APPS`` is
covered, including those added by later apps. Two paths write the same entries:

- ``save()`` and ``delete()`` (also a queryset's ``delete()``: while these receivers are
  connected, Django never takes its fast path that skips them), through the signals below;
- ``update()``, ``bulk_update()`` and ``bulk_create()``, which send no signals, through the
  audited queryset every Mulin model's managers use (``audit/querysets.py``; see
  ``docs/audit.md`` and ``tests/audit/test_coverage.py``, which fails on a model or a call
  that escapes both).

Fields listed in a model's ``audit_exclude`` are noted as changed without their values
(passwords, token hashes).
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from audit.rules import covered, quiet_fields, shown, suspended_now
from audit.services import area_path_of, record


def _field_values(instance: Model) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    if not covered(sender) or suspended_now() or instance._state.adding or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).values(
        *[f.attname for f in sender._meta.concrete_fields]
    )
    instance._audit_before = old.first()


def _after_save(sender, instance, created=False, raw=False, update_fields=None, **kwargs) -> None:
    if not covered(sender) or suspended_now():
        return
    after = _field_values(instance)
    before = getattr(instance, "_audit_before", None) or {}
    instance._audit_before = None
    changes: dict[str, object] = {}
    for name, new in after.items():
        old = before.get(name)
        if created or old != new:
            changes[name] = shown(sender, name, old, new, created)
    if not created and not set(changes) - quiet_fields(sender):
        return
    changes.pop("updated_at", None)
    record("create" if created else "update", instance, changes=changes)


def _after_delete(sender, instance, **kwargs) -> None:
    if not covered(sender) or suspended_now():
        return
    record("delete", instance, area_path=area_path_of(instance, safe=True))


def _link_accessor(instance: Model, through: type[Model]) -> str | None:
    """The name under which ``instance`` reaches the many-to-many table ``through``."""
    meta = instance._meta
    for field in meta.many_to_many:
        if field.remote_field.through is through:  # type: ignore[union-attr]
            return field.name
    for relation in meta.related_objects:
        if relation.many_to_many and relation.through is through:  # type: ignore[attr-defined]
            return relation.get_accessor_name()
    return None


def _linked(instance: Model, accessor: str) -> list:
    return sorted(getattr(instance, accessor).values_list("pk", flat=True))


def _within(enclosing: list, using: str) -> bool:
    """Whether the current code still runs inside every one of ``enclosing`` atomic blocks."""
    blocks = connections[using].atomic_blocks
    return (
        bool(enclosing)
        and len(blocks) > len(enclosing)
        and all(a is b for a, b in zip(enclosing, blocks, strict=False))
    )


def _links_changed(sender, instance, action, using, **kwargs) -> None:
    """A many-to-many field's ``add()``, ``remove()``, ``set()`` and ``clear()`` write its own
    table, which sends no save signal: one entry on the object, with the linked ids before
    and after (a meeting's topics, who was seen at a visit). ``set()`` removes, then adds,
    inside one atomic block: the changes to one field inside one block (``set()``'s, or a
    service's) are one entry."""
    if not covered(type(instance)) or suspended_now() or instance.pk is None:
        return
    accessor = _link_accessor(instance, sender)
    if accessor is None:
        return
    if action.startswith("pre_"):
        instance.__dict__.setdefault("_audit_links", {})[accessor] = _linked(instance, accessor)
        return
    before = instance.__dict__.get("_audit_links", {}).pop(accessor, None)
    after = _linked(instance, accessor)
    if before is None or before == after:
        return
    entries = instance.__dict__.setdefault("_audit_link_entries", {})
    earlier = entries.get(accessor)
    if earlier is not None and earlier[2] == before and _within(earlier[0], using):
        entry, first = earlier[1], earlier[1].changes[accessor][0]
        entry.changes = {accessor: [first, after]}
        entry.save(update_fields=["changes"])
    else:
        entry = record("update", instance, changes={accessor: [before, after]})
    # The blocks around the add() or remove() that sent this (each runs in one of its own).
    entries[accessor] = (connections[using].atomic_blocks[:-1], entry, after)


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="audit_before_save")
    post_save.connect(_after_save, dispatch_uid="audit_after_save")
    post_delete.connect(_after_delete, dispatch_uid="audit_after_delete")
    m2m_changed.connect(_links_changed, dispatch_uid="audit_links_changed")
