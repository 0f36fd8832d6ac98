"""The pages of a request as the partner unit it is given to sees it: what is needed and
where, the timeline without staff notes, and the unit's reply, start and "done". Any request
not given to a unit the login acts for answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import show_errors
from common.scope import Capability, get_or_404, staff_scope
from demands import selectors, services
from demands.forms import ResolveForm
from demands.partners import given_to_units_of


def _given(request, demand_id: int):
    scope = staff_scope(request, Capability.SERVE_AS_PARTNER)
    return scope, get_or_404(
        given_to_units_of(request.user, scope), _("Not a request given to your unit."), pk=demand_id
    )


@login_required
def unit_request(request, demand_id: int):
    _scope, demand = _given(request, demand_id)
    return render(
        request,
        "demands/unit_request.html",
        {
            "demand": demand,
            "events": selectors.timeline(demand, staff=False),
            "resolve_form": ResolveForm(),
        },
    )


def _step(request, demand_id: int, action, success: str):
    scope, demand = _given(request, demand_id)
    try:
        action(scope, demand)
    except ValidationError as error:
        show_errors(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Your active role may not do this."))
    else:
        messages.success(request, success)
    return redirect("demands:unit_request", demand_id=demand.pk)


@require_POST
@login_required
def unit_reply(request, demand_id: int):
    return _step(
        request,
        demand_id,
        lambda s, d: services.reply(actor=request.user, demand=d, text=request.POST.get("text", ""), scope=s),
        _("Sent; the resident is told."),
    )


@require_POST
@login_required
def unit_start(request, demand_id: int):
    return _step(
        request,
        demand_id,
        lambda s, d: services.start(actor=request.user, scope=s, demand=d),
        _("Marked as started."),
    )


@require_POST
@login_required
def unit_resolve(request, demand_id: int):
    return _step(
        request,
        demand_id,
        lambda s, d: services.resolve(
            actor=request.user, scope=s, demand=d, resolution=request.POST.get("resolution", "")
        ),
        _("Marked as done; the resident is asked to rate it."),
    )
