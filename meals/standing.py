"""Standing orders: the same meal on chosen weekdays, placed by the hourly job.

Set up and stopped by those who may order for the diner (``meals.ordering.how_orders``).
The job ``place_standing_orders`` (``meals.jobs``) looks at every live standing order and the
next ``DAYS_AHEAD`` days: for each day on its weekdays whose cutoff is still ahead, it places
the order (the standing order's set meal, or the first of the day) the way any order is
placed, places counted and priced. ``placed_until`` is the last day dealt with, moved under
the standing order's row lock in the same transaction as the order: a repeated or
overlapping run places nothing twice.

A day that cannot be placed is told to the diner (or their family) once, with why: every
place taken, the point paused, no published menu. A paused point or a menu not yet published
may still change: the job waits for them until the last day before the cutoff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.scope import Scope
from meals import ordering
from meals.models import Diner, DiningPoint, Mode, Order, OrderedVia, PointMeal, StandingOrder
from notifications.models import NotificationKind
from notifications.services import notify

DAYS_AHEAD = 7
LAST_CALL = timedelta(hours=24)  # a paused point or a missing menu is final this close to the cutoff


def _clean_weekdays(weekdays) -> str:
    if isinstance(weekdays, str):
        weekdays = [w.strip() for w in weekdays.split(",") if w.strip()]
    try:
        days = sorted({int(w) for w in weekdays})
    except (TypeError, ValueError):
        days = []
    if not days or any(d < 1 or d > 7 for d in days):
        raise ValidationError({"weekdays": _("Choose at least one day of the week.")})
    return ",".join(str(d) for d in days)


def start(
    diner: Diner,
    *,
    point: DiningPoint,
    meal: str,
    weekdays,
    label: str = "",
    mode: str = Mode.EAT_IN,
    starts_on: date | None = None,
    ends_on: date | None = None,
    by: User,
    scope: Scope | None,
) -> StandingOrder:
    """Set up a standing order for ``diner``: ``meal`` at ``point`` on ``weekdays`` (ISO,
    1 = Monday), the set meal ``label`` (blank: the first of the day)."""
    diner = Diner.objects.select_related("resident__household__building", "committee").get(pk=diner.pk)
    if ordering.how_orders(by, diner, point, scope) is None:
        raise PermissionDenied(_("You may set up standing orders only for yourself and those you act for."))
    today = timezone.localdate()
    starts_on = starts_on or today
    days = _clean_weekdays(weekdays)
    if not diner.is_current:
        raise ValidationError(
            {"diner": _("%(name)s is no longer registered for meals.") % {"name": diner.resident.name}}
        )
    point_meal = PointMeal.objects.filter(point=point, meal=meal).first()
    if point_meal is None:
        raise ValidationError(
            {
                "meal": _("%(point)s does not serve %(meal)s.")
                % {"point": point, "meal": ordering.meal_text(meal)}
            }
        )
    if not ordering._serves(point, diner):
        raise ValidationError(
            {
                "point": _("%(point)s does not serve %(committee)s.")
                % {"point": point, "committee": diner.committee.name}
            }
        )
    if mode not in Mode.values:
        raise ValidationError({"mode": _("Choose eat in, take away or delivered.")})
    if mode == Mode.DELIVERED and not point_meal.delivers:
        raise ValidationError(
            {
                "mode": _("%(point)s does not deliver %(meal)s; choose eat in or take away.")
                % {"point": point, "meal": ordering.meal_text(meal)}
            }
        )
    if starts_on < today:
        raise ValidationError({"starts_on": _("Start today or later.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day comes after the first.")})
    label = (label or "").strip()[:20]
    try:
        with transaction.atomic():
            return StandingOrder.objects.create(
                diner=diner,
                point=point,
                meal=meal,
                weekdays=days,
                label=label,
                mode=mode,
                starts_on=starts_on,
                ends_on=ends_on,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            {
                "meal": _("%(name)s already has a standing order for %(meal)s; stop it first.")
                % {"name": diner.resident.name, "meal": ordering.meal_text(meal)}
            }
        ) from None


@transaction.atomic
def stop(standing: StandingOrder, *, by: User, scope: Scope | None) -> StandingOrder:
    """No more orders from it; those already placed stay (cancel them one by one)."""
    standing = (
        StandingOrder.objects.select_for_update(of=("self",))
        .select_related("point__area")
        .get(pk=standing.pk)
    )
    diner = Diner.objects.select_related("resident__household__building").get(pk=standing.diner_id)
    if ordering.how_orders(by, diner, standing.point, scope) is None:
        raise PermissionDenied(_("You may stop only your own standing orders and those you act for."))
    if standing.stopped_at is not None:
        raise ValidationError({"standing": _("This standing order is already stopped.")})
    standing.stopped_at = timezone.now()
    standing.save(update_fields=["stopped_at"])
    return standing


# --- The job ------------------------------------------------------------------------------------


@dataclass
class Run:
    placed: int = 0
    missed: int = 0


def place_due(now: datetime | None = None) -> Run:
    """Place the standing orders' orders for the days ahead; tell the diners of days missed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = Run()
    live = StandingOrder.objects.live(today).filter(diner__ended_at__isnull=True)
    for pk in live.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            _place_one(pk, now, today, run)
    return run


