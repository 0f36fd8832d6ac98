"""Planning service days (便民服务日): a day at a service point, its stalls, publishing it to
the committee's residents, cancelling it, and repeating it month by month.

A day belongs to the committee of the staff member who plans it (``scope.committee``). Its
stalls give a service and are staffed by a volunteer shift (an existing one of the committee,
or one posted for the stall through ``volunteers.shift_posting``), a partner unit, or named
staff. Repeating a day ("the 15th", "the 2nd Saturday", for N months) copies its stalls; a
date when the service point already holds another day is listed and skipped.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, ancestor_paths
from common.formats import when_text
from common.scope import Scope
from notifications.models import NotificationKind
from notifications.services import notify
from partners.models import PartnerUnit
from registry.models import Resident
from registry.selectors import accounts_of
from servicedays.models import ServiceDay, Stall, Ticket
from servicedays.rules import plans
from spaces.models import Site
from volunteers.models import Service, Shift
from volunteers.shift_posting import ShiftDraft, post_shift, services_for, units_for

MAX_TICKETS = 999
MAX_MONTHS = 24
MAX_STALLS = 40
KIND = NotificationKind.SERVICE_DAY


@dataclass
class DayDraft:
    title: str
    starts_at: datetime
    ends_at: datetime
    site: Site | None = None
    place: str = ""
    about: str = ""


@dataclass
class StallDraft:
    name: str
    service: Service | None = None
    shift: Shift | None = None
    partner_unit: PartnerUnit | None = None
    staff_names: str = ""
    max_tickets: int | None = None
    position: int = 0


@dataclass
class Repeated:
    """What repeating a day made, and the dates skipped because the point was taken."""

    made: list[ServiceDay] = field(default_factory=list)
    clashes: list[tuple[date, ServiceDay]] = field(default_factory=list)


def _tidy(text: str) -> str:
    return " ".join((text or "").split())


def sites_for(area: Area):
    """The service points a day of ``area`` may be held at: the committee's current sites and
    those of the street above it."""
    return Site.objects.current().filter(area__path__in=[area.path, *ancestor_paths(area.path)])


def shifts_for(area: Area):
    """Volunteer shifts a stall of ``area`` may be staffed by: the committee's (or its street's)
    live ones not yet linked to a stall."""
    return (
        Shift.objects.filter(
            area__path__in=[area.path, *ancestor_paths(area.path)], cancelled_at__isnull=True
        )
        .filter(stall__isnull=True)
        .order_by("starts_at", "pk")
    )


def _require(scope: Scope, day: ServiceDay) -> None:
    if not plans(scope, day.area):
        raise PermissionDenied(_("Only staff of the committee plan its service days."))


def clash_of(area: Area, site: Site | None, starts_at: datetime, ends_at: datetime, exclude=None):
    """Another held day at the same service point (or, without one, of the committee) whose
    time overlaps."""
    days = ServiceDay.objects.held().filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    days = days.filter(site=site) if site is not None else days.filter(area=area, site__isnull=True)
    if exclude is not None:
        days = days.exclude(pk=exclude.pk)
    return days.order_by("starts_at").first()


def _clash_text(other: ServiceDay) -> str:
    return _("It clashes with “%(title)s” (%(when)s) at the same place.") % {
        "title": other.title,
        "when": f"{when_text(other.starts_at)}–{timezone.localtime(other.ends_at):%H:%M}",
    }


def _check_day(draft: DayDraft, area: Area, *, exclude: ServiceDay | None = None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not _tidy(draft.title):
        problems["title"] = _("Give the day a title (for example: monthly service day).")
    if draft.site is None and not _tidy(draft.place):
        problems["place"] = _("Choose the service point, or say where it is held.")
    if draft.site is not None and not sites_for(area).filter(pk=draft.site.pk).exists():
        problems["site"] = _("%(site)s is not a current service point of %(area)s.") % {
            "site": draft.site.name,
            "area": area.name,
        }
    if draft.ends_at <= draft.starts_at:
        problems["ends_at"] = _("It must end after it starts.")
    elif timezone.localtime(draft.ends_at).date() != timezone.localtime(draft.starts_at).date():
        problems["ends_at"] = _("A service day ends on the day it starts; plan one for each day.")
    if not problems:
        other = clash_of(area, draft.site, draft.starts_at, draft.ends_at, exclude)
        if other is not None:
            problems["starts_at"] = _clash_text(other)
    return problems


def _fill(day: ServiceDay, draft: DayDraft) -> None:
    day.title, day.place, day.about = _tidy(draft.title), _tidy(draft.place), draft.about.strip()
    day.site, day.starts_at, day.ends_at = draft.site, draft.starts_at, draft.ends_at


@transaction.atomic
def create_day(user: User, draft: DayDraft, *, scope: Scope) -> ServiceDay:
    """A new day, a draft until published, in the committee the staff member acts in."""
    area = scope.committee(_("Service days are planned in a committee role."))
    if not plans(scope, area):
        raise PermissionDenied(_("Only staff of the committee plan its service days."))
    problems = _check_day(draft, area)
    if problems:
        raise ValidationError(problems)
    day = ServiceDay(area=area, created_by=user)
    _fill(day, draft)
    day.save()
    return day


@transaction.atomic
def change_day(day: ServiceDay, draft: DayDraft, *, scope: Scope) -> ServiceDay:
    """Change a day not cancelled nor over; ticket holders and, once published, residents see
    the new time on its page."""
    _require(scope, day)
    locked = ServiceDay.objects.select_for_update(of=("self",)).select_related("area").get(pk=day.pk)
    if locked.cancelled_at is not None:
        raise ValidationError(_("This service day is cancelled; it can no longer be changed."))
    if locked.ends_at <= timezone.now():
        raise ValidationError(_("This service day is over; it can no longer be changed."))
    problems = _check_day(draft, locked.area, exclude=locked)
    if problems:
        raise ValidationError(problems)
    _fill(locked, draft)
    locked.save()
    return locked


def _residents_of(area: Area):
    return accounts_of(Resident.objects.living().filter(committee=area))


@transaction.atomic
def publish_day(day: ServiceDay, *, scope: Scope) -> ServiceDay:
    """Residents of the committee see it and are told once (one message each, listing the
    stalls), not once per stall."""
    _require(scope, day)
    locked = ServiceDay.objects.select_for_update(of=("self",)).select_related("area", "site").get(pk=day.pk)
    if locked.cancelled_at is not None:
        raise ValidationError(_("A cancelled service day cannot be published."))
    if locked.published_at is not None:
        raise ValidationError(_("This service day is already published."))
    if locked.ends_at <= timezone.now():
        raise ValidationError(_("This service day is over; there is no one left to tell."))
    names = list(Stall.objects.filter(service_day=locked).values_list("name", flat=True))
    if not names:
        raise ValidationError(_("Add at least one stall before publishing: residents come for the stalls."))
    locked.published_at = timezone.now()
    locked.save(update_fields=["published_at"])
    notify(
        _residents_of(locked.area),
        kind=KIND,
        title=_("Service day: %(title)s") % {"title": locked.title},
        body=_("%(when)s at %(where)s: %(stalls)s.")
        % {"when": when_text(locked.starts_at), "where": locked.where, "stalls": "、".join(names)},
        url=locked.get_absolute_url(),
    )
    return locked


@transaction.atomic
def cancel_day(day: ServiceDay, reason: str, *, scope: Scope) -> ServiceDay:
    """Called off, with the reason: every live ticket is given up, and if it was published the
    residents are told (those holding a number by SMS too)."""
    _require(scope, day)
    reason = _tidy(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why it is cancelled: the residents are told.")})
    locked = ServiceDay.objects.select_for_update(of=("self",)).select_related("area").get(pk=day.pk)
    if locked.cancelled_at is not None:
        raise ValidationError(_("This service day is already cancelled."))
    if locked.ends_at <= timezone.now():
        raise ValidationError(_("This service day is over; it can no longer be cancelled."))
    now = timezone.now()
    live = Ticket.objects.filter(
        stall__service_day=locked, cancelled_at__isnull=True, served_at__isnull=True, absent_at__isnull=True
    )
    holders = list(User.objects.filter(pk__in=live.values("user_id")))
    for ticket in live:
        ticket.cancelled_at = now
        ticket.save(update_fields=["cancelled_at"])
    locked.cancelled_at, locked.cancel_reason = now, reason[:200]
    locked.save(update_fields=["cancelled_at", "cancel_reason"])
    if locked.published_at is not None:
        title = _("Cancelled: %(title)s") % {"title": locked.title}
        body = _("%(when)s is called off: %(reason)s") % {
            "when": when_text(locked.starts_at),
            "reason": reason,
        }
        notify(holders, kind=KIND, title=title, body=body, url=locked.get_absolute_url(), sms=True)
        others = [u for u in _residents_of(locked.area) if u.pk not in {h.pk for h in holders}]
        notify(others, kind=KIND, title=title, body=body, url=locked.get_absolute_url())
    return locked


# --- Stalls ----------------------------------------------------------------------------------


def _check_stall(draft: StallDraft, day: ServiceDay, stall: Stall | None = None) -> dict[str, str]:
    problems: dict[str, str] = {}
    area = day.area
    others = Stall.objects.exclude(pk=stall.pk) if stall is not None else Stall.objects.all()
    name = _tidy(draft.name)
    if not name:
        problems["name"] = _("Name the stall (for example: haircut).")
    elif others.filter(service_day=day, name=name).exists():
        problems["name"] = _("This day already has a stall called %(name)s.") % {"name": name}
    if draft.service is not None and not services_for(area).filter(pk=draft.service.pk).exists():
        problems["service"] = _("This service is not offered in %(area)s.") % {"area": area.name}
    if draft.shift is not None:
        linked = others.filter(shift=draft.shift).select_related("service_day").first()
        if linked is not None:
            problems["shift"] = _("This shift already staffs the stall %(stall)s of %(day)s.") % {
                "stall": linked.name,
                "day": linked.service_day.title,
            }
        elif draft.shift.cancelled_at is not None:
            problems["shift"] = _("This shift is cancelled.")
        elif draft.shift.area.path not in {area.path, *ancestor_paths(area.path)}:
            problems["shift"] = _("This shift belongs to another area.")
    if draft.partner_unit is not None and not units_for(area).filter(pk=draft.partner_unit.pk).exists():
        problems["partner_unit"] = _("%(unit)s is not a current partner unit of %(area)s.") % {
            "unit": draft.partner_unit.name,
            "area": area.name,
        }
    if draft.shift is None and draft.partner_unit is None and not _tidy(draft.staff_names):
        problems["staff_names"] = _("Say who staffs it: a volunteer shift, a partner unit or staff names.")
    if draft.max_tickets is not None:
        taken = stall.last_number if stall else 0
        if not 1 <= draft.max_tickets <= MAX_TICKETS:
            problems["max_tickets"] = _("From 1 to %(max)d numbers, or empty for no limit.") % {
                "max": MAX_TICKETS
            }
        elif draft.max_tickets < taken:
            problems["max_tickets"] = _("%(n)d numbers have already been handed out.") % {"n": taken}
    return problems


def _fill_stall(stall: Stall, draft: StallDraft) -> None:
    stall.name, stall.staff_names = _tidy(draft.name), _tidy(draft.staff_names)
    stall.service, stall.shift, stall.partner_unit = draft.service, draft.shift, draft.partner_unit
    stall.max_tickets, stall.position = draft.max_tickets, draft.position


def _open_for_changes(day: ServiceDay) -> None:
    if day.cancelled_at is not None:
        raise ValidationError(_("This service day is cancelled; its stalls can no longer be changed."))
    if day.ends_at <= timezone.now():
        raise ValidationError(_("This service day is over; its stalls can no longer be changed."))


@transaction.atomic
def add_stall(day: ServiceDay, draft: StallDraft, *, scope: Scope) -> Stall:
    """A stall of the day, staffed by a shift, a partner unit or named staff."""
    _require(scope, day)
    locked = ServiceDay.objects.select_for_update(of=("self",)).select_related("area").get(pk=day.pk)
    _open_for_changes(locked)
    if Stall.objects.filter(service_day=locked).count() >= MAX_STALLS:
        raise ValidationError(_("A day has at most %(max)d stalls.") % {"max": MAX_STALLS})
    problems = _check_stall(draft, locked)
    if problems:
        raise ValidationError(problems)
    stall = Stall(service_day=locked)
    _fill_stall(stall, draft)
    if not draft.position:
        stall.position = Stall.objects.filter(service_day=locked).count() + 1
    try:
        with transaction.atomic():
            stall.save()
    except IntegrityError:
        raise ValidationError({"name": _("This day already has a stall of that name.")}) from None
    return stall


@transaction.atomic
def change_stall(stall: Stall, draft: StallDraft, *, scope: Scope) -> Stall:
    day = stall.service_day
    _require(scope, day)
    _open_for_changes(day)
    locked = Stall.objects.select_for_update(of=("self",)).get(pk=stall.pk)
    locked.service_day = day
    problems = _check_stall(draft, day, locked)
    if problems:
        raise ValidationError(problems)
    _fill_stall(locked, draft)
    locked.save()
    return locked


@transaction.atomic
def remove_stall(stall: Stall, *, scope: Scope) -> None:
    """Only a stall nobody has taken a number at: the numbers are the day's record."""
    _require(scope, stall.service_day)
    _open_for_changes(stall.service_day)
    if Ticket.objects.filter(stall=stall).exists():
        raise ValidationError(
            _("Numbers have been taken at %(stall)s: close it instead.") % {"stall": stall.name}
        )
    stall.delete()


