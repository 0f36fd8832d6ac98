"""Delivery routes (staff), the rounds of a day, the round sheet with its hand-overs, and the
deliverer's own rounds today, on a phone. Every action is a plain form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area
from common.forms import id_in, show_errors
from common.schemas import day_or_none
from common.scope import Capability, get_or_404, staff_scope
from meals import delivery
from meals.models import MealKind, PointMeal, Route, RouteRun, RouteStop
from meals.rules import runs, seen_point_or_404, seen_points
from registry.identity import mask_contact_phone


def _route(request, route_id: int) -> Route:
    scope = staff_scope(request, Capability.RUN_MEALS)
    return get_or_404(
        Route.objects.filter(point__in=seen_points(scope)).select_related("point__area", "deliverer"),
        _("No such route in your area."),
        pk=route_id,
    )


def _run(request, run_id: int) -> RouteRun:
    found = (
        RouteRun.objects.filter(pk=run_id).select_related("route__point__area", "deliverer", "shift").first()
    )
    if found is None or not delivery.may_deliver(request.user, request.scope, found):
        raise Http404(_("No such round of yours."))
    return found


def _user(request, field: str) -> User | None:
    pk = id_in(request.POST.get(field))
    return User.objects.filter(pk=pk).first() if pk else None


@login_required
def routes(request, point_id: int):
    scope = staff_scope(request, Capability.RUN_MEALS)
    point = seen_point_or_404(scope, point_id)
    day = day_or_none(request.GET.get("day") or request.POST.get("day")) or timezone.localdate()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "rounds":
                meal = request.POST.get("meal", "")
                if meal not in MealKind.values:
                    raise ValidationError({"meal": _("Choose a meal.")})
                made = delivery.ensure_runs(point, day, meal)
                messages.success(request, _("%(n)d rounds ready.") % {"n": len(made)})
            else:
                route = delivery.create_route(
                    point,
                    request.POST.get("name", ""),
                    scope=scope,
                    deliverer=_user(request, "deliverer"),
                    notes=request.POST.get("notes", ""),
                )
                return redirect("meals:route", route.pk)
        except ValidationError as error:
            show_errors(request, error)
        return redirect(f"{request.path}?day={day:%Y-%m-%d}")
    all_routes = list(
        Route.objects.current()
        .filter(point=point)
        .select_related("deliverer")
        .prefetch_related("stops__building")
    )
    rounds = list(
        RouteRun.objects.filter(route__point=point, day=day)
        .select_related("route", "deliverer", "shift")
        .order_by("meal", "route__position", "pk")
    )
    delivering = PointMeal.objects.filter(point=point, delivers=True).order_by("serves_from")
    names = dict(MealKind.choices)
    return render(
        request,
        "meals/delivery/routes.html",
        {
            "point": point,
            "day": day,
            "routes": all_routes,
            "rounds": rounds,
            "meals": [(m.meal, names[m.meal]) for m in delivering],
            "deliverers": delivery.deliverers(point),
        },
    )


@login_required
def route(request, route_id: int):
    found = _route(request, route_id)
    scope = request.scope
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "change":
                delivery.change_route(
                    found,
                    scope=scope,
                    name=request.POST.get("name", ""),
                    notes=request.POST.get("notes", ""),
                    deliverer=_user(request, "deliverer"),
                    clear_deliverer=not request.POST.get("deliverer"),
                )
            elif action == "archive":
                delivery.archive_route(found, scope=scope)
                return redirect("meals:routes", found.point_id)
            elif action == "add":
                building = Area.objects.filter(pk=id_in(request.POST.get("building"))).first()
                if building is None:
                    raise ValidationError({"building": _("Choose a building.")})
                delivery.add_stop(found, building, scope=scope)
            elif action in ("remove", "up", "down"):
                stop = RouteStop.objects.filter(route=found, pk=id_in(request.POST.get("stop"))).first()
                if stop is None:
                    raise ValidationError({"stop": _("No such stop on this route.")})
                if action == "remove":
                    delivery.remove_stop(stop, scope=scope)
                else:
                    delivery.move_stop(stop, up=action == "up", scope=scope)
        except ValidationError as error:
            show_errors(request, error)
        return redirect("meals:route", found.pk)
    stops = list(found.stops.select_related("building").order_by("position", "pk"))
    taken = set(RouteStop.objects.filter(point=found.point).values_list("building_id", flat=True))
    return render(
        request,
        "meals/delivery/route.html",
        {
            "route": found,
            "stops": stops,
            "buildings": [b for b in delivery.buildings_for(found.point) if b.pk not in taken],
            "deliverers": delivery.deliverers(found.point),
        },
    )


@login_required
def round(request, run_id: int):
    run = _run(request, run_id)
    point = run.route.point
    staff = runs(request.scope, point)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("assign", "shift") and not staff:
                raise PermissionDenied
            if action == "assign":
                delivery.assign(run, _user(request, "deliverer"), scope=request.scope)
            elif action == "shift":
                delivery.post_round_shift(request.user, run, scope=request.scope)
                messages.success(request, _("A volunteer shift is posted for this round."))
            elif action == "handed":
                order = delivery.hand_over(
                    request.user, run, id_in(request.POST.get("order")), scope=request.scope
                )
                messages.success(request, _("Handed over to %(name)s.") % {"name": order.diner.resident.name})
            elif action == "not_home":
                order = delivery.not_at_home(
                    request.user,
                    run,
                    id_in(request.POST.get("order")),
                    scope=request.scope,
                    note=request.POST.get("note", ""),
                )
                messages.warning(
                    request, _("%(name)s was not at home.") % {"name": order.diner.resident.name}
                )
        except ValidationError as error:
            show_errors(request, error)
        return redirect("meals:round", run.pk)
    stops = delivery.round_sheet(run)
    rows = [
        (stop, [(order, mask_contact_phone(order.diner.resident.phone)) for order in stop.orders])
        for stop in stops
    ]
    return render(
        request,
        "meals/delivery/round.html",
        {
            "run": run,
            "point": point,
            "rows": rows,
            "staff": staff,
            "deliverers": delivery.deliverers(point) if staff else [],
        },
    )


@login_required
def deliver(request):
    day = timezone.localdate()
    return render(
        request, "meals/delivery/deliver.html", {"day": day, "rounds": delivery.my_rounds(request.user, day)}
    )
