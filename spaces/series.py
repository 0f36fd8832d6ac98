"""Repeating bookings (the 太极拳 team, Tuesdays and Thursdays 7:00–9:00): one ``BookingSeries``
owning a ``Booking`` per date.

- Who makes one: staff with ``MANAGE_SPACES`` over the space, or a leader of a team for their
  team when the space is open to teams (``may_make``).
- ``preview`` lists every date and, for each one that cannot be booked, why: outside the
  opening hours, a closure (named), a clash (naming the booking). ``create`` refuses while
  there are such dates unless asked to skip them; the skipped dates stay in ``series.skipped``.
- Each date is written in its own savepoint: the database's no-overlap guarantee (migration
  0002, ``booking_no_overlap``) is the last word, so a booking made between the preview and
  the write is skipped or refused like any clash, never doubled.
- Dates are pending when the space needs approval and the maker is not staff; staff approve
  or decline the series as a whole. Cancelling one date or all remaining dates, approving,
  declining and changing the last day each send ONE message to the team's leaders and the
  booker (never one per date).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import ancestor_paths
from common.formats import when_text
from common.scope import Scope
from notifications.models import NotificationKind
from notifications.services import notify
from spaces import rules
from spaces.hours import Opening, closure_over, is_open, opening_of
from spaces.models import LIVE_STATUSES, WEEKDAYS, Booking, BookingSeries, BookingStatus, Space
from volunteers.models import Membership, MembershipStatus, Team
from volunteers.rules import leads

# Series are made by and for teams: their messages go out as volunteers' messages.
KIND = NotificationKind.BOOKING
# A season is at most half a year; a series longer than a year is a mistake, not a plan.
MAX_DAYS = 366


@dataclass(frozen=True)
class SeriesDraft:
    space: Space
    weekdays: frozenset[int]
    starts: time
    ends: time
    first_day: date
    last_day: date
    purpose: str
    people: int = 1
    team: Team | None = None


@dataclass(frozen=True)
class DateCheck:
    """One date of a series: when it would run and, if it cannot be booked, why."""

    day: date
    starts_at: datetime
    ends_at: datetime
    problem: str = ""
    clash: Booking | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


# --- Who may act ---------------------------------------------------------------------------


def may_make(user: User | None, space: Space, team: Team | None, scope: Scope) -> bool:
    """Staff over the space, or a leader of ``team`` when the space is open to teams and the
    team belongs to the space's committee or street."""
    if rules.manages(scope, space):
        return True
    if team is None or not space.open_to_teams or team.dissolved_at is not None:
        return False
    related = team.area.path.startswith(space.area.path) or space.area.path.startswith(team.area.path)
    return related and leads(user, team)


def may_change(user: User | None, series: BookingSeries, scope: Scope) -> bool:
    """Cancel dates or change the last day: staff over the space, or a leader of its team."""
    if rules.manages(scope, series.space):
        return True
    return series.team is not None and leads(user, series.team)


# --- Dates and their problems --------------------------------------------------------------


def dates_of(weekdays: Iterable[int], first: date, last: date) -> list[date]:
    wanted = set(weekdays)
    return [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).weekday() in wanted
    ]


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def clash_text(booking: Booking) -> str:
    who = booking.team.name if booking.team_id and booking.team else ""
    return _("clashes with “%(purpose)s”%(who)s, %(when)s–%(end)s") % {
        "purpose": booking.purpose,
        "who": f" ({who})" if who else "",
        "when": when_text(booking.starts_at),
        "end": f"{timezone.localtime(booking.ends_at):%H:%M}",
    }


