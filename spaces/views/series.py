"""Repeating bookings and seasons of regular slots: the pages. Staff and team leaders make a
series after a preview of every date; staff approve, decline or cancel it as a whole; a
season's board shows every application with what stands in its way."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, posted, show_errors
from common.scope import get_or_404
from spaces import rules, seasons, series
from spaces.forms.series import AllocateForm, ApplicationForm, LastDayForm, ReasonForm, SeasonForm, SeriesForm
from spaces.models import Booking, Space

PER_PAGE_LIMIT = 200


def _series(request, series_id: int):
    return get_or_404(
        series.visible_to(request.user, request.scope), _("No such repeating booking."), pk=series_id
    )


def _space(request, space_id: int) -> Space:
    """A space the user may make a series in: staff's, or one open to the teams they lead."""
    found = get_or_404(Space.objects.bookable().select_related("area"), _("No such space."), pk=space_id)
    led = series.teams_led_by(request.user).select_related("area")
    if not any(series.may_make(request.user, found, team, request.scope) for team in [None, *led]):
        raise PermissionDenied(_("Only staff, or a team's leader, make repeating bookings."))
    return found


@login_required
def series_list(request):
    """The repeating bookings the user keeps or whose team they lead, newest first."""
    found = series.visible_to(request.user, request.scope).order_by("-first_day", "-pk")[:PER_PAGE_LIMIT]
    return render(request, "spaces/series/list.html", {"series_list": found})


@login_required
def series_new(request, space_id: int):
    """The form, then a preview of every date with its problem, then the series."""
    space = _space(request, space_id)
    teams = series.teams_led_by(request.user)
    if rules.manages(request.scope, space):
        teams = series.teams_for(space)
    form = SeriesForm(posted(request), teams=teams)
    checks = None
    if request.method == "POST" and form.is_valid():
        try:
            if "preview" in request.POST:
                checks = series.preview(form.draft(space))
            else:
                made = series.create(
                    request.user,
                    form.draft(space),
                    scope=request.scope,
                    skip_clashes=form.cleaned_data["skip_clashes"],
                )
                messages.success(request, _("Booked %(n)d dates.") % {"n": made.bookings.count()})
                return redirect(made)
        except ValidationError as error:
            form_errors(form, error)
    return render(request, "spaces/series/new.html", {"space": space, "form": form, "checks": checks})


@login_required
def series_detail(request, series_id: int):
    found = _series(request, series_id)
    dates = found.bookings.order_by("starts_at", "pk")
    return render(
        request,
        "spaces/series/detail.html",
        {
            "series": found,
            "dates": dates,
            "staff": rules.manages(request.scope, found.space),
            "may_change": series.may_change(request.user, found, request.scope),
            "pending": any(d.is_pending for d in dates),
            "reason_form": ReasonForm(),
            "last_day_form": LastDayForm(initial={"last_day": found.last_day}),
        },
    )


def _act(request, series_id: int, action) -> object:
    found = _series(request, series_id)
    try:
        action(found)
    except ValidationError as error:
        show_errors(request, error)
    return redirect(found)


@login_required
@require_POST
def series_approve(request, series_id: int):
    def act(found):
        series.approve(request.user, found, scope=request.scope)
        messages.success(request, _("Approved; the team is told."))

    return _act(request, series_id, act)


@login_required
@require_POST
def series_decline(request, series_id: int):
    def act(found):
        series.decline(request.user, found, request.POST.get("reason", ""), scope=request.scope)
        messages.success(request, _("Declined; the team is told why."))

    return _act(request, series_id, act)


@login_required
@require_POST
def series_cancel(request, series_id: int):
    def act(found):
        n = series.cancel_rest(request.user, found, request.POST.get("reason", ""), scope=request.scope)
        messages.success(request, _("%(n)d dates cancelled.") % {"n": n})

    return _act(request, series_id, act)


