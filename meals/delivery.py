"""Delivery: routes by building, their stops in an order staff change, the rounds of each
meal (a deliverer, or a volunteer shift whose claimants deliver) and the hand-overs.

- Routes belong to a point; staff running the point create, rename and archive them, and set
  a usual deliverer (a volunteer of a committee the point serves, or staff over the point).
- A stop is a building of a committee the point serves; a building is on one route of a point.
- ``RouteRun`` is a route's round of one meal of one day, made when first needed.
- The round's deliverer, a claimant of its shift, or staff running the point confirm each
  order: handed over (DELIVERED) or not at home (NOT_HOME). Not at home for a resident on the
  elderly watch raises a concern there at once (``eldercare.checks.report_concern``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel, ancestor_paths
from common.scope import Capability, Scope
from eldercare.checks import report_concern
from eldercare.models import Watch, WatchStatus
from meals.models import (
    DiningPoint,
    Mode,
    Order,
    OrderStatus,
    PointMeal,
    Route,
    RouteRun,
    RouteStop,
)
from meals.rules import runs
from volunteers.models import ShiftClaim
from volunteers.shift_posting import ShiftDraft, post_shift

MAX_NAME = 60


def _text(value: str, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def require_runs(scope: Scope, point: DiningPoint) -> None:
    if not runs(scope, point):
        raise PermissionDenied(_("Only staff running this dining point change its delivery routes."))


# --- Who may deliver ---------------------------------------------------------------------------


def deliverers_q(point: DiningPoint) -> Q:
    """Users who may be a route's usual deliverer or a round's: volunteers of a committee the
    point serves (or of the area running it), and staff over the point's area."""
    serves = list(point.serves.values_list("pk", flat=True))
    paths = [point.area.path, *ancestor_paths(point.area.path)]
    return (
        Q(volunteer__committee__in=serves)
        | Q(volunteer__committee__path__startswith=point.area.path)
        | Q(role_grants__area__path__in=paths, role_grants__revoked_at__isnull=True)
        | Q(role_grants__area__path__startswith=point.area.path, role_grants__revoked_at__isnull=True)
    )


def deliverers(point: DiningPoint) -> QuerySet[User]:
    return User.objects.filter(deliverers_q(point), is_active=True).distinct().order_by("name", "pk")


def _check_deliverer(point: DiningPoint, user: User | None) -> None:
    if user is not None and not deliverers(point).filter(pk=user.pk).exists():
        raise ValidationError(
            {"deliverer": _("%(name)s is neither a volunteer nor staff of this point.") % {"name": user.name}}
        )


def claimant_ids(run: RouteRun) -> set[int]:
    if run.shift_id is None:
        return set()

    return set(
        ShiftClaim.objects.filter(
            shift_id=run.shift_id, status="claimed", volunteer__user__isnull=False
        ).values_list("volunteer__user_id", flat=True)
    )


def may_deliver(user: User, scope: Scope, run: RouteRun) -> bool:
    """The round's deliverer, a claimant of its shift, or staff running the point."""
    if not user.is_authenticated:
        return False
    if run.deliverer_id == user.pk or runs(scope, run.route.point):
        return True
    return user.pk in claimant_ids(run)


# --- Routes and stops --------------------------------------------------------------------------


def _check_name(point: DiningPoint, name: str, route: Route | None = None) -> str:
    name = _text(name, MAX_NAME)
    if not name:
        raise ValidationError({"name": _("Give the route a name (for example: 62号楼 and 64号楼).")})
    taken = Route.objects.current().filter(point=point, name=name)
    if route is not None:
        taken = taken.exclude(pk=route.pk)
    if taken.exists():
        raise ValidationError({"name": _("This point already has a route called %(name)s.") % {"name": name}})
    return name


@transaction.atomic
def create_route(
    point: DiningPoint, name: str, *, scope: Scope, deliverer: User | None = None, notes: str = ""
) -> Route:
    require_runs(scope, point)
    name = _check_name(point, name)
    _check_deliverer(point, deliverer)
    last = Route.objects.filter(point=point).aggregate(last=Max("position"))["last"]
    return Route.objects.create(
        point=point,
        name=name,
        deliverer=deliverer,
        notes=_text(notes, 200),
        position=(last or 0) + 1,
    )


