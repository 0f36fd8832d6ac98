"""Staff pages for requests: the queue with its filters, a request's page (triage and assign,
reply, internal note, start, resolve, decline, close, put into a project), and logging a
request for a resident who phoned, was visited or walked in."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.selectors import breadcrumbs, figures_area
from common.forms import form_errors, id_in, posted, show_errors
from common.scope import Capability, staff_scope
from demands import categories, projects, selectors, services
from demands.figures import figures as demand_figures
from demands.forms import (
    AssignForm,
    CategoryForm,
    LevelForm,
    LogForm,
    MessageForm,
    PeriodForm,
    QueueForm,
    ReasonForm,
    ResolveForm,
)
from demands.models import Assignee, Category, Demand, DemandSource, DemandStatus, ServiceProject
from demands.selectors import QueueFilter
from registry.selectors import search_residents
from registry.views.common import resident_in_scope

PER_PAGE = 25


def _scope(request):
    return staff_scope(request, Capability.HANDLE_DEMANDS)


def _own(scope, demand_id: int) -> Demand:
    return scope.get(selectors.with_details(), pk=demand_id)


@login_required
def queue(request):
    scope = _scope(request)
    now = timezone.now()
    form = QueueForm(request.GET or {"status": "open"}, committee=scope.area)
    data = form.cleaned_data if form.is_valid() else {"status": "open"}
    wanted = QueueFilter(
        status=data.get("status") or "",
        category=data.get("category"),
        assignee=data.get("assignee") or "",
        overdue=bool(data.get("overdue")),
        source=data.get("source") or "",
        text=data.get("text") or "",
    )
    page = Paginator(selectors.queue(scope, wanted, user=request.user, now=now), PER_PAGE).get_page(
        request.GET.get("page")
    )
    selectors.with_call_back(scope, page.object_list)
    return render(
        request,
        "demands/queue.html",
        {
            "page": page,
            "form": form,
            "counts": selectors.queue_counts(scope, now=now),
            "in_committee": scope.in_committee is not None,
            "query": request.GET.copy().urlencode() if request.GET else "",
        },
    )


@login_required
def detail(request, demand_id: int):
    scope = _scope(request)
    demand = _own(scope, demand_id)
    selectors.with_call_back(scope, [demand])
    in_committee = scope.in_committee is not None
    return render(
        request,
        "demands/detail.html",
        {
            "demand": demand,
            "events": selectors.timeline(demand, staff=True),
            "photos": list(demand.photos.all()),
            "overdue": demand.overdue_at(),
            "assign_form": AssignForm(demand=demand),
            "message_form": MessageForm(),
            "resolve_form": ResolveForm(),
            "reason_form": ReasonForm(),
            "projects": list(
                selectors.projects_in(scope).filter(
                    committee=demand.committee, status__in=["proposed", "in_progress"]
                )
            )
            if in_committee
            else [],
        },
    )


def _step(request, demand_id: int, action, success: str):
    scope = _scope(request)
    demand = _own(scope, demand_id)
    try:
        action(scope, demand)
    except ValidationError as error:
        show_errors(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Your active role may not do this."))
    else:
        messages.success(request, success)
    return redirect(demand)


@require_POST
@login_required
def assign(request, demand_id: int):
    scope = _scope(request)
    demand = _own(scope, demand_id)
    form = AssignForm(request.POST, demand=demand)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect(demand)
    data = form.cleaned_data
    return _step(
        request,
        demand_id,
        lambda s, d: services.assign(
            actor=request.user,
            scope=s,
            demand=d,
            kind=data["kind"],
            worker=data["worker"] if data["kind"] == Assignee.WORKER else None,
            unit=data["unit"] if data["kind"] == Assignee.PARTNER else None,
            name=data["name"],
            category=data["category"],
            note=data["note"],
        ),
        _("Assigned; the due time is on the request."),
    )


@require_POST
@login_required
def start(request, demand_id: int):
    return _step(
        request,
        demand_id,
        lambda s, d: services.start(actor=request.user, scope=s, demand=d),
        _("Marked as in progress."),
    )


@require_POST
@login_required
def respond(request, demand_id: int):
    internal = bool(request.POST.get("internal"))
    return _step(
        request,
        demand_id,
        lambda s, d: services.reply(
            actor=request.user, demand=d, text=request.POST.get("text", ""), scope=s, internal=internal
        ),
        _("Note saved for staff.") if internal else _("Reply sent; the resident is told."),
    )


@require_POST
@login_required
def resolve(request, demand_id: int):
    return _step(
        request,
        demand_id,
        lambda s, d: services.resolve(
            actor=request.user, scope=s, demand=d, resolution=request.POST.get("resolution", "")
        ),
        _("Resolved; the resident is asked to rate the result."),
    )


@require_POST
@login_required
def decline(request, demand_id: int):
    return _step(
        request,
        demand_id,
        lambda s, d: services.decline(
            actor=request.user, scope=s, demand=d, reason=request.POST.get("reason", "")
        ),
        _("Declined; the resident reads your reason."),
    )


@require_POST
@login_required
def close(request, demand_id: int):
    return _step(
        request,
        demand_id,
        lambda s, d: services.close(actor=request.user, scope=s, demand=d),
        _("Closed."),
    )


@require_POST
@login_required
def join_project(request, demand_id: int):
    scope = _scope(request)
    demand = _own(scope, demand_id)
    project = scope.get(ServiceProject.objects.all(), pk=id_in(request.POST.get("project")))
    return _step(
        request,
        demand_id,
        lambda s, d: projects.group(actor=request.user, scope=s, project=project, demands=[demand]),
        _("Added to the project “%(title)s”.") % {"title": project.title},
    )


@login_required
def log(request):
    """Find the resident (by name, room or phone), then say what they need."""
    scope = _scope(request)
    # The search is posted (an identity number stays out of the address and the logs).
    searched = request.method == "POST" and "q" in request.POST
    text = (request.POST if searched else request.GET).get("q", "").strip()[:50]
    chosen = request.GET.get("resident") or request.POST.get("resident")
    resident = resident_in_scope(scope, int(chosen)) if chosen and chosen.isdigit() else None
    if resident is not None and not resident.is_living:
        raise Http404
    form = None
    if resident is not None:
        form = LogForm(posted(request), request.FILES or None, committee=resident.committee)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                made = services.log_for_resident(
                    actor=request.user,
                    scope=scope,
                    resident=resident,
                    category=data["category"],
                    text=data["text"],
                    source=data["source"],
                    place=data["place"],
                    building=data["building"],
                    photos=data["photos"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Request #%(id)d logged for %(name)s.") % {"id": made.pk, "name": resident.name},
                )
                return redirect(made)
    found = (
        [r for r in search_residents(scope, text, by_identity=searched) if r.is_living]
        if text and resident is None
        else []
    )
    return render(
        request,
        "demands/log.html",
        {"q": text, "found": found, "resident": resident, "form": form, "sources": DemandSource},
    )


# --- Categories ----------------------------------------------------------------------------


@login_required
def category_list(request):
    scope = _scope(request)
    committee = scope.in_committee
    form = CategoryForm(posted(request))
    if request.method == "POST":
        categories.committee_in(scope)
        if form.is_valid():
            try:
                made = categories.add_category(scope=scope, **form.cleaned_data)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Category “%(name)s” added.") % {"name": made.name})
                return redirect("demands:categories")
    rows = list(categories.all_categories(committee)) if committee is not None else []
    return render(request, "demands/categories.html", {"rows": rows, "form": form, "committee": committee})


@require_POST
@login_required
def category_edit(request, category_id: int):
    scope = _scope(request)
    committee = categories.committee_in(scope)
    from django.db.models import Q

    category = get_object_or_404(
        Category.objects.filter(Q(committee=committee) | Q(committee__isnull=True)), pk=category_id
    )
    action = request.POST.get("action", "level")
    try:
        if action in ("retire", "restore"):
            categories.retire_category(scope=scope, category=category, retired=action == "retire")
            messages.success(
                request,
                (
                    _("“%(name)s” is no longer offered.")
                    if action == "retire"
                    else _("“%(name)s” is offered again.")
                )
                % {"name": category.name},
            )
        else:
            form = LevelForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    _("Give the hours as a whole number from 1 to %(max)d.") % {"max": categories.MAX_HOURS}
                )
            categories.set_service_level(
                scope=scope, category=category, hours=form.cleaned_data["service_hours"]
            )
            messages.success(request, _("Service level of “%(name)s” saved.") % {"name": category.name})
    except ValidationError as error:
        show_errors(request, error)
    return redirect("demands:categories")


# --- Figures -------------------------------------------------------------------------------


def _bounds(start, end) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


@login_required
def figures(request):
    scope = _scope(request)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    if not form.is_bound or not form.is_valid():
        form = PeriodForm(initial={"start": start, "end": end})
    lower, upper = _bounds(start, end)
    area = figures_area(scope, request.GET.get("area", ""))
    return render(
        request,
        "demands/figures.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "area": area,
            "crumbs": breadcrumbs(area, scope) if area != scope.area else [],
            "keep": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
            "figures": demand_figures(scope, lower, upper, now=timezone.now(), area=area),
            "statuses": DemandStatus,
        },
    )