def check_dates(
    opening: Opening,
    existing: Sequence[Booking],
    days: Iterable[date],
    starts: time,
    ends: time,
    *,
    ignore_series: int | None = None,
) -> list[DateCheck]:
    """Each of ``days`` checked against the space's hours, closures and ``existing`` live
    bookings (already read: a page over many applications reads them once)."""
    checks = []
    for day in days:
        starts_at, ends_at = _aware(day, starts), _aware(day, ends)
        closure = closure_over(opening, starts_at, ends_at)
        clash = next(
            (
                b
                for b in existing
                if b.starts_at < ends_at
                and starts_at < b.ends_at
                and (ignore_series is None or b.series_id != ignore_series)
            ),
            None,
        )
        if closure is not None:
            problem = _("closed: %(reason)s") % {"reason": closure.reason}
        elif not is_open(opening, starts_at, ends_at):
            problem = _("outside the opening hours")
        elif clash is not None:
            problem = clash_text(clash)
        else:
            problem = ""
        checks.append(
            DateCheck(day, starts_at, ends_at, problem, clash if problem and closure is None else None)
        )
    return checks


def live_bookings(spaces: Iterable[Space], first: date, last: date) -> list[Booking]:
    """Live bookings of ``spaces`` from ``first`` to ``last`` inclusive, in one query."""
    return list(
        Booking.objects.filter(
            space__in=list(spaces),
            status__in=LIVE_STATUSES,
            starts_at__lt=_aware(last + timedelta(days=1), time()),
            ends_at__gt=_aware(first, time()),
        ).select_related("team")
    )


def preview(draft: SeriesDraft, *, ignore_series: int | None = None) -> list[DateCheck]:
    """Every date of the draft and what stands in its way, in four queries."""
    _check_shape(draft)
    opening = opening_of(draft.space)
    existing = live_bookings([draft.space], draft.first_day, draft.last_day)
    days = dates_of(draft.weekdays, draft.first_day, draft.last_day)
    return check_dates(opening, existing, days, draft.starts, draft.ends, ignore_series=ignore_series)


def _check_shape(draft: SeriesDraft) -> None:
    if not draft.weekdays or not draft.weekdays <= set(range(7)):
        raise ValidationError({"weekdays": _("Choose at least one day of the week.")})
    if draft.ends <= draft.starts:
        raise ValidationError({"ends": _("The end must be after the start.")})
    if draft.last_day < draft.first_day:
        raise ValidationError({"last_day": _("The last day must not be before the first day.")})
    if (draft.last_day - draft.first_day).days > MAX_DAYS:
        raise ValidationError({"last_day": _("A repeating booking runs for a year at most.")})


def _problems_text(problems: Sequence[DateCheck]) -> str:
    listed = "; ".join(f"{c.day:%Y-%m-%d} {c.problem}" for c in problems[:10])
    more = len(problems) - 10
    if more > 0:
        listed += " " + _("and %(n)d more") % {"n": more}
    return listed


# --- Making a series ------------------------------------------------------------------------


def create(
    user: User, draft: SeriesDraft, *, scope: Scope, skip_clashes: bool = False, today: date | None = None
) -> BookingSeries:
    """Book every date of the draft. Refuses while a date cannot be booked, unless
    ``skip_clashes``; the skipped dates are kept in ``series.skipped``."""
    if not may_make(user, draft.space, draft.team, scope):
        raise PermissionDenied(
            _("Only staff, or a team's leader for their team where teams may book, make repeating bookings.")
        )
    series = write_series(
        user, draft, skip_clashes=skip_clashes, today=today, staff=rules.manages(scope, draft.space)
    )
    if series.team is not None and rules.manages(scope, draft.space):
        _tell(
            series,
            user,
            _("Repeating booking made: %(purpose)s") % {"purpose": series.purpose},
            _summary(series),
        )
    return series


