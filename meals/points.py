"""Dining points and the meals they serve; pausing, resuming and closing a point.

A point is run by a committee or a street (the staff member's area, or one under it) and
serves committees of that street. Each meal it serves has its places (1 to 5,000), the hours
it is served, which must not overlap another meal's, its cutoff for orders (on the day, or up
to 7 days before) and whether it is delivered.

A pause stops new orders (the ordering part asks ``point.is_paused``); orders already taken
are still cooked and served. Closing is refused while orders are still to be served.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area, AreaLevel
from common.scope import Scope
from meals.models import DiningPoint, MealKind, MealService, Order, OrderStatus, PointKind, PointMeal
from meals.rules import keeps, keeps_area, seen_points
from spaces.models import Site

MAX_PLACES = 5000
MAX_DAYS_BEFORE = 7
MAX_REASON = 200


@dataclass
class PointDraft:
    name: str
    kind: str = PointKind.CANTEEN
    address: str = ""
    phone: str = ""
    about: str = ""
    site: Site | None = None
    serves: list[Area] = field(default_factory=list)


@dataclass
class MealDraft:
    meal: str
    places: int
    serves_from: time
    serves_until: time
    cutoff: time = time(9, 30)
    cutoff_days_before: int = 0
    delivers: bool = True


def street_of(area: Area) -> Area | None:
    if area.level == AreaLevel.STREET:
        return area
    return area.parent if area.level == AreaLevel.COMMITTEE else None


def committees_to_serve(area: Area):
    """The committees a point run by ``area`` may serve: those of its street."""
    street = street_of(area)
    if street is None:
        return Area.objects.none()
    return Area.objects.filter(parent=street, level=AreaLevel.COMMITTEE).order_by("path")


def sites_for(area: Area):
    """The current sites of the point's area and of the committees under it."""
    return Site.objects.current().filter(area__path__startswith=area.path).order_by("name", "pk")


def _check(draft: PointDraft, area: Area) -> None:
    errors: dict[str, str] = {}
    if not draft.name.strip():
        errors["name"] = _("Give the dining point a name, e.g. 长者食堂.")
    if draft.kind not in PointKind.values:
        errors["kind"] = _("Choose whether it is a canteen or a meal point.")
    if not draft.serves:
        errors["serves"] = _("Choose at least one committee it serves.")
    else:
        allowed = set(committees_to_serve(area).values_list("pk", flat=True))
        outside = [c.name for c in draft.serves if c.pk not in allowed]
        if outside:
            errors["serves"] = _("Not a committee of this street: %(names)s.") % {"names": ", ".join(outside)}
    if draft.site is not None and not (
        draft.site.area.path.startswith(area.path) and draft.site.closed_at is None
    ):
        errors["site"] = _("Choose a current site of %(area)s.") % {"area": area.name}
    if errors:
        raise ValidationError(errors)


def _name_taken(area: Area, name: str) -> ValidationError:
    return ValidationError(
        {
            "name": _("%(area)s already runs a dining point named %(name)s.")
            % {"area": area.name, "name": name}
        }
    )


def _save(point: DiningPoint, draft: PointDraft) -> DiningPoint:
    point.name = draft.name.strip()
    point.kind = draft.kind
    point.address = draft.address.strip()
    point.phone = draft.phone.strip()
    point.about = draft.about.strip()
    point.site = draft.site
    try:
        with transaction.atomic():
            point.save()
            point.serves.set(draft.serves)
    except IntegrityError:
        raise _name_taken(point.area, point.name) from None
    return point


def create_point(draft: PointDraft, *, scope: Scope, area: Area | None = None) -> DiningPoint:
    """A new dining point run by ``area`` (the staff member's own by default)."""
    area = area or scope.area
    if not keeps_area(scope, area):
        raise PermissionDenied(_("Dining points are opened by staff running meals in a committee or street."))
    assert area is not None
    _check(draft, area)
    return _save(DiningPoint(area=area), draft)


def _refuse_unless_keeps(scope: Scope, point: DiningPoint) -> None:
    if not keeps(scope, point):
        raise PermissionDenied(
            _("Only staff over %(area)s change this dining point.") % {"area": point.area.name}
        )
    if point.is_closed:
        raise ValidationError(_("%(point)s is closed.") % {"point": point.name})


def change_point(point: DiningPoint, draft: PointDraft, *, scope: Scope) -> DiningPoint:
    _refuse_unless_keeps(scope, point)
    _check(draft, point.area)
    return _save(point, draft)


# --- Meals served -------------------------------------------------------------------------------


