"""The two front doors: the resident home and the staff workspace."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from activities.selectors import upcoming_signups
from areas.selectors import committee_of, counts_by_level
from common.scope import Capability, staff_scope
from eldercare.models import WatchStatus
from eldercare.selectors import watches_of_user
from mulin.home import cared_for, meals_today, next_meal
from notices.selectors import feed_for
from notifications.services import unread_count
from spaces.figures import idle_spaces

HOME_NOTICES = 5


def home(request):
    """The resident home: what Mulin is for visitors, a personal start page once logged in."""
    context = {}
    if request.user.is_authenticated:
        home_area = request.user.home_area
        context = {
            "home_area": home_area,
            "committee": committee_of(home_area) if home_area else None,
            "notices": feed_for(request.user, limit=HOME_NOTICES),
            "unread_messages": unread_count(request.user),
            "my_signups": upcoming_signups(request.user),
            "watching": watches_of_user(request.user).filter(status=WatchStatus.ACTIVE).count(),
            "cared": cared_for(request.user),
            "next_meal": next_meal(request.user, timezone.localdate()),
        }
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
        {
            "area": area,
            "ancestors": list(area.ancestors()),
            "counts": counts_by_level(area),
            "idle_spaces": idle_spaces(scope, timezone.localdate()),
            "meals_today": meals_today(scope, timezone.localdate()),
        },
    )


def healthz(request):
    """For the load balancer and the benchmarks' trivial reference view."""
    return HttpResponse("ok", content_type="text/plain")
