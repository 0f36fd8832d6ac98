"""Dining points: the staff landing with today's and tomorrow's counts, a point, its meals,
pausing, resuming and closing it. Staff with ``Capability.RUN_MEALS`` see the points they
run (``meals.rules.runs``); those over the point's area change it (``keeps``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, posted, show_errors
from common.scope import Capability, get_or_404, staff_scope
from meals import points as services
from meals.forms.points import MealForm, PauseForm, PointForm
from meals.models import DiningPoint, MealKind
from meals.rules import keeps, keeps_area, seen_points


def _staff(request):
    return staff_scope(request, Capability.RUN_MEALS)


def point_of_staff(request, point_id: int) -> DiningPoint:
    """A current point the staff member runs; 404 for any other."""
    return get_or_404(
        seen_points(_staff(request)).select_related("area", "site"), _("No such dining point."), pk=point_id
    )


@login_required
def index(request):
    """The points in scope, each meal with today's and tomorrow's places taken."""
    scope = _staff(request)
    return render(
        request,
        "meals/points/index.html",
        {"points": services.counts(scope), "may_add": keeps_area(scope, scope.area)},
    )


def _point_form(request, area, point=None):
    return PointForm(
        posted(request),
        sites=services.sites_for(area),
        committees=services.committees_to_serve(area),
        point=point,
    )


@login_required
def point_new(request):
    scope = _staff(request)
    if scope.area is None:
        return redirect("meals:index")
    form = _point_form(request, scope.area)
    if form.is_valid():
        try:
            made = services.create_point(form.draft(), scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("%(point)s added. Now add the meals it serves.") % {"point": made.name}
            )
            return redirect(made)
    return render(request, "meals/points/point_form.html", {"form": form, "point": None})


@login_required
def point(request, point_id: int):
    found = point_of_staff(request, point_id)
    return render(
        request,
        "meals/points/point.html",
        {
            "point": found,
            "serves": list(found.serves.order_by("path")),
            "meals": list(found.meals.all()),
            "may_keep": keeps(request.scope, found),
            "pause_form": PauseForm(),
            "meal_form": MealForm(),
        },
    )


@login_required
def point_edit(request, point_id: int):
    found = point_of_staff(request, point_id)
    form = _point_form(request, found.area, found)
    if form.is_valid():
        try:
            services.change_point(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    return render(request, "meals/points/point_form.html", {"form": form, "point": found})


@login_required
def point_meal(request, point_id: int):
    """Serve a meal, or change how it is served (``?meal=lunch`` opens it)."""
    found = point_of_staff(request, point_id)
    wanted = request.GET.get("meal", "")
    served = found.meals.filter(meal=wanted).first() if wanted in MealKind.values else None
    form = MealForm(posted(request), served=served)
    if form.is_valid():
        try:
            services.set_meal_served(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    return render(request, "meals/points/meal_form.html", {"form": form, "point": found, "served": served})


@login_required
@require_POST
def point_meal_stop(request, point_id: int):
    found = point_of_staff(request, point_id)
    served = found.meals.filter(meal=request.POST.get("meal", "")).first()
    if served is None:
        messages.error(request, _("The point does not serve that meal."))
        return redirect(found)
    try:
        services.stop_serving(served, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("%(meal)s is no longer served.") % {"meal": served.get_meal_display()})
    return redirect(found)


@login_required
@require_POST
def point_pause(request, point_id: int):
    found = point_of_staff(request, point_id)
    form = PauseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the point is paused."))
        return redirect(found)
    try:
        services.pause(found, form.cleaned_data["reason"], scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Paused: no new orders. Orders already taken are still served."))
    return redirect(found)


@login_required
@require_POST
def point_resume(request, point_id: int):
    found = point_of_staff(request, point_id)
    try:
        services.resume(found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Taking orders again."))
    return redirect(found)


@login_required
@require_POST
def point_close(request, point_id: int):
    found = point_of_staff(request, point_id)
    try:
        services.close(found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
        return redirect(found)
    messages.success(request, _("%(point)s is closed.") % {"point": found.name})
    return redirect("meals:index")
