"""The hours ledger: logging, confirming and correcting service hours (append-only).

Rules, each refused with a message naming the field and nothing written:
- hours are more than zero and a quarter hour at least; a correction is the only negative line;
- no hours in the future, none before the day the volunteer registered;
- no more than 24 hours on one day for one volunteer, counting confirmed and pending lines and
  subtracting corrections;
- no time range overlapping another of the volunteer's lines (declined and corrected ones
  aside).
Each check runs under the volunteer's row lock, so two hours logged at once cannot both pass.

Who: a volunteer logs their own (pending); a leader of the team, or staff over the area,
confirms or declines it with a reason (never their own); staff log for an elderly volunteer
without a phone (confirmed at once). Confirmation earns time-bank credits (``bank.earn``);
a correction of a confirmed line takes them back (``bank.take_back``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from common.formats import when_text
from common.scope import Scope
from volunteers import bank
from volunteers.bank import amount_text as hours_text
from volunteers.models import HoursEntry, HoursSource, Service, ShiftClaim, Team, Volunteer
from volunteers.rules import is_member, manages, may_run, volunteer_of

DAY_LIMIT = Decimal(24)


def duration_hours(starts_at: datetime, ends_at: datetime) -> Decimal:
    """Hours between two moments, to the quarter hour below (2 h 10 min is 2.00)."""
    seconds = (ends_at - starts_at).total_seconds()
    quarters = int(seconds // 900)
    return Decimal(quarters) / 4


@dataclass
class Served:
    """What a volunteer says they did: a day and either a time range or a number of hours."""

    day: date | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    hours: Decimal | None = None
    service: Service | None = None
    team: Team | None = None
    note: str = ""

    def settled(self) -> Served:
        """The day and hours worked out from the time range when one is given."""
        if (self.starts_at is None) != (self.ends_at is None):
            field = "ends_at" if self.ends_at is None else "starts_at"
            raise ValidationError({field: _("Give both the time it started and the time it ended.")})
        if self.starts_at is not None and self.ends_at is not None:
            if self.ends_at <= self.starts_at:
                raise ValidationError({"ends_at": _("The end must be after the start.")})
            hours = duration_hours(self.starts_at, self.ends_at)
            if self.hours is not None and self.hours != hours:
                message = _("From %(start)s to %(end)s is %(hours)s hours, not %(given)s.") % {
                    "start": when_text(self.starts_at),
                    "end": when_text(self.ends_at),
                    "hours": hours_text(hours),
                    "given": hours_text(self.hours),
                }
                raise ValidationError({"hours": message})
            return Served(
                timezone.localtime(self.starts_at).date(),
                self.starts_at,
                self.ends_at,
                hours,
                self.service,
                self.team,
                self.note,
            )
        if self.hours is None:
            raise ValidationError({"hours": _("Give the hours, or the time it started and ended.")})
        if self.day is None:
            raise ValidationError({"day": _("Give the day served.")})
        return self


# --- The rules ------------------------------------------------------------------------------


def ledger_problems(volunteer: Volunteer, served: Served, now: datetime | None = None) -> dict[str, str]:
    """What is wrong with ``served`` for ``volunteer``, by field; empty if nothing. Call under
    the volunteer's row lock (``_locked``) when about to write."""
    now = now or timezone.now()
    hours, day = served.hours or Decimal(0), served.day
    assert day is not None
    if hours <= 0:
        return {"hours": _("Hours must be more than zero.")}
    if hours < Decimal("0.25"):
        return {"hours": _("Less than a quarter of an hour is not logged.")}
    if hours > DAY_LIMIT:
        return {"hours": _("One day has no more than 24 hours.")}
    if day > timezone.localdate(now) or (served.ends_at is not None and served.ends_at > now):
        return {"day": _("Hours cannot be logged for the future.")}
    registered = timezone.localtime(volunteer.registered_at).date()
    if day < registered:
        return {
            "day": _("%(name)s registered as a volunteer on %(day)s; hours before that cannot be logged.")
            % {"name": volunteer.name, "day": registered.isoformat()}
        }
    lines = HoursEntry.objects.counted().filter(volunteer=volunteer)
    already = lines.filter(day=day).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if already + hours > DAY_LIMIT:
        return {
            "hours": _("%(name)s already has %(already)s hours on %(day)s; %(hours)s more would be over 24.")
            % {
                "name": volunteer.name,
                "already": hours_text(already),
                "day": day.isoformat(),
                "hours": hours_text(hours),
            }
        }
    if served.starts_at is not None and served.ends_at is not None:
        clash = (
            lines.filter(
                reverses__isnull=True,
                reversal__isnull=True,
                starts_at__lt=served.ends_at,
                ends_at__gt=served.starts_at,
            )
            .order_by("starts_at")
            .first()
        )
        if clash is not None:
            return {
                "starts_at": _("This overlaps hours already logged from %(start)s to %(end)s.")
                % {"start": when_text(clash.starts_at), "end": when_text(clash.ends_at)}
            }
    return {}


