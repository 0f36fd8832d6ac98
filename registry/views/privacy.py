"""Reveal with a reason, the access log, exports and a resident's own data download."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from common.downloads import named
from common.forms import posted
from common.scope import Capability, staff_scope
from registry import privacy
from registry.census.export import export_file_names, export_xlsx
from registry.forms import REASONS, ExportForm, RevealForm
from registry.models import AccessLog, RevealedField
from registry.views.common import area_in_scope, resident_in_scope, trail

LOG_PER_PAGE = 50
FIELDS = {
    "id_number": RevealedField.ID_NUMBER,
    "health": RevealedField.HEALTH,
    "key_notes": RevealedField.KEY_NOTES,
}


@never_cache
@login_required
def reveal(request, resident_id: int):
    """GET asks why; POST with a reason shows the full value once, in this response only."""
    scope = staff_scope(request, Capability.REVEAL_IDENTITY)
    person = resident_in_scope(scope, resident_id)
    field = FIELDS.get(request.GET.get("field") or request.POST.get("field") or "", RevealedField.ID_NUMBER)
    form = RevealForm(request.POST if request.method == "POST" else None)
    value = None
    if request.method == "POST" and form.is_valid():
        try:
            value = privacy.reveal(request.user, scope, person, field, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages)
    context = {
        "resident": person,
        "field": field,
        "field_key": next(k for k, v in FIELDS.items() if v == field),
        "field_label": RevealedField(field).label,
        "form": form,
        "value": value,
        "reasons": REASONS,
    }
    partial = request.headers.get("HX-Target") == "reveal-box"
    template = "registry/_revealed.html" if partial else "registry/reveal.html"
    return render(request, template, context)


@login_required
def access_log(request):
    """Who saw which full value, when and why: for the committee lead."""
    scope = staff_scope(request, Capability.READ_AUDIT)
    entries = scope.restrict(AccessLog.objects.select_related("actor", "resident")).order_by("-at", "-pk")
    page = Paginator(entries, LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "registry/access_log.html", {"page": page, "area": scope.area})


@login_required
def export(request, code: str):
    """The registry of an area as .xlsx: masked unless a lead asks otherwise, with a reason."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    place = area_in_scope(scope, code)
    form = ExportForm(posted(request))
    can_unmask = scope.can(Capability.EXPORT_UNMASKED)
    if request.method == "POST" and form.is_valid():
        unmasked = form.cleaned_data["unmasked"]
        if unmasked and not can_unmask:
            raise PermissionDenied
        path, count = export_xlsx(scope, place, unmasked=unmasked)
        if unmasked:
            privacy.log_export(request.user, scope, place, count, form.cleaned_data["reason"])
        stamp = timezone.localtime().strftime("%Y%m%d")
        response = named(FileResponse(path.open("rb")), *export_file_names(place, stamp, masked=not unmasked))
        path.unlink()  # the open handle keeps the data until the response is sent
        return response
    context = {"area": place, "crumbs": trail(place, scope), "form": form, "can_unmask": can_unmask}
    return render(request, "registry/export.html", context)


@never_cache
@login_required
def my_data(request):
    """Everything held about the logged-in person, as a JSON file (PIPL's right of access)."""
    data = privacy.own_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    return named(response, _("my data in Mulin.json"), "mulin-my-data.json")
