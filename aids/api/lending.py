"""Holds, loans, returns, renewals, overdue: the API. The same services and rules as the
pages: a resident (or their family) asks, cancels and renews; staff decide, lend and take back."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from aids import holds, lending, selectors
from aids.models import Hold, Loan
from aids.schemas import (
    AidAskIn,
    AidDeclineIn,
    AidDueOut,
    AidHoldOut,
    AidLendIn,
    AidLoanOut,
    AidMineOut,
    AidOverdueOut,
    AidReturnIn,
)
from common.api import ERRORS, Pages, id_path
from common.scope import Capability, get_or_404, staff_scope
from registry.models import Resident

router = Router(tags=["aids"])
KIND_ID = id_path("A kind of aid's id.")
ITEM_ID = id_path("An aid's id.")
HOLD_ID = id_path("A request's (hold's) id.")
LOAN_ID = id_path("A loan's id.")


def _resident(resident_id: int) -> Resident:
    found = Resident.objects.filter(pk=resident_id).select_related("household__building", "committee").first()
    if found is None:
        raise Http404(_("No such resident."))
    return found


def _hold(request, hold_id: int) -> Hold:
    return selectors.hold_for(request.user, request.scope, hold_id)


def _loan(request, loan_id: int) -> Loan:
    return selectors.loan_for(request.user, request.scope, loan_id)


# --- Asking and the queue --------------------------------------------------------------------


@router.post("/kinds/{int:kind_id}/holds", response={201: AidHoldOut, **ERRORS}, summary="Ask for an aid")
def ask(request, payload: AidAskIn, kind_id: int = KIND_ID):
    """Join the queue (or wait for approval). Set aside at once when one is free."""
    kind = get_or_404(
        selectors.visible_to(request.user, request.scope), _("No such kind of aid."), pk=kind_id
    )
    made = holds.ask(request.user, kind, _resident(payload.resident), scope=request.scope, note=payload.note)
    return Status(201, made)


@router.get("/holds", response={200: list[AidHoldOut], **ERRORS}, summary="The queue")
def queue(request):
    """Staff: open requests of their kinds, by kind and in queue order."""
    return selectors.queue(staff_scope(request, Capability.LEND_AIDS))


@router.post("/holds/{int:hold_id}/approve", response={200: AidHoldOut, **ERRORS}, summary="Accept a request")
def approve(request, hold_id: int = HOLD_ID):
    return holds.approve(request.user, _hold(request, hold_id), scope=request.scope)


@router.post(
    "/holds/{int:hold_id}/decline", response={200: AidHoldOut, **ERRORS}, summary="Decline a request"
)
def decline(request, payload: AidDeclineIn, hold_id: int = HOLD_ID):
    return holds.decline(request.user, _hold(request, hold_id), scope=request.scope, reason=payload.reason)


@router.post("/holds/{int:hold_id}/cancel", response={200: AidHoldOut, **ERRORS}, summary="Cancel a request")
def cancel(request, hold_id: int = HOLD_ID):
    return holds.cancel(request.user, _hold(request, hold_id), scope=request.scope)


# --- Lending, renewing, taking back ----------------------------------------------------------


@router.post("/items/{int:item_id}/lend", response={201: AidLoanOut, **ERRORS}, summary="Lend an item")
def lend(request, payload: AidLendIn, item_id: int = ITEM_ID):
    scope = staff_scope(request, Capability.LEND_AIDS)
    item = get_or_404(selectors.items_seen_by(scope), _("No such aid."), pk=item_id)
    made = lending.lend(
        request.user,
        item,
        _resident(payload.resident),
        scope=scope,
        notes=payload.notes,
        deposit=payload.deposit,
    )
    return Status(201, made)


@router.get("/loans", response={200: list[AidLoanOut], **ERRORS}, summary="Loans out")
@paginate(Pages)
def loans(request):
    return selectors.loans_out(staff_scope(request, Capability.LEND_AIDS))


@router.get("/loans/{int:loan_id}", response={200: AidLoanOut, **ERRORS}, summary="One loan")
def get_loan(request, loan_id: int = LOAN_ID):
    return _loan(request, loan_id)


@router.post("/loans/{int:loan_id}/renew", response={200: AidLoanOut, **ERRORS}, summary="Renew a loan")
def renew(request, loan_id: int = LOAN_ID):
    """Up to the kind's renewals; refused while someone waits for the kind."""
    return lending.renew(request.user, _loan(request, loan_id), scope=request.scope)


@router.post("/loans/{int:loan_id}/return", response={200: AidLoanOut, **ERRORS}, summary="Take an aid back")
def take_back(request, payload: AidReturnIn, loan_id: int = LOAN_ID):
    return lending.take_back(
        request.user,
        _loan(request, loan_id),
        scope=request.scope,
        condition=payload.condition,
        notes=payload.notes,
        deposit_returned=payload.deposit_returned,
    )


@router.get("/overdue", response={200: list[AidOverdueOut], **ERRORS}, summary="Loans overdue")
def overdue(request):
    """Longest overdue first, with whom to call."""
    rows = selectors.overdue(staff_scope(request, Capability.LEND_AIDS))
    return [
        {
            "loan": row.loan,
            "days_overdue": row.loan.days_overdue,
            "call": row.contact.via,
            "call_name": row.contact.who,
            "call_phone": row.phone,
        }
        for row in rows
    ]


@router.get("/due", response={200: AidDueOut, **ERRORS}, summary="Due back soon and overdue")
def due(request):
    """The counts and the first few, as the today page shows them."""
    scope = staff_scope(request, Capability.LEND_AIDS)
    return selectors.due_soon_and_overdue(scope, timezone.localdate())


@router.get("/mine", response={200: AidMineOut, **ERRORS}, summary="My aids")
def mine(request):
    """Your requests and loans, and those of the people you act for."""
    found = selectors.mine(request.user)
    return {"holds": found.holds, "loans": found.loans, "returned": found.past}