def _locked(volunteer: Volunteer) -> Volunteer:
    """The volunteer's row, locked for the transaction: their lines are checked and written one
    request at a time."""
    return Volunteer.objects.select_for_update().get(pk=volunteer.pk)


def _write(
    volunteer: Volunteer,
    served: Served,
    *,
    source: str,
    by: User,
    area,
    confirmed: bool,
    now: datetime | None = None,
    **extra,
) -> HoursEntry:
    served = served.settled()
    assert served.day is not None and served.hours is not None  # settled() says which is missing
    volunteer = _locked(volunteer)
    now = now or timezone.now()
    problems = ledger_problems(volunteer, served, now)
    if problems:
        raise ValidationError(problems)
    entry = HoursEntry.objects.create(
        volunteer=volunteer,
        area=area,
        team=served.team,
        service=served.service,
        day=served.day,
        starts_at=served.starts_at,
        ends_at=served.ends_at,
        hours=served.hours,
        source=source,
        note=served.note[:200],
        logged_by=by,
        logged_at=now,
        confirmed_by=by if confirmed else None,
        confirmed_at=now if confirmed else None,
        **extra,
    )
    if confirmed:
        bank.earn(entry, by=by)
    return entry


# --- Who may confirm --------------------------------------------------------------------------


def may_confirm(user: User | None, entry: HoursEntry, scope: Scope) -> bool:
    """A leader of the entry's team, or staff over the area served."""
    if entry.team is not None and may_run(user, entry.team, scope):
        return True
    return manages(scope, entry.area)


def _require_confirmer(user: User, entry: HoursEntry, scope: Scope) -> None:
    if not may_confirm(user, entry, scope):
        raise PermissionDenied(_("Only a leader of the team or the committee's staff confirm these hours."))
    if entry.volunteer.user_id is not None and entry.volunteer.user_id == user.pk:
        raise PermissionDenied(_("Someone else confirms your own hours."))


# --- Logging ---------------------------------------------------------------------------------


@transaction.atomic
def log_own(user: User, served: Served, *, scope: Scope) -> HoursEntry:
    """A volunteer logs their own hours: pending until a leader or staff confirms them. Hours for
    a team count only for a team they belong to."""
    volunteer = volunteer_of(user)
    if volunteer is None or volunteer.left_at is not None:
        raise PermissionDenied(_("Only a registered volunteer logs their own hours."))
    if served.team is not None and not is_member(volunteer, served.team):
        raise ValidationError({"team": _("You are not a member of %(team)s.") % {"team": served.team.name}})
    area = served.team.area if served.team is not None else volunteer.committee
    return _write(volunteer, served, source=HoursSource.SELF, by=user, area=area, confirmed=False)


@transaction.atomic
def log_for(by: User, volunteer: Volunteer, served: Served, *, scope: Scope) -> HoursEntry:
    """Staff log hours for a volunteer (an elderly one without a phone): confirmed at once, so
    they earn credits at once."""
    area = served.team.area if served.team is not None else volunteer.committee
    if not manages(scope, area):
        raise PermissionDenied(_("Only the committee's staff log hours for a volunteer."))
    if served.team is not None and not is_member(volunteer, served.team):
        raise ValidationError(
            {
                "team": _("%(name)s is not a member of %(team)s.")
                % {"name": volunteer.name, "team": served.team.name}
            }
        )
    return _write(volunteer, served, source=HoursSource.STAFF, by=by, area=area, confirmed=True)


