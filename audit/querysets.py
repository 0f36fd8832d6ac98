"""The audited queryset: ``update()``, ``bulk_update()`` and ``bulk_create()`` send no save
signals, so they write their audit entries here, one per changed row, in the same
transaction and with the same before/after as a ``save()`` would.

Cost, per 2,000 rows (one round for the usual handful): one SELECT of the rows' old values
(locked on PostgreSQL), the UPDATE narrowed to those ids (so that it changes exactly the
rows read), one more SELECT of the new values when a value is an expression
(``F("confirmed") + 1``, ``Case(...)``), and one bulk INSERT of the entries; never a query
per row. Entries name the row by its type and id (``sign-up #12``) rather
than ``str(row)``, which could read a relation per row; their area comes from the model's
``scope_path`` in the same SELECT.

Every model of a Mulin app inherits it from ``audit.models.AuditedModel`` (custom
querysets subclass ``AuditedQuerySet``); ``tests/audit/test_coverage.py`` fails on a model
whose managers do not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar, cast

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, transaction

from audit.context import current_actor
from audit.rules import covered, quiet_fields, shown, suspended_now

_M = TypeVar("_M", bound=models.Model)

CHUNK = 2000  # rows per SELECT ... WHERE pk IN (...) and per INSERT of entries


def _area_lookup(model) -> str:
    return getattr(model, "scope_path", "") or ""


def _is_expression(value: object) -> bool:
    return hasattr(value, "resolve_expression")


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _concrete(model, name: str) -> models.Field:
    """The field ``name`` of ``model`` that an update or bulk_update writes (a column)."""
    return cast(models.Field, model._meta.get_field(name))


class AuditedQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs):
        if not covered(self.model) or suspended_now():
            return super().update(**kwargs)
        given = {_concrete(self.model, name): value for name, value in kwargs.items()}
        names = [f.attname for f in given if f.concrete]
        with transaction.atomic(using=self.db, savepoint=False):
            before = self._old_values(self, names)
            pks = list(before)
            count = 0
            for part in _chunks(pks):
                count += models.QuerySet.update(self.filter(pk__in=part), **kwargs)
            if any(_is_expression(v) for v in given.values()):
                after = self._values_of(pks, names, lock=False)
            else:
                new = {f.attname: _plain(f, value) for f, value in given.items() if f.concrete}
                after = dict.fromkeys(pks, new)
            self._log_changes(before, after)
        return count

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        if not covered(self.model) or suspended_now() or not objs:
            return super().bulk_update(objs, fields, batch_size=batch_size)
        attnames = [_concrete(self.model, name).attname for name in fields]
        with transaction.atomic(using=self.db, savepoint=False):
            pks = [obj.pk for obj in objs]
            before = self._values_of(pks, attnames)
            count = super().bulk_update(objs, fields, batch_size=batch_size)
            if any(_is_expression(getattr(obj, a)) for obj in objs for a in attnames):
                after = self._values_of(pks, attnames, lock=False)
            else:
                after = {obj.pk: {a: getattr(obj, a) for a in attnames} for obj in objs}
            self._log_changes(before, after)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        if not covered(self.model) or suspended_now():
            return super().bulk_create(objs, *args, **kwargs)
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            # The database does not say which rows it created, skipped or overwrote.
            raise ValueError(
                f"{self.model._meta.label} is audited: bulk_create() cannot skip or overwrite "
                "conflicting rows (save each row, or opt the model out with audit_skip)"
            )
        with transaction.atomic(using=self.db, savepoint=False):
            made = super().bulk_create(objs, *args, **kwargs)
            rows = [obj for obj in made if obj.pk is not None]
            areas = self._areas([obj.pk for obj in rows])
            concrete = self.model._meta.concrete_fields
            _write(
                self.model,
                "create",
                (
                    (
                        obj.pk,
                        {
                            f.attname: shown(self.model, f.attname, None, getattr(obj, f.attname), True)
                            for f in concrete
                        },
                        areas.get(obj.pk, ""),
                    )
                    for obj in rows
                ),
                self.db,
            )
        return made

    # -- the reads and the write --------------------------------------------------------

    def _old_values(self, queryset, names: list[str], lock: bool = True) -> dict:
        """{pk: {attname: value, "__area": path}} for the rows ``queryset`` matches."""
        area = _area_lookup(self.model)
        qs = queryset.order_by()
        if lock and connections[self.db].features.has_select_for_update_of and not qs.query.distinct:
            qs = qs.select_for_update(of=("self",))
        columns = ["pk", *names, *([area] if area else [])]
        rows = {}
        for row in qs.values_list(*columns):
            values = dict(zip(columns, row, strict=True))
            rows[values.pop("pk")] = {**{n: values[n] for n in names}, "__area": values.get(area) or ""}
        return rows

    def _values_of(self, pks: list, names: list[str], lock: bool = True) -> dict:
        """``_old_values`` of the rows with these pks, read in chunks (SQLite's limit on
        parameters)."""
        found: dict = {}
        for part in _chunks(pks):
            found.update(
                self._old_values(self.model._base_manager.using(self.db).filter(pk__in=part), names, lock)
            )
        return found

    def _areas(self, pks: list) -> dict:
        area = _area_lookup(self.model)
        if not area or not pks:
            return {}
        found: dict = {}
        for part in _chunks(pks):
            found.update(self.model._base_manager.using(self.db).filter(pk__in=part).values_list("pk", area))
        return {pk: path or "" for pk, path in found.items()}

    def _log_changes(self, before: dict, after: dict) -> None:
        quiet = quiet_fields(self.model)
        rows = []
        for pk, old in before.items():
            new = after.get(pk, {})
            changed = {
                name: shown(self.model, name, old[name], new[name], False)
                for name in new
                if name in old and old[name] != new[name]
            }
            if set(changed) - quiet:
                changed.pop("updated_at", None)
                rows.append((pk, changed, old["__area"]))
        _write(self.model, "update", rows, self.db)


class AuditedManager(models.Manager.from_queryset(AuditedQuerySet)):  # type: ignore[misc]
    pass


def _plain(field, value: object) -> object:
    if isinstance(value, models.Model):
        return value.pk
    return field.to_python(value) if value is not None else None


def _write(model, action: str, rows: Iterable[tuple], using: str) -> None:
    """One entry per (pk, changes, area) row, inserted in batches: attributed, like the
    signals' entries, to whoever the request or command acts as."""
    entry_model = apps.get_model("audit", "AuditEntry")
    actor = current_actor()
    actor_id = actor.user_id if actor is not None else None
    role = actor.role if actor is not None else ""
    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    label = str(model._meta.verbose_name)
    entries = [
        entry_model(
            actor_id=actor_id,
            actor_role=role,
            action=action,
            content_type=content_type,
            object_id=str(pk),
            object_repr=f"{label} #{pk}"[:200],
            changes=changes,
            area_path=area[:255],
        )
        for pk, changes, area in rows
    ]
    if entries:
        entry_model.objects.using(using).bulk_create(entries, batch_size=CHUNK)
