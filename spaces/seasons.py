"""Seasons of regular slots: once a season the teams of a committee (or street) apply for their
regular times in its spaces, and staff allocate them.

- Staff create a ``Season``: the area, the window for applications, the period the slots run.
- A leader of a team of the area applies in the window: a space, days of the week, times,
  what for (``apply``); they may withdraw while it is undecided.
- Staff see every application with what stands in its way (``board``): the other
  applications it overlaps, and the dates it cannot have (closures, opening hours, existing
  bookings), in a fixed number of queries.
- Staff allocate an application (which makes the series over the season's dates through
  ``spaces.series``; a clash is listed and staff choose to skip the date or refuse) or
  refuse it with a reason. When every application is decided, ``finish`` closes the season
  and tells each team ONCE, all its applications' outcomes in one message.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, ancestor_paths
from common.scope import Scope
from notifications.services import Message, notify_each
from spaces import rules, series
from spaces.hours import openings_of
from spaces.models import ApplicationStatus, BookingSeries, Season, SlotApplication, Space
from volunteers.models import Team
from volunteers.rules import leads


@dataclass(frozen=True)
class SeasonDraft:
    area: Area
    name: str
    applications_open: date
    applications_close: date
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class ApplicationDraft:
    team: Team
    space: Space
    weekdays: frozenset[int]
    starts: time
    ends: time
    purpose: str
    people: int = 1


@dataclass
class Row:
    """One application on the staff's board, with what stands in its way."""

    application: SlotApplication
    rivals: list[SlotApplication] = field(default_factory=list)
    problems: list[series.DateCheck] = field(default_factory=list)
    dates: int = 0

    @property
    def waiting(self) -> bool:
        """Still to be decided (allocated or refused) or withdrawn."""
        return self.application.status == ApplicationStatus.APPLIED


# --- Seasons -------------------------------------------------------------------------------


def create_season(user: User, draft: SeasonDraft, *, scope: Scope) -> Season:
    if not rules.manages_area(scope, draft.area):
        raise PermissionDenied(_("Only staff keeping the area's spaces create seasons."))
    if not draft.name.strip():
        raise ValidationError({"name": _("Give the season a name.")})
    if draft.applications_close < draft.applications_open:
        raise ValidationError({"applications_close": _("Applications must close after they open.")})
    if draft.ends_on < draft.starts_on:
        raise ValidationError({"ends_on": _("The slots must end after they start.")})
    if draft.starts_on <= draft.applications_close:
        raise ValidationError({"starts_on": _("The slots start after the applications close.")})
    if (draft.ends_on - draft.starts_on).days > series.MAX_DAYS:
        raise ValidationError({"ends_on": _("A season lasts a year at most.")})
    return Season.objects.create(
        area=draft.area,
        name=draft.name.strip(),
        applications_open=draft.applications_open,
        applications_close=draft.applications_close,
        starts_on=draft.starts_on,
        ends_on=draft.ends_on,
        created_by=user,
    )


# --- Applying ------------------------------------------------------------------------------