@transaction.atomic
def post_stall_shift(user: User, stall: Stall, places: int, *, scope: Scope) -> Shift:
    """Post a volunteer shift for the stall through the volunteers' shift posting (its rules,
    its permissions) and staff the stall with it."""
    day = stall.service_day
    _require(scope, day)
    _open_for_changes(day)
    if stall.shift_id is not None:
        raise ValidationError({"shift": _("The stall already has a volunteer shift.")})
    draft = ShiftDraft(
        title=f"{day.title} · {stall.name}",
        place=day.where or day.area.name,
        starts_at=day.starts_at,
        ends_at=day.ends_at,
        places=places,
        service=stall.service,
        partner_unit=stall.partner_unit,
    )
    shift = post_shift(user, draft, scope=scope)
    stall.shift = shift
    stall.save(update_fields=["shift"])
    return shift


# --- Month by month --------------------------------------------------------------------------


def monthly_dates(first: date, months: int, *, weekday: int | None = None, nth: int = 0) -> list[date]:
    """The next ``months`` dates after ``first``: the same day of the month (skipping months
    too short for it, say the 31st) or, with ``weekday`` (0 = Monday) and ``nth`` (1–4, or
    -1 for the last), that weekday of each month."""
    out: list[date] = []
    year, month = first.year, first.month
    for _step in range(months):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        days_in = calendar.monthrange(year, month)[1]
        if weekday is None:
            if first.day <= days_in:
                out.append(date(year, month, first.day))
            continue
        matching = [d for d in range(1, days_in + 1) if date(year, month, d).weekday() == weekday]
        out.append(date(year, month, matching[nth - 1 if nth > 0 else -1]))
    return out


