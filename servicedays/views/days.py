"""Service days and their stalls, planned month by month: the pages. Residents see the
published days of their committee and take numbers from a day's page; staff plan, publish,
cancel and repeat days and keep their stalls."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, posted, show_errors
from common.scope import Capability, get_or_404, staff_scope
from servicedays import figures, planning, queue, selectors
from servicedays.forms import CancelForm, DayForm, RepeatForm, StallForm, StallShiftForm
from servicedays.models import ServiceDay, Stall
from servicedays.rules import plans, runs_stall


def _visible(request, service_day_id: int) -> ServiceDay:
    return get_or_404(
        selectors.visible_to(request.user, request.scope), _("No such service day."), pk=service_day_id
    )


def _planned(request, service_day_id: int) -> ServiceDay:
    scope = staff_scope(request, Capability.RUN_SERVICE_DAYS)
    return scope.get(
        ServiceDay.objects.select_related("area", "site"), _("No service day of yours."), pk=service_day_id
    )


def _stall(request, stall_id: int) -> Stall:
    scope = staff_scope(request, Capability.RUN_SERVICE_DAYS)
    return scope.get(
        Stall.objects.select_related("service_day__area", "service_day__site"),
        _("No such stall."),
        pk=stall_id,
    )


def _month(text: str | None) -> date:
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        return date(year, month, 1) if 1900 <= year <= 2100 else timezone.localdate().replace(day=1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
def index(request):
    """The resident's coming service days, with their stalls."""
    days = selectors.upcoming_for(request.user, timezone.now())[:20]
    may_plan = request.scope.can(Capability.RUN_SERVICE_DAYS) and request.scope.path is not None
    return render(request, "servicedays/index.html", {"days": days, "may_plan": may_plan})


@login_required
def plan(request):
    """Staff: the days of a month (``?month=2026-12``), drafts and cancelled ones too."""
    scope = staff_scope(request, Capability.RUN_SERVICE_DAYS)
    first = _month(request.GET.get("month"))
    after = (first + timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(after, time.min))
    days = selectors.planned_by(scope).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at")
    return render(
        request,
        "servicedays/plan.html",
        {
            "days": list(days),
            "month": first,
            "previous": (first - timedelta(days=1)).strftime("%Y-%m"),
            "next": after.strftime("%Y-%m"),
            "may_add": scope.in_committee is not None,
        },
    )


@login_required
def day_new(request):
    scope = staff_scope(request, Capability.RUN_SERVICE_DAYS)
    area = scope.committee(_("Service days are planned in a committee role."))
    form = DayForm(posted(request), area=area)
    if form.is_valid():
        try:
            made = planning.create_day(request.user, form.draft(), scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved as a draft: add its stalls, then publish it."))
            return redirect(made)
    return render(request, "servicedays/day_form.html", {"form": form, "day": None})


@login_required
def day(request, service_day_id: int):
    found = _visible(request, service_day_id)
    stalls = selectors.stalls_of(found)
    mine = selectors.tickets_of(request.user, found)
    for stall in stalls:
        stall.mine = mine.get(stall.pk)  # type: ignore[attr-defined]
        stall.refusal = queue.refusal(stall, found)  # type: ignore[attr-defined]
    staff = plans(request.scope, found.area)
    return render(
        request,
        "servicedays/day.html",
        {
            "day": found,
            "stalls": stalls,
            "staff": staff,
            "consoles": [s for s in stalls if staff or runs_stall(request.user, s, request.scope)],
            "waits": figures.waits_of_day(found) if staff else [],
        },
    )


@login_required
def day_edit(request, service_day_id: int):
    found = _planned(request, service_day_id)
    form = DayForm(posted(request), area=found.area, day=found)
    if form.is_valid():
        try:
            planning.change_day(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    return render(request, "servicedays/day_form.html", {"form": form, "day": found})


@login_required
@require_POST
def day_publish(request, service_day_id: int):
    found = _planned(request, service_day_id)
    try:
        planning.publish_day(found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Published: the committee's residents are told."))
    return redirect(found)


@login_required
def day_cancel(request, service_day_id: int):
    found = _planned(request, service_day_id)
    form = CancelForm(posted(request))
    if form.is_valid():
        try:
            planning.cancel_day(found, form.cleaned_data["reason"], scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Cancelled."))
            return redirect(found)
    return render(request, "servicedays/day_cancel.html", {"form": form, "day": found})


@login_required
def day_repeat(request, service_day_id: int):
    """Repeat monthly: copies for the next N months, clashing dates listed and skipped."""
    found = _planned(request, service_day_id)
    form = RepeatForm(posted(request))
    result = None
    if form.is_valid():
        try:
            result = planning.repeat_monthly(
                request.user,
                found,
                form.cleaned_data["months"],
                scope=request.scope,
                by_weekday=form.cleaned_data["by_weekday"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(n)d days planned as drafts.") % {"n": len(result.made)})
    return render(request, "servicedays/day_repeat.html", {"form": form, "day": found, "result": result})


@login_required
def stall_new(request, service_day_id: int):
    found = _planned(request, service_day_id)
    form = StallForm(posted(request), area=found.area)
    if form.is_valid():
        try:
            planning.add_stall(found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Stall added."))
            return redirect(found)
    return render(request, "servicedays/stall_form.html", {"form": form, "day": found, "stall": None})


@login_required
def stall_edit(request, stall_id: int):
    stall = _stall(request, stall_id)
    day = stall.service_day
    form = StallForm(posted(request), area=day.area, stall=stall)
    shift_form = StallShiftForm()
    if form.is_valid():
        try:
            planning.change_stall(stall, form.draft(stall.position), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(day)
    return render(
        request,
        "servicedays/stall_form.html",
        {"form": form, "day": day, "stall": stall, "shift_form": shift_form},
    )


@login_required
@require_POST
def stall_remove(request, stall_id: int):
    stall = _stall(request, stall_id)
    try:
        planning.remove_stall(stall, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("servicedays:stall_edit", stall_id=stall.pk)
    messages.success(request, _("Stall removed."))
    return redirect(stall.service_day)


@login_required
@require_POST
def stall_shift(request, stall_id: int):
    """Post a volunteer shift for the stall (the volunteers' shift posting) and staff it."""
    stall = _stall(request, stall_id)
    form = StallShiftForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect("servicedays:stall_edit", stall_id=stall.pk)
    try:
        shift = planning.post_stall_shift(
            request.user, stall, form.cleaned_data["places"], scope=request.scope
        )
    except PermissionDenied as refusal:
        messages.error(request, str(refusal) or _("You may not post volunteer shifts."))
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request, _("Shift posted: volunteers may claim it now (%(title)s).") % {"title": shift.title}
        )
        return redirect(stall.service_day)
    return redirect("servicedays:stall_edit", stall_id=stall.pk)
