"""Staff pages: the committee's activities, writing and publishing one (or a weekly series),
the list at the door with check-in and walk-ins, the sign-in sheet, the scanned pass, the
week's calendar, the beneficiaries, and the review afterwards."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.phone import mask_phone
from activities import selectors, services, signups
from activities.forms import ActivityForm, ReviewForm
from activities.models import Activity, Signup, SignupStatus
from activities.sign_in_sheet import SheetContent, SheetRow, render_sign_in_sheet
from areas.selectors import breadcrumbs, figures_area
from common.downloads import named
from common.forms import form_errors, id_in, ids_in, posted, show_errors
from common.schemas import day_or_none, year_or_none
from common.scope import Capability, staff_scope
from registry.models import Resident
from registry.selectors import search_residents

PER_PAGE = 25


def _own(scope, activity_id: int) -> Activity:
    return scope.get(Activity.objects.select_related("committee", "series", "review"), pk=activity_id)


@login_required
def manage(request):
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    page = Paginator(selectors.activities_in(scope), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/manage.html",
        {"page": page, "can_manage": scope.can(Capability.MANAGE_ACTIVITIES)},
    )


@login_required
def new(request):
    scope = staff_scope(request, Capability.MANAGE_ACTIVITIES)
    form = ActivityForm(posted(request), committee=scope.area)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_activity(
                request.user, scope, form.draft(), weeks=form.cleaned_data["weeks"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved as a draft: check it, then publish it."))
            return redirect("activities:edit", activity_id=made[0].pk)
    return render(request, "activities/edit.html", {"form": form, "activity": None})


@login_required
def edit(request, activity_id: int):
    scope = staff_scope(request, Capability.MANAGE_ACTIVITIES)
    activity = _own(scope, activity_id)
    form = ActivityForm(posted(request), committee=activity.committee, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(scope, activity, form.draft())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("activities:edit", activity_id=activity.pk)
    return render(request, "activities/edit.html", {"form": form, "activity": activity})


@login_required
@require_POST
def action(request, activity_id: int):
    """Publish, publish the whole series, cancel (with a reason)."""
    scope = staff_scope(request, Capability.MANAGE_ACTIVITIES)
    activity = _own(scope, activity_id)
    what = request.POST.get("action", "")
    try:
        if what == "publish":
            services.publish_activity(scope, activity)
            messages.success(request, _("Published: residents can see it and sign up."))
        elif what == "publish_series" and activity.series:
            for session in activity.series.activities.filter(
                published_at__isnull=True, cancelled_at__isnull=True
            ):
                services.publish_activity(scope, session)
            messages.success(request, _("Every session of the series is published."))
        elif what == "cancel":
            services.cancel_activity(scope, activity, request.POST.get("reason", ""))
            messages.success(request, _("Cancelled; everyone signed up is told."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("activities:edit", activity_id=activity.pk)


@login_required
def door(request, activity_id: int):
    """The list at the door: tick who came, add walk-ins, see the waiting list."""
    scope = staff_scope(request, Capability.MANAGE_ACTIVITIES)
    activity = _own(scope, activity_id)
    # The walk-in search is posted (an identity number stays out of the address and the logs).
    searched = request.method == "POST" and "q" in request.POST
    if request.method == "POST" and not searched:
        _door_post(request, scope, activity)
        return redirect("activities:door", activity_id=activity.pk)
    query = (request.POST if searched else request.GET).get("q", "").strip()[:50]
    found = (
        [
            p
            for p in search_residents(scope, query, by_identity=searched)
            if p.is_living and p.committee_id == activity.committee_id
        ]
        if query
        else []
    )
    rows = selectors.door_list(activity)
    return render(
        request,
        "activities/door.html",
        {
            "activity": activity,
            "rows": [r for r in rows if r.status != SignupStatus.CANCELLED],
            "cancelled": [r for r in rows if r.status == SignupStatus.CANCELLED],
            "came": sum(1 for r in rows if r.checked_in_at),
            "waiting": sum(1 for r in rows if r.is_waiting),
            "query": query,
            "found": found,
            "check_in_problem": signups.check_in_problem(activity),
        },
    )


def _door_post(request, scope, activity: Activity) -> None:
    what = request.POST.get("action", "")
    try:
        if what == "check_in":
            ids = ids_in(request.POST.getlist("signups"))
            items = list(Signup.objects.filter(activity=activity, pk__in=ids, checked_in_at__isnull=True))
            for item in items:
                signups.check_in(request.user, scope, item)
            messages.success(request, _("%(n)d checked in.") % {"n": len(items)})
        elif what == "paper":
            ids = ids_in(request.POST.getlist("signups"))
            chosen = list(Signup.objects.filter(activity=activity, pk__in=ids).select_related("resident"))
            done = signups.enter_paper_sheet(
                request.user, scope, activity, chosen, request.POST.get("reason", "")
            )
            messages.success(request, _("%(n)d entered from the paper sheet.") % {"n": len(done)})
        elif what == "undo":
            item = get_object_or_404(Signup, activity=activity, pk=id_in(request.POST.get("signup")))
            signups.undo_check_in(scope, item)
        elif what == "walk_in":
            person = scope.get(Resident.objects.living(), pk=id_in(request.POST.get("resident")))
            signups.walk_in(request.user, scope, activity, person)
            messages.success(request, _("%(name)s is signed up and checked in.") % {"name": person.name})
        elif what == "cancel":
            item = get_object_or_404(Signup, activity=activity, pk=id_in(request.POST.get("signup")))
            signups.cancel_signup(request.user, item, scope=scope)
    except ValidationError as error:
        show_errors(request, error)


@login_required
def sheet(request, activity_id: int):
    """The printed 签到表: everyone signed up, in order, and blank lines for walk-ins."""
    scope = staff_scope(request, Capability.MANAGE_ACTIVITIES)
    activity = _own(scope, activity_id)
    rows = []
    for item in selectors.door_list(activity):
        if item.status == SignupStatus.CANCELLED:
            continue
        if item.status == SignupStatus.WAITING:
            status = _("Waiting %(n)d") % {"n": signups.waiting_position(item)}
        else:
            status = item.get_via_display() if item.via == "walk_in" else item.get_status_display()
        person = item.resident
        rows.append(
            SheetRow(
                name=person.name,
                address=person.household.address,
                phone=mask_phone(person.phone) if person.phone else "",
                status=str(status),
                checked_in=item.checked_in_at is not None,
                waiting=item.is_waiting,
            )
        )
    content = SheetContent(
        committee=activity.committee.name,
        title=activity.title,
        starts=activity.starts_at,
        ends=activity.ends_at,
        place=activity.place,
        capacity=activity.capacity,
        rows=tuple(rows),
        url=request.build_absolute_uri(activity.get_absolute_url()),
    )
    response = HttpResponse(render_sign_in_sheet(content), content_type="application/pdf")
    name = _("sign-in sheet %(title)s.pdf") % {"title": activity.title}
    return named(response, name, f"sign-in-{activity.pk}.pdf", inline=True)


@login_required
def scan(request, token: str):
    """Where a scanned pass lands on the staff phone: the resident and today's activities."""
    scope = staff_scope(request, Capability.MANAGE_ACTIVITIES)
    resident_id = signups.resident_from_token(token)
    person = (
        scope.restrict(Resident.objects.living().select_related("household__building"))
        .filter(pk=resident_id)
        .first()
        if resident_id
        else None
    )
    if person is None:
        return render(request, "activities/scan.html", {"person": None}, status=404)
    day = timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    today = list(
        scope.restrict(Activity.objects.published())
        .filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .order_by("starts_at")
    )
    live = {
        s.activity_id: s
        for s in Signup.objects.filter(resident=person, activity__in=today).exclude(
            status=SignupStatus.CANCELLED
        )
    }
    if request.method == "POST":
        activity = next((a for a in today if str(a.pk) == request.POST.get("activity")), None)
        if activity is not None:
            try:
                if activity.pk in live:
                    signups.check_in(request.user, scope, live[activity.pk])
                else:
                    signups.walk_in(request.user, scope, activity, person)
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(request, _("%(name)s is checked in.") % {"name": person.name})
        return redirect(request.path)
    return render(
        request, "activities/scan.html", {"person": person, "rows": [(a, live.get(a.pk)) for a in today]}
    )