@transaction.atomic
def change_route(
    route: Route,
    *,
    scope: Scope,
    name: str | None = None,
    deliverer: User | None = None,
    notes: str | None = None,
    clear_deliverer: bool = False,
) -> Route:
    """Rename a route, change its notes, set (or clear) its usual deliverer."""
    require_runs(scope, route.point)
    if route.archived_at is not None:
        raise ValidationError({"name": _("This route is archived.")})
    fields = []
    if name is not None:
        route.name = _check_name(route.point, name, route)
        fields.append("name")
    if notes is not None:
        route.notes = _text(notes, 200)
        fields.append("notes")
    if deliverer is not None or clear_deliverer:
        _check_deliverer(route.point, deliverer)
        route.deliverer = deliverer
        fields.append("deliverer")
    if fields:
        route.save(update_fields=fields)
    return route


@transaction.atomic
def archive_route(route: Route, *, scope: Scope) -> Route:
    """No longer used: its stops are freed for other routes; its past rounds stay."""
    require_runs(scope, route.point)
    if route.archived_at is None:
        for stop in route.stops.all():
            stop.delete()
        route.archived_at = timezone.now()
        route.save(update_fields=["archived_at"])
    return route


def buildings_for(point: DiningPoint) -> QuerySet[Area]:
    """The buildings of the committees the point serves."""
    paths = list(point.serves.values_list("path", flat=True))
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return Area.objects.filter(q, level=AreaLevel.BUILDING, retired_at__isnull=True).order_by("path")


@transaction.atomic
def add_stop(route: Route, building: Area, *, scope: Scope) -> RouteStop:
    require_runs(scope, route.point)
    if route.archived_at is not None:
        raise ValidationError({"building": _("This route is archived.")})
    if not buildings_for(route.point).filter(pk=building.pk).exists():
        raise ValidationError(
            {
                "building": _("%(name)s is not a building of a committee this point serves.")
                % {"name": building.name}
            }
        )
    other = RouteStop.objects.filter(point=route.point, building=building).select_related("route").first()
    if other is not None:
        raise ValidationError(
            {
                "building": _("%(name)s is already on the route %(route)s.")
                % {"name": building.name, "route": other.route.name}
            }
        )
    last = route.stops.aggregate(last=Max("position"))["last"]
    return RouteStop.objects.create(
        route=route, point=route.point, building=building, position=(last or 0) + 1
    )


@transaction.atomic
def remove_stop(stop: RouteStop, *, scope: Scope) -> None:
    require_runs(scope, stop.route.point)
    stop.delete()


def _renumber(stops: list[RouteStop]) -> None:
    for index, stop in enumerate(stops, start=1):
        if stop.position != index:
            stop.position = index
            stop.save(update_fields=["position"])


@transaction.atomic
def move_stop(stop: RouteStop, *, up: bool, scope: Scope) -> list[RouteStop]:
    """One place earlier (``up``) or later in the round."""
    require_runs(scope, stop.route.point)
    stops = list(
        RouteStop.objects.select_for_update().filter(route_id=stop.route_id).order_by("position", "pk")
    )
    at = next(i for i, s in enumerate(stops) if s.pk == stop.pk)
    to = at - 1 if up else at + 1
    if 0 <= to < len(stops):
        stops[at], stops[to] = stops[to], stops[at]
    _renumber(stops)
    return stops


@transaction.atomic
def set_order(route: Route, stop_ids: list[int], *, scope: Scope) -> list[RouteStop]:
    """The stops in the order given: every stop of the route, each once."""
    require_runs(scope, route.point)
    stops = {s.pk: s for s in RouteStop.objects.select_for_update().filter(route=route)}
    if sorted(stop_ids) != sorted(stops):
        raise ValidationError({"stops": _("Give every stop of the route, each once.")})
    ordered = [stops[pk] for pk in stop_ids]
    _renumber(ordered)
    return ordered


# --- Rounds ------------------------------------------------------------------------------------


def run_for(route: Route, day: date, meal: str) -> RouteRun:
    """The route's round of that meal, made (with the route's usual deliverer) when first needed."""
    run, _made = RouteRun.objects.get_or_create(
        route=route, day=day, meal=meal, defaults={"deliverer": route.deliverer}
    )
    return run


def ensure_runs(point: DiningPoint, day: date, meal: str) -> list[RouteRun]:
    """Every current route's round of that meal."""
    have = {r.route_id: r for r in RouteRun.objects.filter(route__point=point, day=day, meal=meal)}
    out = []
    for route in Route.objects.current().filter(point=point):
        out.append(have.get(route.pk) or run_for(route, day, meal))
    return out


