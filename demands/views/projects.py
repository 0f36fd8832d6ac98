"""Staff pages of service projects (形成服务项目): similar requests grouped, followed from
proposed to done. The queue, categories and figures are in ``staff``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, ids_in, posted, show_errors
from common.scope import Capability, staff_scope
from demands import categories, selectors
from demands.forms import ProjectForm, ProjectMoveForm
from demands.models import Demand, ProjectStatus
from demands.projects import MOVES, ProjectDraft, create_project, group, move_project, ungroup, update_project


def _scope(request):
    return staff_scope(request, Capability.HANDLE_DEMANDS)


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
            "can_create": scope.in_committee is not None,
        },
    )


@login_required
def project_new(request):
    scope = _scope(request)
    committee = categories.committee_in(scope)
    form = ProjectForm(posted(request), committee=committee)
    picked = ids_in(request.POST.getlist("demands") + request.GET.getlist("demands"))
    chosen = list(scope.restrict(Demand.objects.filter(pk__in=picked)).select_related("category"))
    if request.method == "POST" and form.is_valid():
        try:
            made = create_project(
                actor=request.user,
                scope=scope,
                draft=ProjectDraft(**form.cleaned_data),
                demands=chosen,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Project saved: group the requests it serves."))
            return redirect(made)
    return render(request, "demands/project_edit.html", {"form": form, "project": None, "chosen": chosen})


def _own_project(scope, project_id: int):
    return scope.get(selectors.projects_with_details(), pk=project_id)


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
            "demands": list(project.demands.all()),
            "candidates": [] if finished else selectors.groupable(project),
            "move_form": ProjectMoveForm(),
            "moves": MOVES[ProjectStatus(project.status)],
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
            update_project(scope=scope, project=project, draft=ProjectDraft(**form.cleaned_data))
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
        move_project(
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
    picked = ids_in(request.POST.getlist("demands"))
    remove = request.POST.get("remove", "")
    try:
        if remove.isdigit():
            gone = scope.get(Demand.objects.all(), pk=int(remove))
            ungroup(actor=request.user, scope=scope, project=project, demand=gone)
            messages.success(request, _("Request #%(id)d taken out of the project.") % {"id": gone.pk})
        else:
            chosen = list(scope.restrict(Demand.objects.filter(pk__in=picked)))
            n = group(actor=request.user, scope=scope, project=project, demands=chosen)
            messages.success(request, _("%(n)d requests added to the project.") % {"n": n})
    except ValidationError as error:
        show_errors(request, error)
    return redirect(project)