@login_required
def calendar(request):
    """The committee's week, day by day."""
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    day = day_or_none(request.GET.get("week")) or timezone.localdate()
    start, end = selectors.week_bounds(day)
    local = timezone.localtime(start).date()
    return render(
        request,
        "activities/calendar.html",
        {
            "days": selectors.calendar(scope, start, end).items(),
            "start": local,
            "previous": (local - timedelta(days=7)).isoformat(),
            "next": (local + timedelta(days=7)).isoformat(),
        },
    )


def _month_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day.replace(day=1), time.min))


@login_required
def figures(request):
    """Beneficiaries (受益人次) and distinct residents: this year, by month, by committee, by activity."""
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    year = year_or_none(request.GET.get("year")) or timezone.localdate().year
    start = _month_start(date(year, 1, 1))
    end = _month_start(date(year + 1, 1, 1))
    area = figures_area(scope, request.GET.get("area", ""))
    return render(
        request,
        "activities/figures.html",
        {
            "year": year,
            "area": area,
            "crumbs": breadcrumbs(area, scope) if area != scope.area else [],
            "keep": f"year={year}",
            "total": selectors.beneficiaries(area, start, end),
            "months": selectors.beneficiaries_by_month(area, start, end),
            "parts": selectors.beneficiaries_by_part(area, start, end),
            "activities": selectors.by_activity(area, start, end)[:100],
        },
    )


@login_required
def review(request, activity_id: int):
    """After the activity: a summary and photos, published as community news."""
    scope = staff_scope(request, Capability.MANAGE_ACTIVITIES)
    activity = _own(scope, activity_id)
    form = ReviewForm(posted(request), request.FILES or None, initial={"summary": activity.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_review(
                request.user, scope, activity, form.cleaned_data["summary"], form.cleaned_data["photos"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The review is published in the community news."))
            return redirect(reverse("notices:detail", args=[activity.review_id]))
    return render(request, "activities/review.html", {"form": form, "activity": activity})
