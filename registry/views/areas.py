"""The registry by area: an area's figures and parts, a building's doors, lists of residents
(with bulk tagging), and search."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from areas.models import Area, AreaLevel
from areas.selectors import breadcrumbs, committee_of, counts_by_level
from areas.services import place_buildings
from common.forms import ids_in
from common.scope import Capability, staff_scope
from registry import selectors, services
from registry.community_map import METRICS, build_plan
from registry.forms import BulkTagForm
from registry.models import ResidentStatus, Tag
from registry.views.common import area_in_scope, trail

RESIDENTS_PER_PAGE = 50


@login_required
def index(request):
    """The registry of the active role's area."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    return redirect("registry:area", code=scope.area.code)


@login_required
def area(request, code: str):
    """Figures of any area in scope; a building shows its doors and the people behind them."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    place = area_in_scope(scope, code)
    context = {
        "area": place,
        "crumbs": breadcrumbs(place, scope),
        "can_edit": scope.can(Capability.EDIT_REGISTRY) and not place.is_retired,
    }
    if place.level == AreaLevel.BUILDING:
        context["households"] = selectors.households_of(place)
        context["figures"] = selectors.overview(place)
        return render(request, "registry/building.html", context)
    context["overview"] = selectors.overview(place)
    context["units"] = counts_by_level(place)
    context["by_committee"] = place.level in (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET)
    context["leaders"] = selectors.leaders_of(place) if place.level == AreaLevel.BUILDING_GROUP else []
    return render(request, "registry/area.html", context)


@login_required
def residents(request, code: str):
    """Residents under an area, optionally with one tag (e.g. everyone living alone)."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    place = area_in_scope(scope, code)
    tag = request.GET.get("tag", "")
    tag = tag if tag in Tag.values else ""
    status = request.GET.get("status", ResidentStatus.LIVING)
    status = status if status in ResidentStatus.values else ResidentStatus.LIVING
    people = selectors.residents_in(scope, place, tag=tag, status=status)
    page = Paginator(people, RESIDENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(
        {k: v for k, v in (("tag", tag), ("status", status if status != ResidentStatus.LIVING else "")) if v}
    )
    context = {
        "area": place,
        "crumbs": breadcrumbs(place, scope),
        "page": page,
        "tag": tag,
        "tag_label": Tag(tag).label if tag else "",
        "status": status,
        "query": query,
        "tags": Tag.choices,
        "statuses": ResidentStatus.choices,
        "can_edit": scope.can(Capability.EDIT_REGISTRY),
        "bulk_form": BulkTagForm(initial={"tag": tag}) if scope.can(Capability.EDIT_REGISTRY) else None,
    }
    return render(request, "registry/residents.html", context)


@require_POST
@login_required
def bulk_tag(request, code: str):
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    place = area_in_scope(scope, code)
    ids = ids_in(request.POST.getlist("residents"))
    form = BulkTagForm(request.POST, resident_ids=ids)
    back = request.POST.get("next") or ""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        add = form.cleaned_data["action"] == BulkTagForm.ADD
        tag = form.cleaned_data["tag"]
        try:
            changed = services.bulk_tag(
                scope, form.cleaned_data["residents"], tag, add=add, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            label = Tag(tag).label
            text = (
                ngettext("Tagged %(n)d resident “%(tag)s”.", "Tagged %(n)d residents “%(tag)s”.", changed)
                if add
                else ngettext(
                    "Removed “%(tag)s” from %(n)d resident.",
                    "Removed “%(tag)s” from %(n)d residents.",
                    changed,
                )
            )
            messages.success(request, text % {"n": changed, "tag": label})
    return redirect(_residents_url(place.code, back))


def _residents_url(code: str, query: str = "") -> str:
    """Back to the list as it was: only its own filters are carried over."""
    kept = {k: v for k, v in QueryDict(query).items() if k in ("tag", "status", "page") and len(v) < 30}
    url = reverse("registry:residents", args=[code])
    return f"{url}?{urlencode(kept)}" if kept else url


@login_required
def search(request):
    """The search form posts (with htmx, its results replace the old ones): what it carries,
    an identity number above all, stays out of the address and so out of every access log.
    An address with ``?q=`` still finds by name, pinyin, phone or room, never by an identity
    number."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    posted_search = request.method == "POST"
    text = (request.POST if posted_search else request.GET).get("q", "")[:50]
    refused = not posted_search and selectors.is_identity_query(text)
    if refused:
        text = ""
    results = selectors.search_residents(scope, text, by_identity=posted_search)
    return render(
        request,
        "registry/search.html",
        {
            "q": text,
            "results": results,
            "limit": selectors.SEARCH_LIMIT,
            "area": scope.area,
            "refused": refused,
        },
    )


@login_required
def community_map(request, code: str):
    """The committee's buildings on a plan, coloured by the chosen figure."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    place = area_in_scope(scope, code)
    if place.level != AreaLevel.COMMITTEE:
        committee = committee_of(place)
        if committee is None or not scope.covers(committee):
            raise Http404
        return redirect(f"{reverse('registry:map', args=[committee.code])}?{request.GET.urlencode()}")
    metric = request.GET.get("metric", "residents")
    plan = build_plan(place, metric)
    context = {
        "area": place,
        "crumbs": trail(place, scope),
        "plan": plan,
        "metrics": [(key, m.label) for key, m in METRICS.items()],
        "can_place": scope.can(Capability.MANAGE_AREAS),
        "ranked": sorted(plan.cells, key=lambda c: (-c.value, c.building.path)),
    }
    return render(request, "registry/map.html", context)


@login_required
def map_place(request, code: str):
    """Where each building stands on the plan, in percent across and down."""
    scope = staff_scope(request, Capability.MANAGE_AREAS)
    place = area_in_scope(scope, code)
    if place.level != AreaLevel.COMMITTEE:
        raise Http404
    buildings = list(
        Area.objects.subtree(place)
        .filter(level=AreaLevel.BUILDING)
        .active()
        .select_related("parent")
        .order_by("path")
    )
    problems = []
    if request.method == "POST":
        positions = {}
        for building in buildings:
            x, y = (request.POST.get(f"{axis}-{building.pk}", "").strip() for axis in ("x", "y"))
            try:
                positions[building.pk] = (Decimal(x), Decimal(y)) if x and y else None
            except InvalidOperation:
                problems.append(_("%(name)s: positions are numbers from 0 to 100.") % {"name": building.name})
        if not problems:
            try:
                changed = place_buildings(scope, positions)
            except ValidationError as error:
                problems += error.messages
            else:
                messages.success(
                    request,
                    ngettext("%(n)d building moved.", "%(n)d buildings moved.", changed) % {"n": changed},
                )
                return redirect("registry:map", code=place.code)
    context = {
        "area": place,
        "crumbs": breadcrumbs(place, scope),
        "buildings": buildings,
        "problems": problems,
    }
    return render(request, "registry/map_place.html", context)