def _check_meal(point: DiningPoint, draft: MealDraft) -> None:
    errors: dict[str, str] = {}
    if draft.meal not in MealKind.values:
        errors["meal"] = _("Choose breakfast, lunch or dinner.")
    if not 1 <= draft.places <= MAX_PLACES:
        errors["places"] = _("Between 1 and %(n)d places.") % {"n": MAX_PLACES}
    if not 0 <= draft.cutoff_days_before <= MAX_DAYS_BEFORE:
        errors["cutoff_days_before"] = _("Between 0 and %(n)d days before.") % {"n": MAX_DAYS_BEFORE}
    if draft.serves_from >= draft.serves_until:
        errors["serves_until"] = _("Served until must be later than served from.")
    elif draft.cutoff_days_before == 0 and draft.cutoff > draft.serves_from:
        errors["cutoff"] = _("Orders on the day must close by the time the meal is served (%(time)s).") % {
            "time": f"{draft.serves_from:%H:%M}"
        }
    if "serves_until" not in errors:
        for other in point.meals.exclude(meal=draft.meal):
            if draft.serves_from < other.serves_until and other.serves_from < draft.serves_until:
                errors["serves_from"] = _("Overlaps %(meal)s, served %(start)s–%(end)s.") % {
                    "meal": other.get_meal_display(),
                    "start": f"{other.serves_from:%H:%M}",
                    "end": f"{other.serves_until:%H:%M}",
                }
                break
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_meal_served(point: DiningPoint, draft: MealDraft, *, scope: Scope) -> PointMeal:
    """Serve a meal at ``point``, or change how it is served. New places apply to the days
    not yet opened for orders; a day already counted keeps its places unless raised here
    (lowering below what is taken is refused)."""
    _refuse_unless_keeps(scope, point)
    point = DiningPoint.objects.select_for_update().get(pk=point.pk)
    _check_meal(point, draft)
    today = timezone.localdate()
    over = (
        MealService.objects.filter(point=point, meal=draft.meal, day__gte=today, taken__gt=draft.places)
        .order_by("day")
        .first()
    )
    if over is not None:
        raise ValidationError(
            {
                "places": _("%(n)d places are already taken on %(day)s.")
                % {"n": over.taken, "day": f"{over.day:%Y-%m-%d}"}
            }
        )
    values = {
        "places": draft.places,
        "serves_from": draft.serves_from,
        "serves_until": draft.serves_until,
        "cutoff": draft.cutoff,
        "cutoff_days_before": draft.cutoff_days_before,
        "delivers": draft.delivers,
    }
    served, created = PointMeal.objects.get_or_create(point=point, meal=draft.meal, defaults=values)
    if not created:
        for name, value in values.items():
            setattr(served, name, value)
        served.save()
    # Days already open for orders take the new places (each row saved: audited).
    for service in MealService.objects.filter(point=point, meal=draft.meal, day__gte=today):
        if service.places != draft.places:
            service.places = draft.places
            service.save(update_fields=["places"])
    return served


@transaction.atomic
def stop_serving(served: PointMeal, *, scope: Scope) -> None:
    """No longer serve a meal: refused while orders for it are still to be served."""
    _refuse_unless_keeps(scope, served.point)
    waiting = _orders_ahead(served.point).filter(meal=served.meal).count()
    if waiting:
        raise ValidationError(
            _("%(n)d orders for this meal are still to be served; cancel them first.") % {"n": waiting}
        )
    served.delete()


# --- Pause, resume, close -------------------------------------------------------------------------


def _orders_ahead(point: DiningPoint):
    return Order.objects.filter(point=point, day__gte=timezone.localdate(), status=OrderStatus.ORDERED)


@transaction.atomic
def pause(point: DiningPoint, reason: str, *, scope: Scope) -> DiningPoint:
    """Stop new orders; those already taken go on."""
    _refuse_unless_keeps(scope, point)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, e.g. 厨房检修: residents see it.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": MAX_REASON}})
    point = DiningPoint.objects.select_for_update().get(pk=point.pk)
    if point.is_paused:
        raise ValidationError(_("%(point)s is already paused.") % {"point": point.name})
    point.paused_at = timezone.now()
    point.pause_reason = reason
    point.save(update_fields=["paused_at", "pause_reason"])
    return point


@transaction.atomic
def resume(point: DiningPoint, *, scope: Scope) -> DiningPoint:
    _refuse_unless_keeps(scope, point)
    point = DiningPoint.objects.select_for_update().get(pk=point.pk)
    if not point.is_paused:
        raise ValidationError(_("%(point)s is not paused.") % {"point": point.name})
    point.paused_at = None
    point.pause_reason = ""
    point.save(update_fields=["paused_at", "pause_reason"])
    return point


@transaction.atomic
def close(point: DiningPoint, *, scope: Scope) -> DiningPoint:
    """Closed for good: refused while orders are still to be served."""
    _refuse_unless_keeps(scope, point)
    waiting = _orders_ahead(point).count()
    if waiting:
        raise ValidationError(
            _("%(n)d orders are still to be served; pause the point and serve or cancel them first.")
            % {"n": waiting}
        )
    point.closed_at = timezone.now()
    point.save(update_fields=["closed_at"])
    return point


# --- The staff landing ----------------------------------------------------------------------------


@dataclass
class MealCount:
    meal: PointMeal
    today_taken: int
    today_places: int
    tomorrow_taken: int
    tomorrow_places: int


@dataclass
class PointCounts:
    point: DiningPoint
    counts: list[MealCount]


def counts(scope: Scope, today: date | None = None) -> list[PointCounts]:
    """The current points ``scope`` runs, each meal with today's and tomorrow's taken/places
    (places of a day not yet opened: the meal's). Three queries however many points."""
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    points = list(seen_points(scope).select_related("area").prefetch_related("meals"))
    services = {
        (s.point_id, s.day, s.meal): s
        for s in MealService.objects.filter(point__in=[p.pk for p in points], day__in=[today, tomorrow])
    }
    found = []
    for point in points:
        rows = []
        for served in point.meals.all():
            now = services.get((point.pk, today, served.meal))
            then = services.get((point.pk, tomorrow, served.meal))
            rows.append(
                MealCount(
                    served,
                    now.taken if now else 0,
                    now.places if now else served.places,
                    then.taken if then else 0,
                    then.places if then else served.places,
                )
            )
        found.append(PointCounts(point, rows))
    return found
