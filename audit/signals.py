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

from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save

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


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="audit_before_save")
    post_save.connect(_after_save, dispatch_uid="audit_after_save")
    post_delete.connect(_after_delete, dispatch_uid="audit_after_delete")
