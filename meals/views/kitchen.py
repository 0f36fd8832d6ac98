"""The kitchen's sheet of a day and the bag labels (PDF): for staff running the point."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from common.downloads import named
from common.schemas import day_or_none
from common.scope import Capability, staff_scope
from meals import kitchen as sheets
from meals.labels import labels_pdf
from meals.models import MealKind, PointMeal
from meals.rules import seen_point_or_404


def _point(request, point_id: int):
    return seen_point_or_404(staff_scope(request, Capability.RUN_MEALS), point_id)


@login_required
def kitchen(request, point_id: int):
    point = _point(request, point_id)
    today = timezone.localdate()
    day = day_or_none(request.GET.get("day")) or today
    meals = sheets.sheet(point, day)
    delivering = list(
        PointMeal.objects.filter(point=point).order_by("serves_from", "pk").values_list("meal", flat=True)
    )
    names = dict(MealKind.choices)
    return render(
        request,
        "meals/kitchen/sheet.html",
        {
            "point": point,
            "day": day,
            "today": today,
            "tomorrow": today + timedelta(days=1),
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "meals": meals,
            "label_meals": [(m, names.get(m, m)) for m in delivering],
        },
    )


@login_required
def labels(request, point_id: int):
    point = _point(request, point_id)
    day = day_or_none(request.GET.get("day")) or timezone.localdate()
    meal = request.GET.get("meal") or MealKind.LUNCH
    if meal not in MealKind.values:
        meal = MealKind.LUNCH
    response = HttpResponse(labels_pdf(point, day, meal), content_type="application/pdf")
    return named(
        response,
        f"送餐标签-{point.name}-{day:%Y%m%d}.pdf",
        f"labels-{point.pk}-{day:%Y%m%d}-{meal}.pdf",
        inline=True,
    )