def nth_weekday_of(day: date) -> tuple[int, int]:
    """(weekday, n): the 2nd Saturday is (5, 2)."""
    return day.weekday(), (day.day - 1) // 7 + 1


@transaction.atomic
def repeat_monthly(
    user: User, day: ServiceDay, months: int, *, scope: Scope, by_weekday: bool = False
) -> Repeated:
    """Copies of ``day`` (its time, place and stalls; drafts, not yet published) for the next
    ``months`` months: the same date, or (``by_weekday``) the same weekday of the month ("the
    2nd Saturday"). Dates when the point already holds another day are listed and skipped."""
    _require(scope, day)
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError({"months": _("From 1 to %(max)d months.") % {"max": MAX_MONTHS}})
    if day.cancelled_at is not None:
        raise ValidationError(_("A cancelled service day cannot be repeated."))
    start, end = timezone.localtime(day.starts_at), timezone.localtime(day.ends_at)
    if by_weekday:
        weekday, nth = nth_weekday_of(start.date())
        dates = monthly_dates(start.date(), months, weekday=weekday, nth=nth if nth < 5 else -1)
    else:
        dates = monthly_dates(start.date(), months)
    stalls = list(Stall.objects.filter(service_day=day))
    result = Repeated()
    for on in dates:
        starts_at = timezone.make_aware(datetime.combine(on, start.time()))
        ends_at = starts_at + (end - start)
        other = clash_of(day.area, day.site, starts_at, ends_at)
        if other is not None:
            result.clashes.append((on, other))
            continue
        copy = ServiceDay.objects.create(
            area=day.area,
            site=day.site,
            title=day.title,
            place=day.place,
            about=day.about,
            starts_at=starts_at,
            ends_at=ends_at,
            created_by=user,
        )
        for stall in stalls:
            # The shift is one morning's; each copy gets its own (post one from its stall).
            Stall.objects.create(
                service_day=copy,
                name=stall.name,
                service=stall.service,
                partner_unit=stall.partner_unit,
                staff_names=stall.staff_names,
                max_tickets=stall.max_tickets,
                position=stall.position,
            )
        result.made.append(copy)
    return result
