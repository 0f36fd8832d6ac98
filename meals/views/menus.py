"""Dishes and weekly menus: staff's pages (a point's weeks and dishes, one week's set meals,
publishing, the A4 poster) and the residents' week (``meals:week``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, posted, show_errors
from common.scope import Capability, get_or_404, staff_scope
from meals import menus as services
from meals.forms.menus import DishForm, SetMealForm, WeekForm
from meals.models import Dish, Menu, SetMeal
from meals.poster import poster_response
from meals.rules import keeps, seen_points_q
from meals.views.points import point_of_staff
from registry.selectors import committees_of


def _staff(request):
    return staff_scope(request, Capability.RUN_MEALS)


def menu_of_staff(request, menu_id: int) -> Menu:
    scope = _staff(request)
    return get_or_404(
        Menu.objects.filter(seen_points_q(scope, "point__"), point__closed_at__isnull=True).select_related(
            "point__area"
        ),
        _("No such menu."),
        pk=menu_id,
    )


def _dish_of_staff(request, dish_id: int) -> Dish:
    scope = _staff(request)
    return get_or_404(
        Dish.objects.filter(seen_points_q(scope, "point__"), point__closed_at__isnull=True).select_related(
            "point__area"
        ),
        _("No such dish."),
        pk=dish_id,
    )


def _set_meal_of_staff(request, set_meal_id: int) -> SetMeal:
    scope = _staff(request)
    return get_or_404(
        SetMeal.objects.filter(seen_points_q(scope, "menu__point__"), menu__point__closed_at__isnull=True)
        .select_related("menu__point__area")
        .prefetch_related("dishes"),
        _("No such set meal."),
        pk=set_meal_id,
    )


@login_required
def menus(request, point_id: int):
    """A point's weeks (start one, or copy one) and its dishes."""
    found = point_of_staff(request, point_id)
    weeks = Menu.objects.filter(point=found).order_by("-week_start")
    form = WeekForm(posted(request), menus=weeks)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["copy_from"] is not None:
                made = services.copy_menu(data["copy_from"], data["week_start"], scope=request.scope)
            else:
                made = services.create_menu(found, data["week_start"], scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The week is ready: add or check its set meals, then publish."))
            return redirect(made)
    return render(
        request,
        "meals/menus/menus.html",
        {
            "point": found,
            "weeks": list(weeks),
            "dishes": services.name_tags(found.dishes.current()),
            "form": form,
            "may_keep": keeps(request.scope, found),
        },
    )


@login_required
def menu(request, menu_id: int):
    """One week: its set meals day by day; add one (a correction once published); publish."""
    found = menu_of_staff(request, menu_id)
    point = found.point
    found = services.with_set_meals(Menu.objects.filter(pk=found.pk)).get()
    form = SetMealForm(
        posted(request),
        menu=found,
        dishes=point.dishes.current(),
        meals=list(point.meals.values_list("meal", flat=True)),
    )
    if form.is_valid():
        try:
            services.add_set_meal(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Set meal added."))
            return redirect(found)
    return render(
        request,
        "meals/menus/menu.html",
        {
            "menu": found,
            "point": point,
            "days": services.week_grid(found),
            "form": form,
            "may_keep": keeps(request.scope, point),
        },
    )


@login_required
@require_POST
def menu_publish(request, menu_id: int):
    found = menu_of_staff(request, menu_id)
    try:
        services.publish(found, scope=request.scope, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Published: the residents served are told."))
    return redirect(found)


@login_required
def set_meal(request, set_meal_id: int):
    found = _set_meal_of_staff(request, set_meal_id)
    menu_ = found.menu
    point = menu_.point
    form = SetMealForm(
        posted(request),
        menu=menu_,
        dishes=point.dishes.filter(
            pk__in=[d.pk for d in point.dishes.current()] + [d.pk for d in found.dishes.all()]
        ),
        meals=list(point.meals.values_list("meal", flat=True)),
        initial={
            "day": found.day.isoformat(),
            "meal": found.meal,
            "label": found.label,
            "price": found.price,
            "dishes": [d.pk for d in found.dishes.all()],
        },
    )
    if form.is_valid():
        try:
            services.change_set_meal(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(menu_)
    return render(
        request,
        "meals/menus/set_meal.html",
        {"set_meal": found, "menu": menu_, "form": form, "ordered": found.orders.count()},
    )


@login_required
@require_POST
def set_meal_remove(request, set_meal_id: int):
    found = _set_meal_of_staff(request, set_meal_id)
    try:
        services.remove_set_meal(found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("meals:set_meal", set_meal_id=found.pk)
    messages.success(request, _("Set meal removed."))
    return redirect(found.menu)


@login_required
def dish_new(request, point_id: int):
    found = point_of_staff(request, point_id)
    form = DishForm(posted(request))
    if form.is_valid():
        try:
            made = services.create_dish(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(dish)s added.") % {"dish": made.name})
            return redirect("meals:menus", point_id=found.pk)
    return render(request, "meals/menus/dish_form.html", {"form": form, "point": found, "dish": None})


@login_required
def dish(request, dish_id: int):
    found = _dish_of_staff(request, dish_id)
    form = DishForm(posted(request), dish=found)
    if form.is_valid():
        try:
            services.change_dish(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("meals:menus", point_id=found.point_id)
    return render(request, "meals/menus/dish_form.html", {"form": form, "point": found.point, "dish": found})


@login_required
@require_POST
def dish_archive(request, dish_id: int):
    found = _dish_of_staff(request, dish_id)
    try:
        services.archive_dish(found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("%(dish)s is no longer cooked.") % {"dish": found.name})
    return redirect("meals:menus", point_id=found.point_id)


@login_required
def poster(request, menu_id: int):
    """The week's menu as an A4 PDF to put up, with a QR code to order."""
    found = menu_of_staff(request, menu_id)
    found = services.with_set_meals(Menu.objects.filter(pk=found.pk)).get()
    return poster_response(found)


@login_required
def week(request):
    """This week's and next week's published menus of the points serving the resident (or the
    people they act for)."""
    menus_ = list(services.published_weeks(committees_of(request.user)))
    return render(
        request,
        "meals/menus/week.html",
        {
            "menus": [(m, services.week_grid(m)) for m in menus_],
        },
    )
