"""Queue numbers: take, call, serve, the lobby display: the pages.

The resident's ticket page and the lobby display refresh a part of themselves every few
seconds through htmx polling, never a full reload. The lobby display needs no login: queue
numbers are not personal data, and it runs on a TV at the service point."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import is_htmx, show_errors
from common.scope import get_or_404
from servicedays import queue, selectors
from servicedays.models import ServiceDay, Stall, Ticket


def _takeable(request, stall_id: int) -> Stall:
    days = selectors.visible_to(request.user, request.scope)
    return get_or_404(
        Stall.objects.filter(service_day__in=days).select_related("service_day__area"),
        _("No such stall."),
        pk=stall_id,
    )


def _own_ticket(request, ticket_id: int) -> Ticket:
    return get_or_404(
        Ticket.objects.filter(user=request.user).select_related("stall__service_day"),
        _("No such number of yours."),
        pk=ticket_id,
    )


def _console(request, stall_id: int) -> Stall:
    return selectors.console_stall(request.user, request.scope, stall_id)


def _handled(request, ticket_id: int) -> Ticket:
    return selectors.handled_ticket(request.user, request.scope, ticket_id)


# --- Residents ------------------------------------------------------------------------------------


@login_required
@require_POST
def take(request, stall_id: int):
    stall = _takeable(request, stall_id)
    try:
        ticket = queue.take_number(request.user, stall)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
    except ValidationError as error:
        show_errors(request, error)
    else:
        return redirect("servicedays:ticket", ticket_id=ticket.pk)
    return redirect(stall.service_day)


def _ticket_context(ticket: Ticket) -> dict:
    return {
        "ticket": ticket,
        "ahead": selectors.ahead_of(ticket),
        "calling": selectors.now_calling(ticket.stall),
    }


@login_required
def ticket(request, ticket_id: int):
    """My number, how many are ahead, and when it is called; refreshes itself."""
    found = _own_ticket(request, ticket_id)
    return render(
        request, "servicedays/ticket.html", {**_ticket_context(found), "day": found.stall.service_day}
    )


@login_required
def ticket_status(request, ticket_id: int):
    """The part of the ticket page that htmx polls (the whole page when opened directly)."""
    found = _own_ticket(request, ticket_id)
    if not is_htmx(request):
        return ticket(request, ticket_id)
    return render(request, "servicedays/_ticket_status.html", _ticket_context(found))


@login_required
@require_POST
def ticket_give_up(request, ticket_id: int):
    found = _own_ticket(request, ticket_id)
    try:
        queue.give_up(request.user, found)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("servicedays:ticket", ticket_id=found.pk)
    messages.success(request, _("You have left the queue."))
    return redirect(found.stall.service_day)


# --- The stall's console ------------------------------------------------------------------------


@login_required
def console(request, stall_id: int):
    stall = _console(request, stall_id)
    called = list(
        Ticket.objects.filter(
            stall=stall, called_at__isnull=False, served_at__isnull=True, absent_at__isnull=True
        )
        .exclude(cancelled_at__isnull=False)
        .order_by("-called_at")[:10]
    )
    return render(
        request,
        "servicedays/console.html",
        {
            "stall": stall,
            "day": stall.service_day,
            "waiting": Ticket.objects.filter(stall=stall).waiting().count(),
            "called": called,
            "paper": request.GET.get("paper", ""),
        },
    )


def _stall_action(request, stall_id: int, action, done: str):
    stall = _console(request, stall_id)
    try:
        result = action(request.user, stall, scope=request.scope)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, done % {"number": getattr(result, "number", ""), "stall": stall.name})
        if isinstance(result, Ticket) and result.paper:
            return redirect(f"{reverse('servicedays:console', args=[stall.pk])}?paper={result.number}")
    return redirect("servicedays:console", stall_id=stall.pk)


@login_required
@require_POST
def stall_open(request, stall_id: int):
    return _stall_action(request, stall_id, queue.open_stall, _("%(stall)s is open: numbers may be taken."))


@login_required
@require_POST
def stall_close(request, stall_id: int):
    return _stall_action(request, stall_id, queue.close_stall, _("%(stall)s is closed to new numbers."))


@login_required
@require_POST
def call_next(request, stall_id: int):
    return _stall_action(request, stall_id, queue.call_next, _("Calling number %(number)s."))


@login_required
@require_POST
def paper(request, stall_id: int):
    return _stall_action(
        request, stall_id, queue.hand_out_paper, _("Paper number %(number)s: write it on the ticket.")
    )


def _ticket_action(request, ticket_id: int, action, done: str):
    found = _handled(request, ticket_id)
    try:
        action(request.user, found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, done % {"number": found.number})
    return redirect("servicedays:console", stall_id=found.stall_id)


@login_required
@require_POST
def ticket_recall(request, ticket_id: int):
    return _ticket_action(request, ticket_id, queue.recall, _("Calling number %(number)s again."))


@login_required
@require_POST
def ticket_served(request, ticket_id: int):
    return _ticket_action(request, ticket_id, queue.mark_served, _("Number %(number)s served."))


@login_required
@require_POST
def ticket_absent(request, ticket_id: int):
    return _ticket_action(request, ticket_id, queue.mark_absent, _("Number %(number)s marked absent."))


# --- The lobby display (public) ------------------------------------------------------------------


def _lobby_day(service_day_id: int) -> ServiceDay:
    return get_object_or_404(ServiceDay.objects.published().select_related("site"), pk=service_day_id)


def lobby(request, service_day_id: int):
    """For a TV at the service point: the last numbers called per stall, in large type."""
    found = _lobby_day(service_day_id)
    return render(request, "servicedays/lobby.html", {"day": found, "stalls": selectors.lobby(found)})


def lobby_board(request, service_day_id: int):
    """The part of the lobby display htmx fetches every few seconds: two queries (the whole
    page when opened directly)."""
    found = _lobby_day(service_day_id)
    template = "servicedays/_lobby_board.html" if is_htmx(request) else "servicedays/lobby.html"
    return render(request, template, {"day": found, "stalls": selectors.lobby(found)})
