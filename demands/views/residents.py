"""What residents (and family members acting for them) do: list their requests, submit one
from a phone (photos included, JavaScript not needed), follow its timeline, reply, rate the
result, reopen it, withdraw it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, posted, show_errors
from common.scope import Capability, get_or_404
from demands import selectors, services
from demands.forms import MessageForm, RateForm, ReasonForm, SubmitForm
from demands.models import Demand, DemandPhoto, DemandStatus
from registry.selectors import people_of


def _mine(request, demand_id: int) -> Demand:
    """A request for the user or someone they act for; anything else does not exist."""
    return get_or_404(selectors.of_resident(request.user), pk=demand_id)


@login_required
def index(request):
    people = people_of(request.user)
    demands = list(selectors.demands_of(request.user)[:100])
    return render(
        request,
        "demands/index.html",
        {
            "people": people,
            "open": [d for d in demands if d.is_open],
            "done": [d for d in demands if not d.is_open],
            "now": timezone.now(),
        },
    )


@login_required
def new(request):
    people = people_of(request.user)
    if not people:
        return render(request, "demands/new.html", {"form": None, "people": people})
    form = SubmitForm(posted(request), request.FILES or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = next((p for p in people if p.pk == data.get("resident")), people[0])
        try:
            made = services.submit(
                actor=request.user,
                resident=person,
                category=data["category"],
                text=data["text"],
                place=data["place"],
                building=data["building"],
                photos=data["photos"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you: request #%(id)d is with the committee. You can follow it here.")
                % {"id": made.pk},
            )
            return redirect(made.resident_url())
    return render(request, "demands/new.html", {"form": form, "people": people})


@login_required
def show(request, demand_id: int):
    demand = selectors.readable_by_resident(request.user, demand_id)
    if demand is None:
        staff = selectors.own_demand(request.scope, demand_id)
        if staff is not None and request.scope.can(Capability.HANDLE_DEMANDS):
            return redirect(staff)
        raise Http404
    now = timezone.now()
    reopen_until = demand.resolved_at + timedelta(days=services.reopen_days()) if demand.resolved_at else None
    return render(
        request,
        "demands/show.html",
        {
            "demand": demand,
            "events": selectors.timeline(demand, staff=False),
            "photos": selectors.photos_of(demand),
            "message_form": MessageForm(),
            "rate_form": RateForm(),
            "reason_form": ReasonForm(),
            "can_rate": demand.status in (DemandStatus.RESOLVED, DemandStatus.CLOSED)
            and demand.rating is None,
            "can_reopen": demand.status in (DemandStatus.RESOLVED, DemandStatus.CLOSED)
            and reopen_until is not None
            and now <= reopen_until,
            "reopen_until": reopen_until,
            "can_reply": demand.status
            not in (DemandStatus.CLOSED, DemandStatus.WITHDRAWN, DemandStatus.DECLINED),
        },
    )


def _act(request, demand_id: int, action, success: str):
    demand = _mine(request, demand_id)
    try:
        action(demand)
    except ValidationError as error:
        show_errors(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    else:
        messages.success(request, success)
    return redirect(demand.resident_url())


@require_POST
@login_required
def reply(request, demand_id: int):
    return _act(
        request,
        demand_id,
        lambda d: services.reply(
            actor=request.user, demand=d, text=request.POST.get("text", ""), scope=request.scope
        ),
        _("Sent: the committee sees your message."),
    )


@require_POST
@login_required
def rate(request, demand_id: int):
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose from 1 (not satisfied) to 5 (very satisfied)."))
        return redirect(_mine(request, demand_id).resident_url())
    return _act(
        request,
        demand_id,
        lambda d: services.rate(
            actor=request.user,
            demand=d,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        ),
        _("Thank you for rating the result."),
    )


@require_POST
@login_required
def reopen(request, demand_id: int):
    return _act(
        request,
        demand_id,
        lambda d: services.reopen(actor=request.user, demand=d, reason=request.POST.get("reason", "")),
        _("Reopened: the committee will look at it again."),
    )


@require_POST
@login_required
def withdraw(request, demand_id: int):
    return _act(
        request,
        demand_id,
        lambda d: services.withdraw(actor=request.user, demand=d, reason=request.POST.get("reason", "")),
        _("Withdrawn."),
    )


@login_required
def photo(request, demand_id: int, photo_id: int):
    """Photos only for the request's resident, their family and the committee's staff."""
    demand = selectors.readable_by_resident(request.user, demand_id)
    if demand is None and request.scope.can(Capability.HANDLE_DEMANDS):
        demand = selectors.own_demand(request.scope, demand_id)
    if demand is None:
        raise Http404
    item = get_object_or_404(DemandPhoto, pk=photo_id, demand=demand)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, filename=item.name)
