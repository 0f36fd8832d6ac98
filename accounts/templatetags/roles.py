"""A role as people read it: ``{{ entry.actor_role|role_label }}`` shows 社工, not the
stored code ``social_worker`` (logs keep the code; pages and files show the label)."""

from __future__ import annotations

from django import template

from accounts import roles

register = template.Library()
register.filter("role_label", roles.role_label)