def apply(
    user: User, season: Season, draft: ApplicationDraft, *, scope: Scope, today: date | None = None
) -> SlotApplication:
    """A team's leader applies for a regular slot while the season takes applications."""
    today = today or timezone.localdate()
    if not leads(user, draft.team):
        raise PermissionDenied(_("Only the team's leaders apply for its regular slots."))
    if not draft.team.area.path.startswith(season.area.path):
        raise ValidationError(
            {
                "team": _("%(team)s is not a team of %(area)s.")
                % {"team": draft.team.name, "area": season.area.name}
            }
        )
    if not season.taking_applications(today):
        raise ValidationError(
            _("Applications for %(season)s are taken from %(open)s to %(close)s.")
            % {"season": season.name, "open": season.applications_open, "close": season.applications_close}
        )
    space = draft.space
    inside = space.area.path.startswith(season.area.path) or season.area.path.startswith(space.area.path)
    if not inside or not space.bookable or space.archived_at is not None:
        raise ValidationError(
            {"space": _("%(space)s is not one of this season's spaces.") % {"space": space.name}}
        )
    if not space.open_to_teams:
        raise ValidationError({"space": _("Teams may not book %(space)s.") % {"space": space.name}})
    if not draft.weekdays or not draft.weekdays <= set(range(7)):
        raise ValidationError({"weekdays": _("Choose at least one day of the week.")})
    if draft.ends <= draft.starts:
        raise ValidationError({"ends": _("The end must be after the start.")})
    if not draft.purpose.strip():
        raise ValidationError({"purpose": _("Say what the space is booked for.")})
    weekdays = ",".join(str(d) for d in sorted(draft.weekdays))
    same = SlotApplication.objects.filter(
        season=season,
        team=draft.team,
        space=space,
        weekdays=weekdays,
        starts=draft.starts,
        ends=draft.ends,
        status=ApplicationStatus.APPLIED,
    )
    if same.exists():
        raise ValidationError(_("%(team)s has already applied for this slot.") % {"team": draft.team.name})
    return SlotApplication.objects.create(
        season=season,
        team=draft.team,
        space=space,
        weekdays=weekdays,
        starts=draft.starts,
        ends=draft.ends,
        purpose=draft.purpose.strip(),
        people=draft.people,
        applied_by=user,
    )


def withdraw(user: User, application: SlotApplication, *, scope: Scope) -> SlotApplication:
    if not (leads(user, application.team) or rules.manages_area(scope, application.season.area)):
        raise PermissionDenied(_("Only the team's leaders withdraw its application."))
    if application.status != ApplicationStatus.APPLIED:
        raise ValidationError(_("This application is already decided."))
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status"])
    return application


# --- The staff's board ---------------------------------------------------------------------


def _overlaps(a: SlotApplication, b: SlotApplication) -> bool:
    return a.space_id == b.space_id and bool(a.days & b.days) and a.starts < b.ends and b.starts < a.ends


def board(season: Season) -> list[Row]:
    """Every undecided or decided application of the season, each with the applications it
    overlaps and the dates it cannot have; four queries whatever the number."""
    applications = list(
        season.applications.exclude(status=ApplicationStatus.WITHDRAWN).select_related(
            "team", "space", "series"
        )
    )
    spaces = {a.space_id: a.space for a in applications}
    openings = openings_of(spaces.values())
    existing = defaultdict(list)
    for booking in series.live_bookings(spaces.values(), season.starts_on, season.ends_on):
        existing[booking.space_id].append(booking)
    rows = []
    for application in applications:
        days = series.dates_of(application.days, season.starts_on, season.ends_on)
        checks = series.check_dates(
            openings[application.space_id],
            existing[application.space_id],
            days,
            application.starts,
            application.ends,
            ignore_series=application.series_id,
        )
        rivals = [
            other
            for other in applications
            if other.pk != application.pk
            and other.status != ApplicationStatus.REFUSED
            and _overlaps(application, other)
        ]
        rows.append(Row(application, rivals, [c for c in checks if not c.ok], len(days)))
    return rows


# --- Deciding ------------------------------------------------------------------------------


def _deciding(scope: Scope, application: SlotApplication) -> None:
    if not rules.manages_area(scope, application.season.area):
        raise PermissionDenied(_("Only staff keeping the area's spaces allocate slots."))
    if application.season.allocated_at is not None:
        raise ValidationError(_("This season's allocation is finished."))
    if application.status != ApplicationStatus.APPLIED:
        raise ValidationError(_("This application is already decided."))


def allocate(
    user: User,
    application: SlotApplication,
    *,
    scope: Scope,
    skip_clashes: bool = False,
    today: date | None = None,
) -> BookingSeries:
    """The slot is the team's: a series over the season's dates. A date that cannot be had is
    listed and refused unless ``skip_clashes``. The team hears when the season is finished."""
    _deciding(scope, application)
    season = application.season
    today = today or timezone.localdate()
    draft = series.SeriesDraft(
        space=application.space,
        weekdays=frozenset(application.days),
        starts=application.starts,
        ends=application.ends,
        first_day=max(season.starts_on, today + timedelta(days=1)),
        last_day=season.ends_on,
        purpose=application.purpose,
        people=application.people,
        team=application.team,
    )
    with transaction.atomic():
        made = series.write_series(user, draft, skip_clashes=skip_clashes, today=today, staff=True)
        application.status = ApplicationStatus.ALLOCATED
        application.series = made
        application.decided_by = user
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "series", "decided_by", "decided_at"])
    return made