@transaction.atomic
def assign(run: RouteRun, user: User | None, *, scope: Scope) -> RouteRun:
    require_runs(scope, run.route.point)
    _check_deliverer(run.route.point, user)
    run.deliverer = user
    run.save(update_fields=["deliverer"])
    return run


@transaction.atomic
def post_round_shift(actor: User, run: RouteRun, *, scope: Scope, places: int = 1):
    """A volunteer shift for the round (posted through the volunteers app): its claimants deliver."""

    point = run.route.point
    require_runs(scope, point)
    if run.shift_id is not None:
        raise ValidationError({"shift": _("This round already has a volunteer shift.")})
    meal = PointMeal.objects.filter(point=point, meal=run.meal).first()
    start_time, end_time = (meal.serves_from, meal.serves_until) if meal else (None, None)
    tz = timezone.get_current_timezone()
    if start_time is None or end_time is None:
        raise ValidationError({"shift": _("This point does not serve this meal.")})
    starts = datetime.combine(run.day, start_time, tzinfo=tz) - timedelta(minutes=30)
    ends = datetime.combine(run.day, end_time, tzinfo=tz)
    draft = ShiftDraft(
        title=_("Meal delivery: %(route)s") % {"route": run.route.name},
        place=point.address or point.name,
        starts_at=starts,
        ends_at=ends,
        places=places,
        withdraw_until=starts - timedelta(hours=2),
        notes=_("Deliver the meals of the round %(route)s from %(point)s.")
        % {"route": run.route.name, "point": point.name},
    )
    shift = post_shift(actor, draft, scope=scope)
    run.shift = shift
    run.save(update_fields=["shift"])
    return shift


# --- The round sheet ---------------------------------------------------------------------------


def _orders_q(point_id: int, day: date, meal: str) -> QuerySet[Order]:
    return (
        Order.objects.live()
        .filter(point_id=point_id, day=day, meal=meal, mode=Mode.DELIVERED)
        .select_related("diner__resident__household__building", "set_meal", "handed_by")
    )


@dataclass
class Stop:
    position: int
    building: Area
    orders: list[Order] = field(default_factory=list)


def round_sheet(run: RouteRun) -> list[Stop]:
    """The stops in route order, each with the delivered orders of its building by room:
    two queries."""
    stops = list(
        RouteStop.objects.filter(route_id=run.route_id).select_related("building").order_by("position", "pk")
    )
    by_building: dict[int, Stop] = {s.building_id: Stop(i, s.building) for i, s in enumerate(stops, start=1)}
    for order in (
        _orders_q(run.route.point_id, run.day, run.meal)
        .filter(diner__resident__household__building_id__in=list(by_building))
        .order_by("diner__resident__household__room", "diner__resident__name", "pk")
    ):
        by_building[order.diner.resident.household.building_id].orders.append(order)
    return list(by_building.values())


def order_in_run(run: RouteRun, order_id: int) -> Order:
    found = (
        _orders_q(run.route.point_id, run.day, run.meal)
        .filter(
            pk=order_id,
            diner__resident__household__building_id__in=RouteStop.objects.filter(
                route_id=run.route_id
            ).values("building_id"),
        )
        .first()
    )
    if found is None:
        raise ValidationError({"order": _("This order is not delivered on this round.")})
    return found


def _refuse_done(order: Order, *, not_home: bool) -> None:
    if order.status == OrderStatus.DELIVERED:
        raise ValidationError(
            {
                "order": _("Already handed over by %(who)s at %(when)s.")
                % {
                    "who": order.handed_by.name if order.handed_by else "",
                    "when": timezone.localtime(order.served_at).strftime("%H:%M") if order.served_at else "",
                }
            }
        )
    if not_home and order.status == OrderStatus.NOT_HOME:
        raise ValidationError(
            {
                "order": _("Already marked not at home by %(who)s at %(when)s.")
                % {
                    "who": order.handed_by.name if order.handed_by else "",
                    "when": timezone.localtime(order.served_at).strftime("%H:%M") if order.served_at else "",
                }
            }
        )
    if order.status not in (OrderStatus.ORDERED, OrderStatus.NOT_HOME):
        raise ValidationError(
            {"order": _("This order is %(status)s.") % {"status": order.get_status_display()}}
        )


def _locked(run: RouteRun, order_id: int, user: User, scope: Scope) -> Order:
    if not may_deliver(user, scope, run):
        raise PermissionDenied(
            _("Only the round's deliverer, its volunteers or the point's staff confirm it.")
        )
    order = order_in_run(run, order_id)
    Order.objects.select_for_update().filter(pk=order.pk).first()
    order.refresh_from_db()
    return order


