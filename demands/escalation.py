"""The overdue job: a request still open after its due time escalates to the committee's
lead(s) — once per request and due time, so a repeated run does nothing twice and a
reopened request (a new due time) may escalate again. A resolved request nobody reopened
within the window is closed."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleGrant, User
from accounts.roles import Role
from demands import services
from demands.models import OPEN_STATUSES, Demand, DemandEvent, DemandStatus, EventKind
from notifications.models import NotificationKind
from notifications.services import notify

BATCH = 500


def _leads(committee_ids: set[int]) -> dict[int, list[User]]:
    leads: dict[int, list[User]] = defaultdict(list)
    for grant in RoleGrant.objects.filter(
        revoked_at__isnull=True, role=Role.COMMITTEE_LEAD, area_id__in=committee_ids, user__is_active=True
    ).select_related("user"):
        leads[grant.area_id].append(grant.user)
    return leads


def escalate_overdue(now: datetime) -> int:
    """Escalate every open request past its due time that has not been escalated for that
    due time; returns how many were escalated."""
    due = (
        Demand.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now)
        .filter(Q(escalated_for__isnull=True) | ~Q(escalated_for=F("due_at")))
        .select_related("category", "committee", "assignee")
        .order_by("due_at", "pk")
    )
    done = 0
    while True:
        batch = list(due[:BATCH])
        if not batch:
            return done
        leads = _leads({r.committee_id for r in batch})
        for demand in batch:
            done += _escalate(demand, leads.get(demand.committee_id, []), now)


@transaction.atomic
def _escalate(demand: Demand, leads: list[User], now: datetime) -> int:
    # The conditional update is the claim: a parallel run finds nothing left to do.
    claimed = (
        Demand.objects.filter(pk=demand.pk, due_at=demand.due_at, status__in=OPEN_STATUSES)
        .filter(Q(escalated_for__isnull=True) | ~Q(escalated_for=demand.due_at))
        .update(escalated_at=now, escalated_for=demand.due_at)
    )
    if not claimed:
        return 0
    assert demand.due_at is not None
    late = now - demand.due_at
    hours = int(late.total_seconds() // 3600)
    who = demand.assignee_label or _("nobody yet")
    names = "、".join(u.name for u in leads) or _("no lead on record")
    DemandEvent.objects.create(
        demand=demand,
        kind=EventKind.ESCALATED,
        text=_("Overdue by %(hours)d hours; assigned to %(who)s; escalated to %(leads)s.")
        % {"hours": hours, "who": who, "leads": names},
        internal=False,
        at=now,
    )
    if leads:
        notify(
            leads,
            kind=NotificationKind.DEMAND,
            title=_("Overdue request: %(category)s #%(id)d")
            % {"category": demand.category.name, "id": demand.pk},
            body=_("Due %(due)s, assigned to %(who)s.")
            % {"due": timezone.localtime(demand.due_at).strftime("%Y-%m-%d %H:%M"), "who": who},
            url=demand.get_absolute_url(),
            sms=True,
        )
    return 1


def close_settled(now: datetime) -> int:
    """Close resolved requests whose reopening window has passed."""
    cutoff = now - timedelta(days=services.reopen_days())
    closed = 0
    for demand in Demand.objects.filter(status=DemandStatus.RESOLVED, resolved_at__lt=cutoff).order_by("pk")[
        :BATCH
    ]:
        services.close_unreopened(demand, _("Closed: not reopened within the window."), now)
        closed += 1
    return closed


def run(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {"escalated": escalate_overdue(now), "closed": close_settled(now)}
