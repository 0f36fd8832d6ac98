"""One mechanism for the whole project: every save and delete of a Mulin model is logged.

Models opt out of nothing: any model of an app in ``settings.MULIN_APPS`` is covered,
including those added by later apps. Fields listed in a model's ``audit_exclude`` are
noted as changed without their values (passwords, token hashes).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save

from audit.context import current_actor
from audit.services import area_path_of, record

HIDDEN = "[hidden]"


def _covered(sender) -> bool:
    meta = sender._meta
    if sender.__module__ == "__fake__":
        # A migration's historical model (a data migration's default rows): no one acted.
        return False
    return meta.app_label in settings.MULIN_APPS and not getattr(sender, "audit_skip", False)


def _suspended() -> bool:
    actor = current_actor()
    return actor is not None and actor.role == "__suspended__"


def _field_values(instance: Model) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    if not _covered(sender) or _suspended() or instance._state.adding or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).values(
        *[f.attname for f in sender._meta.concrete_fields]
    )
    instance._audit_before = old.first()


def _after_save(sender, instance, created=False, raw=False, update_fields=None, **kwargs) -> None:
    if not _covered(sender) or _suspended():
        return
    excluded: frozenset[str] = getattr(sender, "audit_exclude", frozenset())
    after = _field_values(instance)
    before = getattr(instance, "_audit_before", None) or {}
    instance._audit_before = None
    changes: dict[str, object] = {}
    for name, new in after.items():
        old = before.get(name)
        if created or old != new:
            field_name = name[:-3] if name.endswith("_id") and name[:-3] in excluded else name
            if field_name in excluded:
                changes[name] = HIDDEN
            else:
                changes[name] = _jsonable(new) if created else [_jsonable(old), _jsonable(new)]
    changes.pop("updated_at", None)
    if not created and not changes:
        return
    record("create" if created else "update", instance, changes=changes)


def _after_delete(sender, instance, **kwargs) -> None:
    if not _covered(sender) or _suspended():
        return
    record("delete", instance, area_path=area_path_of(instance, safe=True))


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="audit_before_save")
    post_save.connect(_after_save, dispatch_uid="audit_after_save")
    post_delete.connect(_after_delete, dispatch_uid="audit_after_delete")
