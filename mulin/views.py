"""The two front doors: the resident home and the staff workspace."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.roles import Capability
from accounts.scope import staff_scope


def home(request):
    """The resident home: public to all, personal once logged in."""
    return render(request, "home.html")


@login_required
def workspace(request):
    """The staff workspace for the active role's area."""
    if not request.scope.grant:
        return redirect("home")
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    return render(request, "workspace.html", {"area": scope.area})


def healthz(request):
    """For the load balancer and the benchmarks' trivial reference view."""
    return HttpResponse("ok", content_type="text/plain")
