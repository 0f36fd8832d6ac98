"""Reading the audit log: always through the reader's scope."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEntry
from common.scope import Scope


def entries_for(
    scope: Scope,
    *,
    action: str = "",
    actor_query: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The entries about objects inside the reader's area, newest first."""
    qs = scope.restrict(AuditEntry.objects.select_related("actor", "content_type"))
    if action:
        qs = qs.filter(action=action)
    if actor_query:
        qs = qs.filter(actor__name__icontains=actor_query) | qs.filter(actor__phone__contains=actor_query)
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        qs = qs.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return qs.order_by("-at", "-pk")