@transaction.atomic
def write_series(
    user: User, draft: SeriesDraft, *, skip_clashes: bool, today: date | None, staff: bool
) -> BookingSeries:
    today = today or timezone.localdate()
    space = draft.space
    if not space.bookable or space.archived_at is not None:
        raise ValidationError({"space": _("%(space)s cannot be booked.") % {"space": space.name}})
    if not draft.purpose.strip():
        raise ValidationError({"purpose": _("Say what the space is booked for.")})
    if space.capacity and draft.people > space.capacity:
        raise ValidationError(
            {"people": _("%(space)s holds %(n)d people.") % {"space": space.name, "n": space.capacity}}
        )
    if draft.first_day <= today:
        raise ValidationError({"first_day": _("The first day must be after today.")})
    checks = preview(draft)
    problems = [c for c in checks if not c.ok]
    if not checks:
        raise ValidationError(
            {"weekdays": _("None of the chosen days of the week falls between the first and the last day.")}
        )
    if len(problems) == len(checks):
        raise ValidationError(
            {"skip_clashes": _("No date can be booked: %(list)s") % {"list": _problems_text(problems)}}
        )
    if problems and not skip_clashes:
        raise ValidationError(
            {
                "skip_clashes": _(
                    "%(n)d of %(total)d dates cannot be booked: %(list)s. Skip them, or change the times."
                )
                % {"n": len(problems), "total": len(checks), "list": _problems_text(problems)}
            }
        )
    status = BookingStatus.PENDING if space.needs_approval and not staff else BookingStatus.CONFIRMED
    series = BookingSeries.objects.create(
        space=space,
        weekdays=",".join(str(d) for d in sorted(draft.weekdays)),
        starts=draft.starts,
        ends=draft.ends,
        first_day=draft.first_day,
        last_day=draft.last_day,
        purpose=draft.purpose.strip(),
        people=draft.people,
        booked_by=user,
        team=draft.team,
    )
    skipped = [c.day for c in problems]
    skipped += _book(series, [c for c in checks if c.ok], status, skip_clashes=skip_clashes)
    if skipped:
        series.skipped = sorted(d.isoformat() for d in skipped)
        series.save(update_fields=["skipped"])
    return series


def _book(
    series: BookingSeries, checks: Sequence[DateCheck], status: str, *, skip_clashes: bool
) -> list[date]:
    """Write a booking per date, each in a savepoint; the dates the database refused."""
    refused = []
    for check in checks:
        try:
            with transaction.atomic():
                Booking.objects.create(
                    space=series.space,
                    starts_at=check.starts_at,
                    ends_at=check.ends_at,
                    status=status,
                    purpose=series.purpose,
                    people=series.people,
                    booked_by=series.booked_by,
                    team=series.team,
                    series=series,
                )
        except IntegrityError as error:
            if "booking_no_overlap" not in str(error):
                raise
            if not skip_clashes:
                clash = (
                    Booking.objects.live()
                    .overlapping(check.starts_at, check.ends_at)
                    .filter(space=series.space)
                    .first()
                )
                raise ValidationError(
                    {
                        "skip_clashes": f"{check.day:%Y-%m-%d} "
                        + (clash_text(clash) if clash else _("was just booked by someone else"))
                    }
                ) from None
            refused.append(check.day)
    return refused


# --- Approving, declining ------------------------------------------------------------------


def approve(user: User, series: BookingSeries, *, scope: Scope) -> int:
    """Staff confirm every pending date of the series at once; one message."""
    _staff_only(scope, series)
    with transaction.atomic():
        done = series.bookings.filter(status=BookingStatus.PENDING).update(
            status=BookingStatus.CONFIRMED, decided_by=user, decided_at=timezone.now()
        )
        if not done:
            raise ValidationError(_("This repeating booking has no dates waiting for approval."))
        _tell(
            series,
            user,
            _("Repeating booking approved: %(purpose)s") % {"purpose": series.purpose},
            _summary(series),
        )
    return done


def decline(user: User, series: BookingSeries, reason: str, *, scope: Scope) -> int:
    """Staff decline every pending date at once, saying why; one message."""
    _staff_only(scope, series)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the repeating booking is declined.")})
    with transaction.atomic():
        done = series.bookings.filter(status=BookingStatus.PENDING).update(
            status=BookingStatus.DECLINED,
            decided_by=user,
            decided_at=timezone.now(),
            decline_reason=reason[:200],
        )
        if not done:
            raise ValidationError(_("This repeating booking has no dates waiting for approval."))
        _tell(
            series, user, _("Repeating booking declined: %(purpose)s") % {"purpose": series.purpose}, reason
        )
    return done


def _staff_only(scope: Scope, series: BookingSeries) -> None:
    if not rules.manages(scope, series.space):
        raise PermissionDenied(_("Only staff keeping the space approve or decline bookings."))


# --- Cancelling ----------------------------------------------------------------------------