@transaction.atomic
def record_shift(claim: ShiftClaim, *, by: User, scope: Scope, now: datetime | None = None) -> HoursEntry:
    """The hours of a shift checked out: from check-in to check-out, confirmed by whoever
    checked the volunteer out (staff or the team's leader; the caller decides who may), under
    the ledger's rules, earning credits. ``now`` is the moment of the check-out (the roster's)."""
    shift = claim.shift
    if claim.checked_in_at is None or claim.checked_out_at is None:
        raise ValidationError(_("Check the volunteer in and out first."))
    served = Served(
        starts_at=claim.checked_in_at,
        ends_at=claim.checked_out_at,
        service=shift.service,
        team=shift.team,
        note=shift.title,
    )
    return _write(
        claim.volunteer,
        served,
        source=HoursSource.SHIFT,
        by=by,
        area=shift.area,
        confirmed=True,
        now=now,
        shift=shift,
    )


def record_request(volunteer: Volunteer, served: Served, *, by: User, area) -> HoursEntry:
    """The hours of a time-bank service done (``bank.finish``): confirmed by the staff member who
    confirmed it was done; the caller holds the transaction and has checked who may."""
    return _write(volunteer, served, source=HoursSource.TIMEBANK, by=by, area=area, confirmed=True)


# --- Confirming, declining, correcting -------------------------------------------------------


def _pending(entry: HoursEntry) -> HoursEntry:
    locked = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if not locked.is_pending:
        raise ValidationError(
            _("These hours were already %(state)s.") % {"state": locked.state_label.lower()}
        )
    return locked


@transaction.atomic
def confirm(entry: HoursEntry, *, by: User, scope: Scope) -> HoursEntry:
    """A leader or staff confirms pending hours; the volunteer earns their credits."""
    _require_confirmer(by, entry, scope)
    locked = _pending(entry)
    locked.confirmed_by, locked.confirmed_at = by, timezone.now()
    locked.save(update_fields=["confirmed_by", "confirmed_at"])
    bank.earn(locked, by=by)
    return locked


@transaction.atomic
def confirm_many(entries: list[HoursEntry], *, by: User, scope: Scope) -> int:
    """Several pending lines at once (the leader's list): all of them, or none."""
    for entry in entries:
        confirm(entry, by=by, scope=scope)
    return len(entries)


@transaction.atomic
def decline(entry: HoursEntry, *, by: User, scope: Scope, reason: str) -> HoursEntry:
    """A leader or staff declines pending hours, saying why (the volunteer reads it)."""
    _require_confirmer(by, entry, scope)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these hours are declined.")})
    locked = _pending(entry)
    locked.declined_by, locked.declined_at, locked.decline_reason = by, timezone.now(), reason[:200]
    locked.save(update_fields=["declined_by", "declined_at", "decline_reason"])
    return locked


@transaction.atomic
def reverse(entry: HoursEntry, *, by: User, scope: Scope, reason: str) -> HoursEntry:
    """A confirmed line found wrong is corrected by a reversing line (its negative hours), never
    edited; the credits it earned are taken back. Refused when they were already spent."""
    if not may_confirm(by, entry, scope):
        raise PermissionDenied(_("Only a leader of the team or the committee's staff correct these hours."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what was wrong with these hours.")})
    _locked(entry.volunteer)
    locked = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.is_reversal:
        raise ValidationError(_("A correction is not corrected again; log the right hours instead."))
    if not locked.is_confirmed:
        raise ValidationError(_("Only confirmed hours are corrected; decline hours still waiting."))
    if HoursEntry.objects.filter(reverses=locked).exists():
        raise ValidationError(_("These hours were already corrected."))
    now = timezone.now()
    reversal = HoursEntry.objects.create(
        volunteer=locked.volunteer,
        area=locked.area,
        team=locked.team,
        shift=locked.shift,
        service=locked.service,
        day=locked.day,
        hours=-locked.hours,
        source=HoursSource.REVERSAL,
        note=reason[:200],
        logged_by=by,
        logged_at=now,
        confirmed_by=by,
        confirmed_at=now,
        reverses=locked,
    )
    bank.take_back(locked, reversal, by=by)
    record("update", locked, note=f"corrected: {reason}"[:255])
    return reversal
