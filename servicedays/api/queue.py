"""Queue numbers: take, call, serve, the lobby display: the API. The same services as the
pages; the lobby display is public (queue numbers are not personal data)."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from common.api import ERRORS, id_path
from common.scope import get_or_404
from servicedays import queue, selectors
from servicedays.models import ServiceDay, Stall, Ticket

router = Router(tags=["servicedays"])
STALL_ID = id_path("A stall's id.")
TICKET_ID = id_path("A queue ticket's id.")
DAY_ID = id_path("A service day's id.")


class QueueTicketOut(Schema):
    id: int
    stall: int
    number: int
    paper: bool
    taken_at: datetime
    called_at: datetime | None
    recalled_at: datetime | None
    served_at: datetime | None
    absent_at: datetime | None
    cancelled_at: datetime | None

    @staticmethod
    def resolve_stall(obj: Ticket) -> int:
        return obj.stall_id


class MyQueueTicketOut(QueueTicketOut):
    ahead: int = Field(description="How many are waiting before this number.")
    now_calling: int | None = Field(description="The number last called at the stall.")

    @staticmethod
    def resolve_ahead(obj: Ticket) -> int:
        return selectors.ahead_of(obj)

    @staticmethod
    def resolve_now_calling(obj: Ticket) -> int | None:
        calling = selectors.now_calling(obj.stall)
        return calling.number if calling else None


class QueueStallOut(Schema):
    id: int
    name: str
    is_open: bool
    is_closed: bool
    last_number: int
    max_tickets: int | None
    waiting: int


class LobbyStallOut(Schema):
    stall: int
    name: str
    current: int | None
    earlier: list[int]
    waiting: int


class LobbyOut(Schema):
    service_day: int
    title: str
    stalls: list[LobbyStallOut]


def _takeable(request, stall_id: int) -> Stall:
    days = selectors.visible_to(request.user, request.scope)
    return get_or_404(Stall.objects.filter(service_day__in=days), _("No such stall."), pk=stall_id)


def _own(request, ticket_id: int) -> Ticket:
    return get_or_404(Ticket.objects.filter(user=request.user), _("No such number of yours."), pk=ticket_id)


def _console(request, stall_id: int) -> Stall:
    return selectors.console_stall(request.user, request.scope, stall_id)


def _handled(request, ticket_id: int) -> Ticket:
    return selectors.handled_ticket(request.user, request.scope, ticket_id)


def _stall_out(stall: Stall) -> Stall:
    stall.waiting = Ticket.objects.filter(stall=stall).waiting().count()  # type: ignore[attr-defined]
    return stall


def _mine(ticket: Ticket) -> Ticket:
    return ticket


@router.post(
    "/stalls/{int:stall_id}/tickets", response={201: MyQueueTicketOut, **ERRORS}, summary="Take a number"
)
def take_number(request, stall_id: int = STALL_ID):
    """One live number per person per stall, at an open stall of a published day."""
    return Status(201, _mine(queue.take_number(request.user, _takeable(request, stall_id))))


@router.get("/tickets/{int:ticket_id}", response={200: MyQueueTicketOut, **ERRORS}, summary="My number")
def my_ticket(request, ticket_id: int = TICKET_ID):
    """Your number, how many are ahead of you and the number now called."""
    return _mine(_own(request, ticket_id))


@router.post(
    "/tickets/{int:ticket_id}/give-up", response={200: QueueTicketOut, **ERRORS}, summary="Leave the queue"
)
def give_up(request, ticket_id: int = TICKET_ID):
    return queue.give_up(request.user, _own(request, ticket_id))


@router.get(
    "/stalls/{int:stall_id}/queue", response={200: QueueStallOut, **ERRORS}, summary="A stall's queue"
)
def stall_queue(request, stall_id: int = STALL_ID):
    stall = _console(request, stall_id)
    return _stall_out(stall)


@router.post("/stalls/{int:stall_id}/open", response={200: QueueStallOut, **ERRORS}, summary="Open the stall")
def open_stall(request, stall_id: int = STALL_ID):
    stall = queue.open_stall(request.user, _console(request, stall_id), scope=request.scope)
    return _stall_out(stall)


@router.post(
    "/stalls/{int:stall_id}/close", response={200: QueueStallOut, **ERRORS}, summary="Close the stall"
)
def close_stall(request, stall_id: int = STALL_ID):
    stall = queue.close_stall(request.user, _console(request, stall_id), scope=request.scope)
    return _stall_out(stall)


@router.post(
    "/stalls/{int:stall_id}/call", response={200: QueueTicketOut, **ERRORS}, summary="Call the next number"
)
def call_next(request, stall_id: int = STALL_ID):
    return queue.call_next(request.user, _console(request, stall_id), scope=request.scope)


@router.post(
    "/stalls/{int:stall_id}/paper", response={201: QueueTicketOut, **ERRORS}, summary="A paper number"
)
def paper(request, stall_id: int = STALL_ID):
    """A numbered paper ticket for someone without a phone, from the same sequence."""
    return Status(201, queue.hand_out_paper(request.user, _console(request, stall_id), scope=request.scope))


@router.post(
    "/tickets/{int:ticket_id}/recall", response={200: QueueTicketOut, **ERRORS}, summary="Call again"
)
def recall(request, ticket_id: int = TICKET_ID):
    return queue.recall(request.user, _handled(request, ticket_id), scope=request.scope)


@router.post("/tickets/{int:ticket_id}/served", response={200: QueueTicketOut, **ERRORS}, summary="Served")
def served(request, ticket_id: int = TICKET_ID):
    return queue.mark_served(request.user, _handled(request, ticket_id), scope=request.scope)


@router.post(
    "/tickets/{int:ticket_id}/absent", response={200: QueueTicketOut, **ERRORS}, summary="Did not come"
)
def absent(request, ticket_id: int = TICKET_ID):
    return queue.mark_absent(request.user, _handled(request, ticket_id), scope=request.scope)


@router.get(
    "/days/{int:service_day_id}/lobby",
    response={200: LobbyOut, 404: ERRORS[404], 422: ERRORS[422]},
    auth=None,
    summary="The lobby display (public)",
)
def lobby(request, service_day_id: int = DAY_ID):
    """No login: the last numbers called per stall of a published day."""
    day = get_object_or_404(ServiceDay.objects.published(), pk=service_day_id)
    return {
        "service_day": day.pk,
        "title": day.title,
        "stalls": [
            {
                "stall": stall.pk,
                "name": stall.name,
                "current": stall.calls[0] if stall.calls else None,
                "earlier": stall.calls[1:],
                "waiting": stall.waiting,  # type: ignore[attr-defined]
            }
            for stall in selectors.lobby(day)
        ],
    }
