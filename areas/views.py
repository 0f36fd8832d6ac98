"""Area pages for staff: browse and search the tree within scope; committees define their
own grids, building groups and buildings. Every lookup goes through the request's scope,
so an area outside it is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas import selectors, services
from areas.forms import LocalAreaForm, NewLocalAreaForm
from areas.models import Area, local_child_levels
from common.scope import Capability, Scope, staff_scope

# Form prefixes: the area page holds the "add" and "change" forms at once.
NEW, EDIT = "new", "edit"


def _area_in_scope(scope: Scope, code: str, *, local_only: bool = False) -> Area:
    areas = scope.restrict(Area.objects.select_related("parent"))
    if local_only:
        areas = areas.filter(official=False)
    return get_object_or_404(areas, code=code)


@login_required
def detail(request, code: str):
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    area = _area_in_scope(scope, code)
    can_manage = scope.can(Capability.MANAGE_AREAS)
    child_levels = local_child_levels(area.level) if can_manage and not area.is_retired else []
    context = {
        "area": area,
        "crumbs": selectors.breadcrumbs(area, scope),
        "children": list(selectors.children_with_counts(area)),
        "counts": selectors.counts_by_level(area),
        "can_manage": can_manage and not area.official,
        "new_form": NewLocalAreaForm(levels=child_levels, prefix=NEW) if child_levels else None,
        "edit_form": LocalAreaForm(initial={"name": area.name, "sort_order": area.sort_order}, prefix=EDIT)
        if can_manage and not area.official and not area.is_retired
        else None,
    }
    return render(request, "areas/detail.html", context)


@login_required
def search(request):
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    text = request.GET.get("q", "")[:100]
    results = selectors.search_areas(scope, text)
    return render(
        request,
        "areas/search.html",
        {"q": text, "results": results, "limit": selectors.SEARCH_LIMIT, "scope_area": scope.area},
    )


@login_required
def create_child(request, code: str):
    scope = staff_scope(request, Capability.MANAGE_AREAS)
    parent = _area_in_scope(scope, code)
    levels = local_child_levels(parent.level)
    if not levels or parent.is_retired:
        raise Http404
    form = NewLocalAreaForm(
        request.POST or None, levels=levels, initial={"level": request.GET.get("level")}, prefix=NEW
    )
    if request.method == "POST" and form.is_valid():
        try:
            area = services.create_local_area(parent, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Added %(name)s to %(parent)s.") % {"name": area.name, "parent": parent.name}
            )
            return redirect(parent)
    return render(request, "areas/create.html", {"parent": parent, "form": form})


@login_required
def edit(request, code: str):
    scope = staff_scope(request, Capability.MANAGE_AREAS)
    area = _area_in_scope(scope, code, local_only=True)
    if area.is_retired:
        raise Http404
    form = LocalAreaForm(
        request.POST or None, initial={"name": area.name, "sort_order": area.sort_order}, prefix=EDIT
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_local_area(area, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": area.name})
            return redirect(area)
    return render(request, "areas/edit.html", {"area": area, "form": form})


@login_required
def retire(request, code: str):
    """GET asks for confirmation; POST with ``confirm`` retires."""
    scope = staff_scope(request, Capability.MANAGE_AREAS)
    area = _area_in_scope(scope, code, local_only=True)
    if area.is_retired:
        return redirect(area)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        retired = services.retire_area(area)
        messages.success(
            request,
            _("%(name)s is retired, with %(n)d unit(s) under it. It stays on record and can be restored.")
            % {"name": area.name, "n": retired},
        )
        assert area.parent is not None  # a local area always hangs under another area
        return redirect(area.parent)
    below = selectors.counts_by_level(area)
    return render(request, "areas/retire.html", {"area": area, "below": below})


@require_POST
@login_required
def restore(request, code: str):
    scope = staff_scope(request, Capability.MANAGE_AREAS)
    area = _area_in_scope(scope, code, local_only=True)
    try:
        below = services.restore_area(area)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("%(name)s is back, with %(n)d unit(s) under it.") % {"name": area.name, "n": below}
        )
    return redirect(area)
