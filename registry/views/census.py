"""The census import pages: upload for a dry run, read the report, apply or discard; the
template for download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Area, AreaLevel
from common.downloads import named
from common.forms import posted, show_errors
from common.scope import Capability, staff_scope
from registry.census import uploads
from registry.census.columns import COLUMNS
from registry.census.export import template_csv, template_xlsx
from registry.forms import ImportForm
from registry.models import CensusImport

RECENT = 20


def _committees(scope):
    return list(
        scope.restrict(Area.objects.filter(level=AreaLevel.COMMITTEE)).active().order_by("path")[:500]
    )


@login_required
def imports(request):
    """Upload a sheet for its dry run; the recent imports of the area below."""
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    committees = _committees(scope)
    form = ImportForm(
        posted(request), request.FILES if request.method == "POST" else None, committees=committees
    )
    if request.method == "POST" and form.is_valid():
        committee = next(c for c in committees if c.code == form.cleaned_data["committee"])
        try:
            census = uploads.check_upload(request.user, scope, committee, form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file" if hasattr(error, "error_dict") else None, error.messages)
        else:
            return redirect("registry:import_detail", import_id=census.pk)
    recent = scope.restrict(CensusImport.objects.select_related("committee", "created_by")).order_by(
        "-created_at"
    )
    context = {
        "form": form,
        "recent": recent[:RECENT],
        "columns": COLUMNS,
        "area": scope.area,
    }
    return render(request, "registry/import.html", context)


def _census(scope, import_id: int) -> CensusImport:
    return scope.get(CensusImport.objects.select_related("committee"), pk=import_id)


@login_required
def import_detail(request, import_id: int):
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    census = _census(scope, import_id)
    return render(
        request,
        "registry/import_detail.html",
        {
            "census": census,
            "report": census.report,
            "has_problem_file": uploads.problems_file(census) is not None,
        },
    )


@require_POST
@login_required
def import_action(request, import_id: int):
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    census = _census(scope, import_id)
    action = request.POST.get("action")
    try:
        if action == "apply":
            uploads.apply_upload(request.user, scope, census)
            if census.is_applied:
                messages.success(
                    request,
                    _("The census of %(committee)s is applied.") % {"committee": census.committee.name},
                )
            else:
                messages.error(
                    request, _("Something changed since the dry run; nothing was written. See the report.")
                )
        elif action == "discard":
            uploads.discard_upload(request.user, scope, census)
            messages.success(request, _("The upload is discarded; nothing was written."))
        else:
            raise Http404
    except ValidationError as error:
        show_errors(request, error)
    return redirect("registry:import_detail", import_id=census.pk)


@login_required
def import_problems(request, import_id: int):
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    census = _census(scope, import_id)
    path = uploads.problems_file(census)
    if path is None:
        raise Http404
    name = _("%(file)s, problems.csv") % {"file": census.file_name}
    return named(FileResponse(path.open("rb")), name, f"census-{census.pk}-problems.csv")


@login_required
def template_download_xlsx(request):
    staff_scope(request, Capability.VIEW_PEOPLE)
    path = template_xlsx()
    response = named(FileResponse(path.open("rb")), _("census template.xlsx"), "census-template.xlsx")
    path.unlink()
    return response


@login_required
def template_download_csv(request):
    staff_scope(request, Capability.VIEW_PEOPLE)
    response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    return named(response, _("census template.csv"), "census-template.csv")