def refuse(user: User, application: SlotApplication, reason: str, *, scope: Scope) -> SlotApplication:
    _deciding(scope, application)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the slot is not allocated.")})
    application.status = ApplicationStatus.REFUSED
    application.reason = reason[:200]
    application.decided_by = user
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return application


def finish(user: User, season: Season, *, scope: Scope) -> int:
    """Close the season's allocation once every application is decided, and tell each team
    once: one message per team listing what it was given and what not. Returns the messages."""
    if not rules.manages_area(scope, season.area):
        raise PermissionDenied(_("Only staff keeping the area's spaces allocate slots."))
    if season.allocated_at is not None:
        raise ValidationError(_("This season's allocation is already finished."))
    waiting = season.applications.filter(status=ApplicationStatus.APPLIED).count()
    if waiting:
        raise ValidationError(_("Applications still to be decided: %(n)d.") % {"n": waiting})
    decided = list(
        season.applications.filter(
            status__in=[ApplicationStatus.ALLOCATED, ApplicationStatus.REFUSED]
        ).select_related("team", "space", "applied_by", "series")
    )
    lines: dict[int, list[str]] = defaultdict(list)
    to: dict[int, dict[int, User]] = defaultdict(dict)
    for application in decided:
        if application.status == ApplicationStatus.ALLOCATED:
            line = _("%(space)s %(starts)s–%(ends)s: allocated") % _slot(application)
            if application.series and application.series.skipped:
                line += " " + _("(skipped: %(days)s)") % {"days": ", ".join(application.series.skipped)}
        else:
            line = _("%(space)s %(starts)s–%(ends)s: not allocated, %(reason)s") % {
                **_slot(application),
                "reason": application.reason,
            }
        lines[application.team_id].append(line)
        if application.applied_by is not None:
            to[application.team_id][application.applied_by.pk] = application.applied_by
    with transaction.atomic():
        season.allocated_at = timezone.now()
        season.save(update_fields=["allocated_at"])
        leaders = series.leaders_of(lines)
        for team, found in leaders.items():
            to[team].update((u.pk, u) for u in found)
        title = _("Regular slots of %(season)s") % {"season": season.name}
        messages = [
            Message(person, title, "\n".join(lines[team]), season.get_absolute_url())
            for team, people in to.items()
            for person in people.values()
        ]
        return notify_each(messages, kind=series.KIND)


def _slot(application: SlotApplication) -> dict[str, str]:
    return {
        "space": application.space.name,
        "starts": f"{application.starts:%H:%M}",
        "ends": f"{application.ends:%H:%M}",
    }


# --- Reads ---------------------------------------------------------------------------------


def visible_to(user: User | None, scope: Scope) -> QuerySet[Season]:
    """Seasons staff keep, and those open to the teams the user leads (their committee's and
    street's): the one lookup of the pages and the API."""
    paths: set[str] = set()
    for team in series.teams_led_by(user).select_related("area"):
        paths.update([team.area.path, *ancestor_paths(team.area.path)])
    return Season.objects.filter(rules.seen_by_staff_q(scope) | Q(area__path__in=paths)).select_related(
        "area"
    )


def applications_visible_to(user: User | None, scope: Scope) -> QuerySet[SlotApplication]:
    """Applications staff decide, and those of the teams the user leads."""
    return SlotApplication.objects.filter(
        rules.seen_by_staff_q(scope, "season__area__path") | Q(team__in=series.teams_led_by(user))
    ).select_related("season__area", "team", "space", "series")


def spaces_for(season: Season) -> QuerySet[Space]:
    """The spaces teams may apply for in ``season``: bookable, open to teams, of its area
    (or the street above)."""
    return (
        Space.objects.bookable()
        .filter(open_to_teams=True)
        .filter(
            Q(area__path__startswith=season.area.path) | Q(area__path__in=ancestor_paths(season.area.path))
        )
    )
