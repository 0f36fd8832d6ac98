"""Whether a booking may be made: the one place every rule of a space is asked.

``problems(...)`` answers ``{field: message}``, empty when the booking may be made, each
message in words for the person booking and specific (the day's hours, the closure's reason,
the rule's note, the team holding the slot and when it opens to all). ``spaces.bookings``
raises them as a ``ValidationError``; the public page, the booking form and the API show them.

Who may book as whom:
- a resident of the space's committee (or street) for themselves, or for a family member the
  registry says they act for (``registry.selectors.speaks_for``);
- a team's leader for their team (``volunteers.rules.leads``);
- a partner unit's contact for their unit (``partners.rules.serves``);
- staff with ``Capability.MANAGE_SPACES`` who see the space for anyone, or for the
  committee's own use; only they may ``override`` the audience rules and teams' priority.

Clashes with other bookings are not decided here: ``spaces.bookings`` asks the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import ancestor_paths
from common.formats import when_text
from common.scope import Capability, Scope
from partners.models import PartnerUnit
from partners.rules import serves
from registry.models import Resident
from registry.selectors import speaks_for
from spaces.hours import Opening, closure_over, is_open, opening_of
from spaces.models import WEEKDAYS, AudienceRule, PrioritySlot, Space
from volunteers.models import Team
from volunteers.rules import leads


@dataclass(frozen=True)
class Holder:
    """Whom a booking is for: one resident, one team, one partner unit, or none of them (the
    committee's own use, staff only)."""

    resident: Resident | None = None
    team: Team | None = None
    unit: PartnerUnit | None = None

    @property
    def given(self) -> int:
        return sum(x is not None for x in (self.resident, self.team, self.unit))


def staff_books(scope: Scope, space: Space) -> bool:
    """Staff with the spaces capability who see ``space``: those over its area, and a
    committee's staff for the spaces of the street above it (a street centre's hall)."""
    if not scope.can(Capability.MANAGE_SPACES) or not scope.path:
        return False
    return scope.covers(space.area) or space.area.path in ancestor_paths(scope.path)


def clock(value: time) -> str:
    """8:00, 11:30: how opening hours are written on the lobby board."""
    return f"{value.hour}:{value.minute:02d}"


def weekday_name(day: int) -> str:
    return str(WEEKDAYS[day][1])


def hours_text(opening: Opening, weekday: int) -> str:
    """The week's hours of one day: "8:00–11:30, 14:00–17:00"; "" when closed that day."""
    return ", ".join(f"{clock(h.opens)}–{clock(h.closes)}" for h in opening.hours if h.weekday == weekday)


def _related(inner: str, outer: str) -> bool:
    return inner.startswith(outer) or outer.startswith(inner)


def problems(
    user,
    space: Space,
    starts_at: datetime,
    ends_at: datetime,
    people: int,
    holder: Holder,
    *,
    scope: Scope,
    override: bool = False,
    now: datetime | None = None,
    opening: Opening | None = None,
) -> dict[str, str]:
    """Why this booking may not be made, by field; {} if it may."""
    now = now or timezone.now()
    if space.archived_at is not None:
        return {"space": _("%(space)s is no longer offered.") % {"space": space.name}}
    if not space.bookable:
        return {"space": _("%(space)s is open to all without booking; just come.") % {"space": space.name}}
    if ends_at <= starts_at:
        return {"ends_at": _("The end must come after the start.")}
    staff = staff_books(scope, space)
    found = who_problems(user, space, holder, scope=scope, staff=staff)
    for field, text in time_problems(space, starts_at, ends_at, now, opening or opening_of(space)).items():
        found.setdefault(field, text)
    if space.capacity is not None and people > space.capacity:
        found.setdefault(
            "people",
            _("%(space)s holds %(capacity)d people; this booking is for %(people)d.")
            % {"space": space.name, "capacity": space.capacity, "people": people},
        )
    if not (staff and override):
        for field, text in rule_problems(space, starts_at, ends_at, holder, now).items():
            found.setdefault(field, text)
    return found


def who_problems(user, space: Space, holder: Holder, *, scope: Scope, staff: bool) -> dict[str, str]:
    """Whether ``user`` may book ``space`` for ``holder``."""
    names = {"space": space.name, "area": space.area.name}
    if holder.given > 1:
        return {"for_resident": _("A booking is for one: a resident, a team or a partner unit.")}
    if holder.resident is not None:
        person = holder.resident
        if not space.open_to_residents:
            return {"for_resident": _("%(space)s is not booked by residents; ask the committee.") % names}
        if not person.is_living:
            return {"for_resident": _("%(name)s is not a resident living here.") % {"name": person.name}}
        if not person.household.building.path.startswith(space.area.path):
            return {
                "for_resident": _("%(space)s is booked by residents of %(area)s; %(name)s lives elsewhere.")
                % {**names, "name": person.name}
            }
        if not staff and (user is None or speaks_for(user, person) is None):
            return {
                "for_resident": _(
                    "You book for yourself, or for a family member the registry says you act for."
                )
            }
        return {}
    if holder.team is not None:
        team = holder.team
        if not space.open_to_teams:
            return {"team": _("%(space)s is not booked by teams; ask the committee.") % names}
        if team.dissolved_at is not None:
            return {"team": _("%(team)s is dissolved.") % {"team": team.name}}
        if not _related(team.area.path, space.area.path):
            return {"team": _("%(team)s is not a team of %(area)s.") % {**names, "team": team.name}}
        if not staff and not leads(user, team):
            return {"team": _("Only a leader of %(team)s books for it.") % {"team": team.name}}
        return {}
    if holder.unit is not None:
        unit = holder.unit
        if not space.open_to_partners:
            return {"partner_unit": _("%(space)s is not booked by partner units; ask the committee.") % names}
        if unit.ended_at is not None:
            return {"partner_unit": _("%(unit)s is no longer a partner.") % {"unit": unit.name}}
        if not _related(unit.area.path, space.area.path):
            return {
                "partner_unit": _("%(unit)s is not a partner of %(area)s.") % {**names, "unit": unit.name}
            }
        if not staff and not serves(user, scope, unit):
            return {"partner_unit": _("Only a contact of %(unit)s books for it.") % {"unit": unit.name}}
        return {}
    if not staff:
        return {
            "for_resident": _(
                "Say whom the booking is for: yourself, a family member, your team or your unit."
            )
        }
    return {}


def time_problems(
    space: Space, starts_at: datetime, ends_at: datetime, now: datetime, opening: Opening
) -> dict[str, str]:
    """Notice, how far ahead, how long, opening hours and closures."""
    names = {"space": space.name}
    if starts_at < now:
        return {"starts_at": _("%(when)s has already passed.") % {"when": when_text(starts_at)}}
    earliest = now + timedelta(hours=space.min_notice_hours)
    if starts_at < earliest:
        return {
            "starts_at": _(
                "%(space)s is booked at least %(hours)d hours ahead: the earliest start now is %(when)s."
            )
            % {**names, "hours": space.min_notice_hours, "when": when_text(earliest)}
        }
    latest = timezone.localdate(now) + timedelta(days=space.book_days_ahead)
    if timezone.localdate(starts_at) > latest:
        return {
            "starts_at": _("%(space)s is booked at most %(days)d days ahead: up to %(day)s.")
            % {**names, "days": space.book_days_ahead, "day": latest.isoformat()}
        }
    if ends_at - starts_at > timedelta(hours=space.max_hours):
        return {
            "ends_at": _("A booking of %(space)s lasts at most %(hours)d hours.")
            % {**names, "hours": space.max_hours}
        }
    if is_open(opening, starts_at, ends_at):
        return {}
    closure = closure_over(opening, starts_at, ends_at)
    if closure is not None:
        return {
            "starts_at": _("%(space)s is closed from %(from)s to %(until)s: %(reason)s.")
            % {
                **names,
                "from": when_text(closure.starts_at),
                "until": when_text(closure.ends_at),
                "reason": closure.reason,
            }
        }
    weekday = timezone.localtime(starts_at).weekday()
    hours = hours_text(opening, weekday)
    if not hours:
        return {"starts_at": _("%(space)s is closed on %(day)s.") % {**names, "day": weekday_name(weekday)}}
    return {
        "starts_at": _("%(space)s is open on %(day)s %(hours)s; choose a time inside them.")
        % {**names, "day": weekday_name(weekday), "hours": hours}
    }


def _overlaps(days: set[int], starts: time, ends: time, starts_at: datetime, ends_at: datetime) -> bool:
    local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if local_start.weekday() not in days:
        return False
    end_clock = local_end.time() if local_end.date() == local_start.date() else time.max
    return local_start.time() < ends and starts < end_clock


def rule_problems(
    space: Space, starts_at: datetime, ends_at: datetime, holder: Holder, now: datetime
) -> dict[str, str]:
    """The audience rules and teams' priority slots over this time."""
    day = timezone.localtime(starts_at).date()
    for rule in AudienceRule.objects.filter(space=space):
        if not _overlaps(rule.days, rule.starts, rule.ends, starts_at, ends_at):
            continue
        person = holder.resident
        if person is None:
            return {"starts_at": _("This time is kept by the rule “%(rule)s”.") % {"rule": rule.note}}
        if not qualifies(person, rule, day):
            return {
                "for_resident": _("This time is kept by the rule “%(rule)s”; %(name)s does not qualify.")
                % {"rule": rule.note, "name": person.name}
            }
    for slot in PrioritySlot.objects.filter(space=space).select_related("team"):
        if not _overlaps(slot.days, slot.starts, slot.ends, starts_at, ends_at):
            continue
        if holder.team is not None and holder.team.pk == slot.team_id:
            continue
        opens = timezone.make_aware(datetime.combine(day, slot.starts)) - timedelta(hours=slot.release_hours)
        if now < opens:
            return {
                "starts_at": _(
                    "%(day)s %(from)s–%(until)s is %(team)s's priority time; it opens to all at %(when)s."
                )
                % {
                    "day": weekday_name(day.weekday()),
                    "from": clock(slot.starts),
                    "until": clock(slot.ends),
                    "team": slot.team.name,
                    "when": when_text(opens),
                }
            }
    return {}


def qualifies(person: Resident, rule: AudienceRule, day) -> bool:
    """Aged at least ``min_age`` on the day, or carrying one of the rule's tags."""
    if rule.min_age is not None:
        age = person.age(day)
        if age is not None and age >= rule.min_age:
            return True
    wanted = {t.strip() for t in rule.tags.split(",") if t.strip()}
    if not wanted:
        return False
    held = {str(t) for t in person.derived_tags(day)} | set(person.tags.values_list("tag", flat=True))
    return bool(wanted & held)
