"""The hours ledger: logging, confirming and correcting service hours (append-only).

(Skeleton of the shared entry point; the rules — 24 hours a day, no overlaps, who confirms,
reversals, credits earned — are filled in by the hours-and-time-bank work.)
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from common.scope import Scope
from volunteers.models import HoursEntry, HoursSource, ShiftClaim


def duration_hours(starts_at: datetime, ends_at: datetime) -> Decimal:
    """Hours between two moments, to the quarter hour below (2 h 10 min is 2.00)."""
    seconds = (ends_at - starts_at).total_seconds()
    quarters = int(seconds // 900)
    return Decimal(quarters) / 4


@transaction.atomic
def record_shift(claim: ShiftClaim, *, by: User, scope: Scope) -> HoursEntry:
    """The hours of a shift checked out: from check-in to check-out, confirmed by whoever
    checked the volunteer out (staff or the team's leader)."""
    shift = claim.shift
    now = timezone.now()
    return HoursEntry.objects.create(
        volunteer=claim.volunteer,
        area=shift.area,
        team=shift.team,
        shift=shift,
        service=shift.service,
        day=timezone.localtime(claim.checked_in_at).date(),
        starts_at=claim.checked_in_at,
        ends_at=claim.checked_out_at,
        hours=duration_hours(claim.checked_in_at, claim.checked_out_at),
        source=HoursSource.SHIFT,
        logged_by=by,
        confirmed_by=by,
        confirmed_at=now,
    )