def cancel_date(
    user: User, booking: Booking, reason: str, *, scope: Scope, now: datetime | None = None
) -> Booking:
    """One date of a series, before it starts; one message."""
    series = booking.series
    if series is None:
        raise ValidationError(_("This booking is not part of a repeating booking."))
    if not may_change(user, series, scope):
        raise PermissionDenied(_("Only staff or the team's leaders cancel dates of this repeating booking."))
    now = now or timezone.now()
    if not booking.is_live:
        raise ValidationError(
            _("The booking of %(when)s is already cancelled or declined.")
            % {"when": when_text(booking.starts_at)}
        )
    if booking.starts_at <= now:
        raise ValidationError(
            _("The booking of %(when)s has started; it can no longer be cancelled.")
            % {"when": when_text(booking.starts_at)}
        )
    with transaction.atomic():
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_by = user
        booking.cancelled_at = now
        booking.cancel_reason = reason.strip()[:200]
        booking.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
        _tell(
            series,
            user,
            _("One date cancelled: %(purpose)s, %(when)s")
            % {"purpose": series.purpose, "when": when_text(booking.starts_at)},
            booking.cancel_reason,
        )
    return booking


def cancel_rest(
    user: User, series: BookingSeries, reason: str, *, scope: Scope, now: datetime | None = None
) -> int:
    """Every date still to come, with a reason; one message for all of them."""
    if not may_change(user, series, scope):
        raise PermissionDenied(_("Only staff or the team's leaders cancel this repeating booking."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the repeating booking is cancelled.")})
    now = now or timezone.now()
    with transaction.atomic():
        done = series.bookings.filter(status__in=LIVE_STATUSES, starts_at__gt=now).update(
            status=BookingStatus.CANCELLED, cancelled_by=user, cancelled_at=now, cancel_reason=reason[:200]
        )
        if not done:
            raise ValidationError(_("No date of this repeating booking is left to cancel."))
        series.cancelled_at = now
        series.cancel_reason = reason[:200]
        series.save(update_fields=["cancelled_at", "cancel_reason"])
        _tell(
            series,
            user,
            _("Repeating booking cancelled: %(purpose)s (%(n)d dates)")
            % {"purpose": series.purpose, "n": done},
            reason,
        )
    return done


# --- Extending, shortening -----------------------------------------------------------------


def change_last_day(
    user: User,
    series: BookingSeries,
    last_day: date,
    *,
    scope: Scope,
    skip_clashes: bool = False,
    now: datetime | None = None,
) -> BookingSeries:
    """Shorten (the dates after ``last_day`` are cancelled) or extend (the new dates are
    checked and booked like a new series: clashes refused unless skipped); one message."""
    if not may_change(user, series, scope):
        raise PermissionDenied(_("Only staff or the team's leaders change this repeating booking."))
    if series.cancelled_at is not None:
        raise ValidationError(_("This repeating booking is cancelled."))
    now = now or timezone.now()
    old = series.last_day
    if last_day == old:
        raise ValidationError({"last_day": _("That is already the last day.")})
    if last_day < series.first_day or last_day < timezone.localtime(now).date():
        raise ValidationError(
            {"last_day": _("The new last day must be on or after the first day and today.")}
        )
    if (last_day - series.first_day).days > MAX_DAYS:
        raise ValidationError({"last_day": _("A repeating booking runs for a year at most.")})
    with transaction.atomic():
        if last_day < old:
            cut = _aware(last_day + timedelta(days=1), time())
            series.bookings.filter(status__in=LIVE_STATUSES, starts_at__gte=cut).update(
                status=BookingStatus.CANCELLED,
                cancelled_by=user,
                cancelled_at=now,
                cancel_reason=_("The repeating booking was shortened."),
            )
            title = _("Repeating booking shortened: %(purpose)s") % {"purpose": series.purpose}
        else:
            _extend(user, series, old + timedelta(days=1), last_day, scope=scope, skip_clashes=skip_clashes)
            title = _("Repeating booking extended: %(purpose)s") % {"purpose": series.purpose}
        series.last_day = last_day
        series.save(update_fields=["last_day", "skipped"])
        _tell(series, user, title, _summary(series))
    return series


def _extend(
    user: User, series: BookingSeries, first: date, last: date, *, scope: Scope, skip_clashes: bool
) -> None:
    draft = SeriesDraft(
        space=series.space,
        weekdays=frozenset(series.days),
        starts=series.starts,
        ends=series.ends,
        first_day=first,
        last_day=last,
        purpose=series.purpose,
        people=series.people,
        team=series.team,
    )
    checks = preview(draft, ignore_series=None)
    problems = [c for c in checks if not c.ok]
    if problems and not skip_clashes:
        raise ValidationError(
            {
                "skip_clashes": _(
                    "%(n)d of %(total)d new dates cannot be booked: %(list)s. Skip them, or choose another."
                )
                % {"n": len(problems), "total": len(checks), "list": _problems_text(problems)}
            }
        )
    pending = series.bookings.filter(status=BookingStatus.PENDING).exists()
    status = (
        BookingStatus.PENDING
        if pending or (series.space.needs_approval and not rules.manages(scope, series.space))
        else BookingStatus.CONFIRMED
    )
    refused = _book(series, [c for c in checks if c.ok], status, skip_clashes=skip_clashes)
    series.skipped = sorted(
        {*series.skipped, *(c.day.isoformat() for c in problems), *(d.isoformat() for d in refused)}
    )


# --- Telling -------------------------------------------------------------------------------


def _summary(series: BookingSeries) -> str:
    days = "、".join(str(label) for number, label in WEEKDAYS if number in series.days)
    return _("%(space)s, %(days)s %(starts)s–%(ends)s, %(first)s to %(last)s") % {
        "space": series.space.name,
        "days": days,
        "starts": f"{series.starts:%H:%M}",
        "ends": f"{series.ends:%H:%M}",
        "first": f"{series.first_day:%Y-%m-%d}",
        "last": f"{series.last_day:%Y-%m-%d}",
    }


def leaders_of(team_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active leaders (with an account) of each team, in one query."""
    found: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        team_id__in=list(team_ids),
        is_leader=True,
        status=MembershipStatus.ACTIVE,
        volunteer__user__isnull=False,
    ).select_related("volunteer__user"):
        found.setdefault(membership.team_id, []).append(membership.volunteer.user)
    return found


def told_about(series: BookingSeries) -> list[User]:
    """Who hears of a series' changes: its team's active leaders and whoever booked it."""
    users: dict[int, User] = {}
    if series.team_id:
        users.update((u.pk, u) for u in leaders_of([series.team_id]).get(series.team_id, []))
    if series.booked_by is not None:
        users[series.booked_by.pk] = series.booked_by
    return list(users.values())


def _tell(series: BookingSeries, actor: User, title: str, body: str) -> None:
    """One message per action to the team's leaders and the booker, not to the one acting."""
    notify(
        [u for u in told_about(series) if u.pk != actor.pk],
        kind=KIND,
        title=title,
        body=body,
        url=series.get_absolute_url(),
    )


# --- Reads ---------------------------------------------------------------------------------


def teams_led_by(user: User | None) -> QuerySet[Team]:
    """The current teams ``user`` leads."""
    if user is None or not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(
        dissolved_at__isnull=True,
        memberships__volunteer__user=user,
        memberships__is_leader=True,
        memberships__status=MembershipStatus.ACTIVE,
    ).distinct()


def teams_for(space: Space) -> QuerySet[Team]:
    """The current teams staff may book ``space`` for: its committee's (or street's) and the
    street's above."""
    return Team.objects.filter(dissolved_at__isnull=True).filter(
        Q(area__path__startswith=space.area.path) | Q(area__path__in=ancestor_paths(space.area.path))
    )


def visible_to(user: User | None, scope: Scope) -> QuerySet[BookingSeries]:
    """The series staff keep (their area's, and the street's above) and those of the teams
    the user leads: the one lookup of the pages and the API."""
    led = Q(team__in=teams_led_by(user)) if user is not None and user.is_authenticated else Q(pk__in=[])
    return BookingSeries.objects.filter(
        rules.seen_by_staff_q(scope, "space__area__path") | led
    ).select_related("space__area", "team", "booked_by")
