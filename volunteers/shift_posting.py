"""Posting, changing and cancelling service shifts (岗位): by staff over the area, or by a
team leader for their team. "Monthly service day 15 Dec 9:00–11:00, haircut stall, 3 people",
with its withdraw deadline, and optionally a team, a service and a partner unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel, ancestor_paths
from common.formats import when_text
from common.scope import Scope
from partners.models import PartnerUnit
from volunteers.models import Service, Shift, Team
from volunteers.rules import leads, manages
from volunteers.shifts import runs, tell_claimers

# Withdrawing closes this long before the start unless the shift says otherwise.
WITHDRAW_BEFORE = timedelta(hours=24)
MAX_PLACES = 500


@dataclass
class ShiftDraft:
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    places: int
    withdraw_until: datetime | None = None
    notes: str = ""
    team: Team | None = None
    partner_unit: PartnerUnit | None = None
    service: Service | None = None


def units_for(area: Area):
    """The partner units a shift of ``area`` may be staffed by: the area's own and those of the
    street (or district) above it, current ones only."""
    return PartnerUnit.objects.current().filter(area__path__in=[area.path, *ancestor_paths(area.path)])


def services_for(area: Area):
    """City-wide default services and those of the area and the areas above it."""
    return Service.objects.filter(retired_at__isnull=True).filter(
        Q(area__isnull=True) | Q(area__path__in=[area.path, *ancestor_paths(area.path)])
    )


def _area_for(user: User, scope: Scope, team: Team | None) -> Area:
    """Where a new shift belongs: its team's area, else the committee or street the staff
    member acts in. Refused unless the user runs it."""
    if team is not None:
        if team.dissolved_at is not None:
            raise ValidationError({"team": _("%(team)s is dissolved.") % {"team": team.name}})
        if manages(scope, team.area) or leads(user, team):
            return team.area
        raise PermissionDenied(_("Only staff of the area or the team's leaders post its shifts."))
    area = scope.area
    if area is None or area.level not in (AreaLevel.COMMITTEE, AreaLevel.STREET) or not manages(scope, area):
        raise PermissionDenied(
            _(
                "Post a shift in a committee or street role with the volunteers capability, "
                "or for a team you lead."
            )
        )
    return area


def _check(draft: ShiftDraft, area: Area, now: datetime, *, taken: int = 0) -> dict[str, str]:
    """Every problem of a draft, by field."""
    problems: dict[str, str] = {}
    if not " ".join(draft.title.split()):
        problems["title"] = _("Say what the shift is (for example: haircut stall).")
    if not " ".join(draft.place.split()):
        problems["place"] = _("Say where it is.")
    if draft.ends_at <= draft.starts_at:
        problems["ends_at"] = _("It must end after it starts.")
    elif draft.ends_at <= now:
        problems["ends_at"] = _(
            "This shift would already have ended (%(when)s); post shifts still to come."
        ) % {"when": when_text(draft.ends_at)}
    elif draft.ends_at - draft.starts_at > timedelta(hours=24):
        problems["ends_at"] = _("A shift lasts at most 24 hours; post one for each day.")
    if not 1 <= draft.places <= MAX_PLACES:
        problems["places"] = _("From 1 to %(max)d people.") % {"max": MAX_PLACES}
    elif draft.places < taken:
        problems["places"] = _(
            "%(n)d people have already claimed it: it cannot need fewer. Take someone off the roster first."
        ) % {"n": taken}
    if draft.withdraw_until is not None and draft.withdraw_until > draft.starts_at:
        problems["withdraw_until"] = _("Withdrawing must close no later than the start.")
    if draft.team is not None and draft.team.area_id != area.pk:
        problems["team"] = _("The team belongs to another area.")
    if draft.partner_unit is not None and not units_for(area).filter(pk=draft.partner_unit.pk).exists():
        problems["partner_unit"] = _("%(unit)s is not a current partner unit of %(area)s.") % {
            "unit": draft.partner_unit.name,
            "area": area.name,
        }
    if draft.service is not None and not services_for(area).filter(pk=draft.service.pk).exists():
        problems["service"] = _("This service is not offered in %(area)s.") % {"area": area.name}
    return problems


def _fill(shift: Shift, draft: ShiftDraft) -> None:
    shift.title = " ".join(draft.title.split())
    shift.place = " ".join(draft.place.split())
    shift.starts_at, shift.ends_at, shift.places = draft.starts_at, draft.ends_at, draft.places
    shift.withdraw_until = draft.withdraw_until or draft.starts_at - WITHDRAW_BEFORE
    shift.notes = draft.notes.strip()
    shift.team, shift.partner_unit, shift.service = draft.team, draft.partner_unit, draft.service


@transaction.atomic
def post_shift(user: User, draft: ShiftDraft, *, scope: Scope) -> Shift:
    """A new shift: by staff over its area, or by a leader of its team; one still to end."""
    area = _area_for(user, scope, draft.team)
    problems = _check(draft, area, timezone.now())
    if problems:
        raise ValidationError(problems)
    shift = Shift(area=area, created_by=user)
    _fill(shift, draft)
    shift.save()
    return shift


@transaction.atomic
def change_shift(user: User, shift: Shift, draft: ShiftDraft, *, scope: Scope) -> Shift:
    """Change a shift still to end. Never fewer places than claimed; the team stays (a team's
    shift is claimed by its members). Claimers are told when the time or place moves."""
    locked = Shift.objects.select_for_update(of=("self",)).select_related("area", "team").get(pk=shift.pk)
    if not runs(user, locked, scope):
        raise PermissionDenied(_("Only staff of the area or the team's leaders change its shifts."))
    if locked.cancelled_at is not None:
        raise ValidationError(_("This shift is cancelled."))
    now = timezone.now()
    if locked.ends_at <= now:
        raise ValidationError(_("This shift has ended; it can no longer be changed."))
    if (draft.team and draft.team.pk) != locked.team_id:
        raise ValidationError({"team": _("A shift's team cannot be changed; cancel it and post a new one.")})
    problems = _check(draft, locked.area, now, taken=locked.taken)
    if problems:
        raise ValidationError(problems)
    moved = (locked.starts_at, locked.ends_at, locked.place) != (draft.starts_at, draft.ends_at, draft.place)
    _fill(locked, draft)
    locked.save()
    if moved:
        tell_claimers(
            locked,
            _("Shift changed: %(title)s") % {"title": locked.title},
            _("It is now %(when)s at %(place)s.")
            % {"when": when_text(locked.starts_at), "place": locked.place},
        )
    return locked


@transaction.atomic
def cancel_shift(user: User, shift: Shift, reason: str, *, scope: Scope) -> Shift:
    """Called off, with the reason; every claimer is told (in the app and by SMS)."""
    locked = Shift.objects.select_for_update(of=("self",)).select_related("area", "team").get(pk=shift.pk)
    if not runs(user, locked, scope):
        raise PermissionDenied(_("Only staff of the area or the team's leaders cancel its shifts."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why it is cancelled: the claimers are told.")})
    if locked.cancelled_at is not None:
        raise ValidationError(_("This shift is already cancelled."))
    if locked.ends_at <= timezone.now():
        raise ValidationError(_("This shift has ended; it can no longer be cancelled."))
    locked.cancelled_at, locked.cancel_reason = timezone.now(), reason[:200]
    locked.save(update_fields=["cancelled_at", "cancel_reason"])
    tell_claimers(
        locked,
        _("Shift cancelled: %(title)s") % {"title": locked.title},
        _("%(when)s at %(place)s is called off: %(reason)s")
        % {"when": when_text(locked.starts_at), "place": locked.place, "reason": reason},
        sms=True,
    )
    return locked
