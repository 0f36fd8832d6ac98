"""Staff pages around the queue: the committee's categories and service levels, service
projects grouping similar requests, and the figures per worker or per committee."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Level
from common.forms import form_errors, posted, show_errors
from common.scope import Capability, staff_scope
from demands import categories, projects, selectors
from demands.figures import figures as request_figures
from demands.forms import CategoryForm, LevelForm, PeriodForm, ProjectForm, ProjectMoveForm
from demands.models import Category, ProjectStatus, Request, Status
from demands.projects import ProjectDraft


def _scope(request):
    return staff_scope(request, Capability.HANDLE_REQUESTS)


def _committee(scope):
    area = scope.area
    return area if area is not None and area.level == Level.COMMITTEE else None


# --- Categories ----------------------------------------------------------------------------


@login_required
def category_list(request):
    scope = _scope(request)
    committee = _committee(scope)
    form = CategoryForm(posted(request))
    if request.method == "POST":
        if committee is None:
            raise PermissionDenied
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
    committee = _committee(scope)
    if committee is None:
        raise Http404
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


# --- Service projects ----------------------------------------------------------------------


@login_required
def project_list(request):
    scope = _scope(request)
    status = request.GET.get("status", "")
    if status not in ProjectStatus.values:
        status = ""
    return render(
        request,
        "demands/projects.html",
        {
            "projects": selectors.projects_in(scope, status)[:100],
            "status": status,
            "statuses": ProjectStatus.choices,
            "can_create": _committee(scope) is not None,
        },
    )


@login_required
def project_new(request):
    scope = _scope(request)
    committee = _committee(scope)
    if committee is None:
        raise PermissionDenied
    form = ProjectForm(posted(request), committee=committee)
    picked = [
        int(v) for v in request.POST.getlist("requests") + request.GET.getlist("requests") if v.isdigit()
    ]
    chosen = list(scope.restrict(Request.objects.filter(pk__in=picked)).select_related("category"))
    if request.method == "POST" and form.is_valid():
        try:
            made = projects.create_project(
                actor=request.user,
                scope=scope,
                draft=ProjectDraft(**form.cleaned_data),
                requests=chosen,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Project saved: group the requests it serves."))
            return redirect(made)
    return render(request, "demands/project_edit.html", {"form": form, "project": None, "chosen": chosen})


def _own_project(scope, project_id: int):
    project = selectors.own_project(scope, project_id)
    if project is None:
        raise Http404
    return project


@login_required
def project(request, project_id: int):
    scope = _scope(request)
    project = _own_project(scope, project_id)
    finished = project.status in (ProjectStatus.DONE, ProjectStatus.DROPPED)
    return render(
        request,
        "demands/project.html",
        {
            "project": project,
            "requests": list(project.requests.all()),
            "candidates": [] if finished else selectors.groupable(project),
            "move_form": ProjectMoveForm(),
            "moves": projects.MOVES[ProjectStatus(project.status)],
            "finished": finished,
        },
    )


@login_required
def project_edit(request, project_id: int):
    scope = _scope(request)
    project = _own_project(scope, project_id)
    initial = {"title": project.title, "description": project.description, "owner": project.owner_id}
    form = ProjectForm(posted(request), committee=project.committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            projects.update_project(scope=scope, project=project, draft=ProjectDraft(**form.cleaned_data))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(project)
    return render(request, "demands/project_edit.html", {"form": form, "project": project, "chosen": []})


@require_POST
@login_required
def project_move(request, project_id: int):
    scope = _scope(request)
    project = _own_project(scope, project_id)
    try:
        projects.move_project(
            actor=request.user,
            scope=scope,
            project=project,
            status=request.POST.get("status", ""),
            outcome=request.POST.get("outcome", ""),
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Project status saved."))
    return redirect(project)


@require_POST
@login_required
def project_group(request, project_id: int):
    scope = _scope(request)
    project = _own_project(scope, project_id)
    picked = [int(v) for v in request.POST.getlist("requests") if v.isdigit()]
    remove = request.POST.get("remove", "")
    try:
        if remove.isdigit():
            gone = get_object_or_404(scope.restrict(Request.objects.all()), pk=int(remove))
            projects.ungroup(actor=request.user, scope=scope, project=project, request=gone)
            messages.success(request, _("Request #%(id)d taken out of the project.") % {"id": gone.pk})
        else:
            chosen = list(scope.restrict(Request.objects.filter(pk__in=picked)))
            n = projects.group(actor=request.user, scope=scope, project=project, requests=chosen)
            messages.success(request, _("%(n)d requests added to the project.") % {"n": n})
    except ValidationError as error:
        show_errors(request, error)
    return redirect(project)


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
    return render(
        request,
        "demands/figures.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "figures": request_figures(scope, lower, upper, now=timezone.now()),
            "statuses": Status,
        },
    )