@transaction.atomic
def hand_over(
    user: User, run: RouteRun, order_id: int, *, scope: Scope, now: datetime | None = None
) -> Order:
    order = _locked(run, order_id, user, scope)
    _refuse_done(order, not_home=False)
    order.status = OrderStatus.DELIVERED
    order.served_at = now or timezone.now()
    order.handed_by = user
    order.save(update_fields=["status", "served_at", "handed_by"])
    _started(run, order.served_at)
    return order


@transaction.atomic
def not_at_home(
    user: User, run: RouteRun, order_id: int, *, scope: Scope, note: str = "", now: datetime | None = None
) -> Order:
    """Nobody answered. For a resident on the elderly watch, a concern is raised there at once."""

    order = _locked(run, order_id, user, scope)
    _refuse_done(order, not_home=True)
    now = now or timezone.now()
    note = _text(note, 200)
    order.status = OrderStatus.NOT_HOME
    order.served_at = now
    order.handed_by = user
    if note:
        order.delivery_note = note
    order.save(update_fields=["status", "served_at", "handed_by", "delivery_note"])
    _started(run, now)
    watch = Watch.objects.filter(resident_id=order.diner.resident_id, status=WatchStatus.ACTIVE).first()
    if watch is not None:
        said = _("Meal delivery: %(name)s was not seen at home (%(meal)s, %(when)s, %(route)s).") % {
            "name": order.diner.resident.name,
            "meal": order.get_meal_display(),
            "when": timezone.localtime(now).strftime("%H:%M"),
            "route": run.route.name,
        }
        report_concern(watch, by=user, note=f"{said} {note}".strip(), now=now)
    return order


def _started(run: RouteRun, when: datetime) -> None:
    if run.started_at is None:
        run.started_at = when
        run.save(update_fields=["started_at"])


# --- Whose rounds, and the day's deliveries ----------------------------------------------------


def my_rounds(user: User, day: date) -> list[RouteRun]:
    """The rounds of ``day`` given to ``user``, directly or through a claimed shift."""
    q = Q(deliverer=user) | Q(shift__claims__volunteer__user=user, shift__claims__status="claimed")
    return list(
        RouteRun.objects.filter(q, day=day, route__archived_at__isnull=True)
        .select_related("route__point")
        .distinct()
        .order_by("meal", "route__position", "pk")
    )


@dataclass
class RoundCount:
    run: RouteRun
    delivered: int = 0
    not_home: int = 0
    left: int = 0


@dataclass
class PointDeliveries:
    point: DiningPoint
    rounds: list[RoundCount]

    @property
    def not_home(self) -> int:
        return sum(r.not_home for r in self.rounds)


def day_deliveries(scope: Scope, day: date) -> list[PointDeliveries]:
    """Per point the active role runs, the day's rounds with delivered / not at home / left
    counts: three queries however many points and rounds."""
    if not scope.can(Capability.RUN_MEALS):
        return []
    runs_ = list(
        scope.restrict(RouteRun.objects.filter(day=day))
        .select_related("route__point", "deliverer")
        .order_by("route__point__name", "route__point_id", "meal", "route__position", "pk")
    )
    if not runs_:
        return []
    stop_route = dict(
        RouteStop.objects.filter(route_id__in={r.route_id for r in runs_}).values_list(
            "building_id", "route_id"
        )
    )
    counts: dict[tuple[int, str, str], int] = defaultdict(int)
    rows = (
        Order.objects.live()
        .filter(day=day, mode=Mode.DELIVERED, point_id__in={r.route.point_id for r in runs_})
        .values("meal", "status", "diner__resident__household__building_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        route_id = stop_route.get(row["diner__resident__household__building_id"])
        if route_id is not None:
            counts[(route_id, row["meal"], row["status"])] += row["n"]
    per_point: dict[int, PointDeliveries] = {}
    for run in runs_:
        key = (run.route_id, run.meal)
        count = RoundCount(
            run,
            delivered=counts[(*key, OrderStatus.DELIVERED)],
            not_home=counts[(*key, OrderStatus.NOT_HOME)],
            left=counts[(*key, OrderStatus.ORDERED)],
        )
        per_point.setdefault(run.route.point_id, PointDeliveries(run.route.point, [])).rounds.append(count)
    return list(per_point.values())
