"""Staff pages for requests: the queue with its filters, a request's page (triage and assign,
reply, internal note, start, resolve, decline, close, put into a project), and logging a
request for a resident who phoned, was visited or walked in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Level
from common.forms import form_errors, posted, show_errors
from common.scope import Capability, staff_scope
from demands import projects, selectors, services
from demands.forms import AssignForm, LogForm, MessageForm, QueueForm, ReasonForm, ResolveForm
from demands.models import Assignee, Request, ServiceProject, Source, Status
from demands.selectors import QueueFilter
from registry.selectors import search_residents
from registry.views.common import resident_in_scope

PER_PAGE = 25


def _scope(request):
    return staff_scope(request, Capability.HANDLE_REQUESTS)


def _own(scope, request_id: int) -> Request:
    demand = selectors.own_request(scope, request_id)
    if demand is None:
        raise Http404
    return demand


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
    return render(
        request,
        "demands/queue.html",
        {
            "page": page,
            "form": form,
            "counts": selectors.queue_counts(scope, now=now),
            "in_committee": scope.area is not None and scope.area.level == Level.COMMITTEE,
            "query": request.GET.copy().urlencode() if request.GET else "",
        },
    )


@login_required
def detail(request, request_id: int):
    scope = _scope(request)
    demand = _own(scope, request_id)
    in_committee = scope.area is not None and scope.area.level == Level.COMMITTEE
    return render(
        request,
        "demands/detail.html",
        {
            "demand": demand,
            "events": selectors.timeline(demand, staff=True),
            "photos": list(demand.photos.all()),
            "overdue": demand.overdue_at(),
            "assign_form": AssignForm(request=demand),
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
            "open_statuses": [Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED],
        },
    )


def _step(request, request_id: int, action, success: str):
    scope = _scope(request)
    demand = _own(scope, request_id)
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
def assign(request, request_id: int):
    scope = _scope(request)
    demand = _own(scope, request_id)
    form = AssignForm(request.POST, request=demand)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect(demand)
    data = form.cleaned_data
    return _step(
        request,
        request_id,
        lambda s, d: services.assign(
            actor=request.user,
            scope=s,
            request=d,
            kind=data["kind"],
            worker=data["worker"] if data["kind"] == Assignee.WORKER else None,
            name=data["name"],
            category=data["category"],
            note=data["note"],
        ),
        _("Assigned; the due time is on the request."),
    )


@require_POST
@login_required
def start(request, request_id: int):
    return _step(
        request,
        request_id,
        lambda s, d: services.start(actor=request.user, scope=s, request=d),
        _("Marked as in progress."),
    )


@require_POST
@login_required
def respond(request, request_id: int):
    internal = bool(request.POST.get("internal"))
    return _step(
        request,
        request_id,
        lambda s, d: services.reply(
            actor=request.user, request=d, text=request.POST.get("text", ""), scope=s, internal=internal
        ),
        _("Note saved for staff.") if internal else _("Reply sent; the resident is told."),
    )


@require_POST
@login_required
def resolve(request, request_id: int):
    return _step(
        request,
        request_id,
        lambda s, d: services.resolve(
            actor=request.user, scope=s, request=d, resolution=request.POST.get("resolution", "")
        ),
        _("Resolved; the resident is asked to rate the result."),
    )


@require_POST
@login_required
def decline(request, request_id: int):
    return _step(
        request,
        request_id,
        lambda s, d: services.decline(
            actor=request.user, scope=s, request=d, reason=request.POST.get("reason", "")
        ),
        _("Declined; the resident reads your reason."),
    )


@require_POST
@login_required
def close(request, request_id: int):
    return _step(
        request,
        request_id,
        lambda s, d: services.close(actor=request.user, scope=s, request=d),
        _("Closed."),
    )


@require_POST
@login_required
def join_project(request, request_id: int):
    scope = _scope(request)
    demand = _own(scope, request_id)
    project = get_object_or_404(
        scope.restrict(ServiceProject.objects.all()), pk=request.POST.get("project") or 0
    )
    return _step(
        request,
        request_id,
        lambda s, d: projects.group(actor=request.user, scope=s, project=project, requests=[demand]),
        _("Added to the project “%(title)s”.") % {"title": project.title},
    )


@login_required
def log(request):
    """Find the resident (by name, room or phone), then say what they need."""
    scope = _scope(request)
    text = request.GET.get("q", "").strip()
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
    found = [r for r in search_residents(scope, text) if r.is_living] if text and resident is None else []
    return render(
        request,
        "demands/log.html",
        {"q": text, "found": found, "resident": resident, "form": form, "sources": Source},
    )
