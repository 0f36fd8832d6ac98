"""The two front doors: the resident home and the staff workspace."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.roles import Capability
from accounts.scope import staff_scope
from areas.models import LEVEL_ORDER, Area, Level
from areas.selectors import counts_by_level


def home_committee(area: Area | None) -> Area | None:
    """The committee a resident's home area belongs to (the area itself if it is one)."""
    if area is None or area.level == Level.COMMITTEE:
        return area
    if LEVEL_ORDER[area.level] < LEVEL_ORDER[Level.COMMITTEE]:
        return None
    return Area.objects.filter(path__in=area.ancestor_paths(), level=Level.COMMITTEE).first()


def home(request):
    """The resident home: what Mulin is for visitors, a personal start page once logged in."""
    context = {}
    if request.user.is_authenticated:
        home_area = request.user.home_area
        context = {"home_area": home_area, "committee": home_committee(home_area)}
    return render(request, "home.html", context)


@login_required
def workspace(request):
    """The staff workspace for the active role's area."""
    if not request.scope.grant:
        return redirect("home")
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    area = scope.area
    return render(
        request,
        "workspace.html",
        {"area": area, "ancestors": list(area.ancestors()), "counts": counts_by_level(area)},
    )


def healthz(request):
    """For the load balancer and the benchmarks' trivial reference view."""
    return HttpResponse("ok", content_type="text/plain")
