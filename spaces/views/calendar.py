"""Check-in and no-show, calendars, figures, the xlsx: the pages, for staff keeping spaces."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.downloads import named
from common.forms import show_errors
from common.schemas import day_or_none
from common.scope import Capability, get_or_404, staff_scope
from spaces import attendance, calendars, figures
from spaces.models import Booking


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
def space_calendar(request, space_id: int):
    """A week of one space, Monday to Sunday (``?week=`` any day of it): open hours and bookings."""
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    space = get_or_404(calendars.staff_spaces(scope).select_related("area"), _("No such space."), pk=space_id)
    monday = calendars.week_of(day_or_none(request.GET.get("week")) or timezone.localdate())
    return render(
        request,
        "spaces/calendar/space.html",
        {
            "space": space,
            "days": calendars.space_week(space, monday),
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "now": timezone.now(),
        },
    )


@login_required
def area_calendar(request):
    """Every space of the committee (or street): one day (``?day=``) or its week (``&span=week``)."""
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    day = day_or_none(request.GET.get("day")) or timezone.localdate()
    week = request.GET.get("span") == "week"
    first = calendars.week_of(day) if week else day
    last = first + timedelta(days=6) if week else day
    step = timedelta(days=7 if week else 1)
    return render(
        request,
        "spaces/calendar/area.html",
        {
            "area": scope.area,
            "days": calendars.area_days(scope, scope.area, first, last),
            "week": week,
            "day": first,
            "previous": first - step,
            "next": first + step,
            "now": timezone.now(),
        },
    )


@login_required
def space_figures(request):
    """Per space and month (``?month=`` any day of it): hours booked against hours open, use,
    bookings and no-shows; and the spaces idle for 30 days."""
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    today = timezone.localdate()
    month = (day_or_none(request.GET.get("month")) or today).replace(day=1)
    return render(
        request,
        "spaces/calendar/figures.html",
        {
            "figures": figures.for_area(scope, scope.area, month),
            "previous": (month - timedelta(days=1)).replace(day=1),
            "next": (month + timedelta(days=31)).replace(day=1),
            "idle": figures.idle_spaces(scope, today),
            "today": today,
        },
    )


@login_required
def bookings_xlsx(request):
    """The bookings of a period (``?from=``, ``?to=``; this month by default) of the area."""
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    today = timezone.localdate()
    first = day_or_none(request.GET.get("from")) or today.replace(day=1)
    last = day_or_none(request.GET.get("to")) or figures.month_bounds(first)[1]
    if last < first or (last - first).days > calendars.MAX_EXPORT_DAYS:
        last = figures.month_bounds(first)[1]
    body = calendars.bookings_xlsx(scope, scope.area, first, last)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    span = f"{first:%Y%m%d}-{last:%Y%m%d}"
    return named(response, _("bookings %(span)s.xlsx") % {"span": span}, f"bookings-{span}.xlsx")


def _booking(request, booking_id: int) -> Booking:
    scope = staff_scope(request, Capability.MANAGE_SPACES)
    return get_or_404(
        Booking.objects.filter(space__in=calendars.staff_spaces(scope)).select_related("space__area"),
        _("No such booking."),
        pk=booking_id,
    )


@login_required
@require_POST
def booking_came(request, booking_id: int):
    found = _booking(request, booking_id)
    try:
        attendance.check_in(request.user, found, scope=request.scope)
        messages.success(request, _("Marked as come."))
    except ValidationError as error:
        show_errors(request, error)
    return _back(request, reverse("spaces:space_calendar", args=[found.space_id]))


@login_required
@require_POST
def booking_no_show(request, booking_id: int):
    found = _booking(request, booking_id)
    try:
        attendance.no_show(request.user, found, scope=request.scope)
        messages.success(request, _("Marked as not come."))
    except ValidationError as error:
        show_errors(request, error)
    return _back(request, reverse("spaces:space_calendar", args=[found.space_id]))
