"""Who changed what, when: one row per create, update, delete or notable action."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.querysets import AuditedManager


class AuditedModel(models.Model):
    """The base of every Mulin model: its manager's ``update()``, ``bulk_update()`` and
    ``bulk_create()`` write audit entries as ``save()`` does (see ``audit/querysets.py``)."""

    objects = AuditedManager()

    class Meta:
        abstract = True


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    PASSWORD_RESET = "password_reset", _("Password reset")
    IMPORT = "import", _("Imported")
    LOGIN = "login", _("Logged in")
    ROLE_SWITCH = "role_switch", _("Switched role")
    TWO_FACTOR = "two_factor", _("Two-factor enrolled")


class AuditEntry(AuditedModel):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_role = models.CharField(_("acting as"), max_length=30, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, models.SET_NULL, null=True, blank=True, verbose_name=_("type")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The area the object belongs to, copied so that a lead can read their subtree's log
    # with one indexed prefix query, even after the object is gone.
    area_path = models.CharField(_("area"), max_length=255, blank=True, db_index=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    scope_path = "area_path"
    audit_skip = "the log does not log itself"

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    def labelled_changes(self) -> list[tuple[str, object]]:
        """The changes with each field by its name as people read it (its verbose name, in
        the reader's language), not its column name; a field since removed keeps its name."""
        model = self.content_type.model_class() if self.content_type else None
        out = []
        for name, value in (self.changes or {}).items():
            label = name
            if model is not None:
                with contextlib.suppress(FieldDoesNotExist):
                    label = str(getattr(model._meta.get_field(name), "verbose_name", name))
            out.append((label, value))
        return out