def _place_one(pk: int, now: datetime, today: date, run: Run) -> None:
    standing = (
        StandingOrder.objects.select_for_update(of=("self",))
        .select_related("point__area", "diner__resident__household__building")
        .get(pk=pk)
    )
    if standing.stopped_at is not None:
        return
    point_meal = PointMeal.objects.filter(point=standing.point, meal=standing.meal).first()
    if point_meal is None:
        return
    first = max(today, standing.starts_on)
    if standing.placed_until is not None:
        first = max(first, standing.placed_until + timedelta(days=1))
    last = today + timedelta(days=DAYS_AHEAD)
    if standing.ends_on is not None:
        last = min(last, standing.ends_on)
    weekdays = standing.weekday_list
    done = standing.placed_until
    day = first
    while day <= last:
        cutoff = ordering.cutoff_of(point_meal, day)
        if day.isoweekday() not in weekdays or cutoff <= now:
            done = day
            day += timedelta(days=1)
            continue
        outcome = _try_day(standing, day, now, cutoff)
        if outcome == WAIT:  # a menu may yet be published, a pause lifted
            break
        if outcome == PLACED:
            run.placed += 1
        elif outcome == MISSED:
            run.missed += 1
        done = day
        day += timedelta(days=1)
    if done != standing.placed_until:
        standing.placed_until = done
        standing.save(update_fields=["placed_until"])


PLACED, MISSED, SKIPPED, WAIT = "placed", "missed", "skipped", "wait"


def _try_day(standing: StandingOrder, day: date, now: datetime, cutoff: datetime) -> str:
    """PLACED; MISSED (and the diner told why); SKIPPED when the diner already ordered that
    meal; WAIT to try again at the next run."""
    diner = standing.diner
    if Order.objects.live().filter(diner=diner, day=day, meal=standing.meal).exists():
        return SKIPPED
    final = cutoff - now <= LAST_CALL
    point = standing.point
    if point.is_paused or point.is_closed:
        if not final:
            return WAIT
        reason = point.pause_reason or _("no reason given")
        _tell_missed(standing, day, _("%(point)s is paused: %(reason)s") % {"point": point, "reason": reason})
        return MISSED
    set_meal = ordering.first_set_meal(point, day, standing.meal, standing.label)
    if set_meal is None:
        if not final:
            return WAIT
        if standing.label and ordering.first_set_meal(point, day, standing.meal) is not None:
            why = _("there is no set meal %(label)s that day.") % {"label": standing.label}
        else:
            why = _("no menu is published for that day.")
        _tell_missed(standing, day, why)
        return MISSED
    try:
        ordering.place(
            diner, set_meal, mode=standing.mode, by=None, via=OrderedVia.STANDING, standing=standing, now=now
        )
    except ValidationError as refusal:
        _tell_missed(standing, day, " ".join(refusal.messages))
        return MISSED
    return PLACED


def _tell_missed(standing: StandingOrder, day: date, why: str) -> None:
    users = ordering.accounts_of(standing.diner.resident)
    if not users:
        return
    values = {
        "name": standing.diner.resident.name,
        "meal": ordering.meal_text(standing.meal),
        "day": ordering.day_text(day),
        "why": why,
    }
    notify(
        users,
        kind=NotificationKind.MEAL,
        title=_("No %(meal)s ordered for %(name)s on %(day)s") % values,
        body=_("The standing order could not be placed: %(why)s") % values,
        url=reverse("meals:mine"),
    )