@login_required
@require_POST
def series_last_day(request, series_id: int):
    def act(found):
        form = LastDayForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Give the new last day."))
        series.change_last_day(
            request.user,
            found,
            form.cleaned_data["last_day"],
            scope=request.scope,
            skip_clashes=form.cleaned_data["skip_clashes"],
        )
        messages.success(request, _("The last day is changed."))

    return _act(request, series_id, act)


@login_required
@require_POST
def series_date_cancel(request, booking_id: int):
    visible = series.visible_to(request.user, request.scope)
    booking = get_or_404(
        Booking.objects.filter(series__in=visible).select_related("series__space__area", "series__team"),
        _("No such date."),
        pk=booking_id,
    )
    try:
        series.cancel_date(request.user, booking, request.POST.get("reason", ""), scope=request.scope)
        messages.success(request, _("That date is cancelled."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("spaces:series", booking.series_id)


# --- Seasons -------------------------------------------------------------------------------


@login_required
def season_list(request):
    """Seasons the user keeps or may apply in; staff create one here."""
    scope = request.scope
    area = scope.area
    may_create = area is not None and rules.manages_area(scope, area)
    form = SeasonForm(posted(request)) if may_create else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only staff keeping the area's spaces create seasons."))
        if form.is_valid():
            try:
                made = seasons.create_season(request.user, form.draft(area), scope=scope)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Season created: teams may apply in its window."))
                return redirect(made)
    found = seasons.visible_to(request.user, scope).order_by("-starts_on", "pk")[:PER_PAGE_LIMIT]
    return render(request, "spaces/series/seasons.html", {"seasons": found, "form": form})


@login_required
def season_detail(request, season_id: int):
    """Staff: the board (each application and what stands in its way). Leaders: apply, and
    their teams' applications."""
    found = get_or_404(seasons.visible_to(request.user, request.scope), _("No such season."), pk=season_id)
    staff = rules.manages_area(request.scope, found.area)
    teams = series.teams_led_by(request.user)
    form = ApplicationForm(posted(request), teams=teams, spaces=seasons.spaces_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            seasons.apply(request.user, found, form.draft(), scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Applied; staff allocate the slots when applications close."))
            return redirect(found)
    mine = [seasons.Row(a) for a in found.applications.filter(team__in=teams).select_related("team", "space")]
    return render(
        request,
        "spaces/series/season.html",
        {
            "season": found,
            "staff": staff,
            "rows": seasons.board(found) if staff else [],
            "mine": mine,
            "form": form if teams.exists() and found.taking_applications() else None,
            "allocate_form": AllocateForm(),
        },
    )


def _application(request, application_id: int):
    return get_or_404(
        seasons.applications_visible_to(request.user, request.scope),
        _("No such application."),
        pk=application_id,
    )


@login_required
@require_POST
def application_allocate(request, application_id: int):
    found = _application(request, application_id)
    try:
        seasons.allocate(
            request.user, found, scope=request.scope, skip_clashes=bool(request.POST.get("skip_clashes"))
        )
        messages.success(request, _("Allocated: the repeating booking is made."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect(found.season)


@login_required
@require_POST
def application_refuse(request, application_id: int):
    found = _application(request, application_id)
    try:
        seasons.refuse(request.user, found, request.POST.get("reason", ""), scope=request.scope)
        messages.success(request, _("Not allocated; the team is told when the season is finished."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect(found.season)


@login_required
@require_POST
def application_withdraw(request, application_id: int):
    found = _application(request, application_id)
    try:
        seasons.withdraw(request.user, found, scope=request.scope)
        messages.success(request, _("Withdrawn."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect(found.season)


@login_required
@require_POST
def season_finish(request, season_id: int):
    found = get_or_404(seasons.visible_to(request.user, request.scope), _("No such season."), pk=season_id)
    try:
        seasons.finish(request.user, found, scope=request.scope)
        messages.success(request, _("Allocation finished: each team is told once."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect(found)
