"""Holds, loans, returns, renewals, overdue: the pages.

Staff: the queue (approve, decline, cancel), lending an item (to the resident it is set
aside for, or a free one to someone found by name, room or phone), the loans out, one loan
(renew, take back), the overdue list with whom to call, and the loans as CSV or .xlsx.
Residents and their family: asking for a kind, cancelling a request, renewing a loan (the
"my aids" page is ``views/mine.py``). Every action is a plain form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aids import exports, holds, lending, selectors
from aids.forms.lending import AskForm, DeclineForm, LendForm, ReturnForm
from aids.models import Hold, HoldStatus, Loan
from aids.rules import lends
from common.downloads import named
from common.forms import form_errors, id_in, show_errors
from common.scope import Capability, get_or_404, staff_scope
from registry.models import Resident
from registry.selectors import search_residents

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff(request):
    return staff_scope(request, Capability.LEND_AIDS)


def _resident(request) -> Resident:
    found = (
        Resident.objects.filter(pk=id_in(request.POST.get("resident")))
        .select_related("household__building", "committee")
        .first()
    )
    if found is None:
        raise Http404(_("No such resident."))
    return found


def _hold(request, hold_id: int) -> Hold:
    return selectors.hold_for(request.user, request.scope, hold_id)


def _loan(request, loan_id: int) -> Loan:
    return selectors.loan_for(request.user, request.scope, loan_id)


def _back(request, fallback):
    """Staff go back where they acted; residents to their aids."""
    return redirect(fallback) if request.scope.can(Capability.LEND_AIDS) else redirect("aids:mine")


# --- Asking and the queue --------------------------------------------------------------------


@login_required
@require_POST
def ask(request, kind_id: int):
    """Ask for a kind for someone: oneself, a parent one acts for, or (staff) a resident."""
    kind = get_or_404(
        selectors.visible_to(request.user, request.scope), _("No such kind of aid."), pk=kind_id
    )
    person = _resident(request)
    form = AskForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        made = holds.ask(request.user, kind, person, scope=request.scope, note=note)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
    except ValidationError as error:
        show_errors(request, error)
    else:
        if made.is_ready:
            messages.success(request, _("One is set aside for %(name)s.") % {"name": person.name})
        elif made.is_approval:
            messages.success(request, _("Asked: staff will look at the request."))
        else:
            messages.success(request, _("%(name)s is in the queue.") % {"name": person.name})
    return redirect(kind) if lends(request.scope, kind) else redirect("aids:mine")


@login_required
def queue(request):
    scope = _staff(request)
    return render(
        request, "aids/lending/queue.html", {"holds": selectors.queue(scope), "decline_form": DeclineForm()}
    )


@login_required
@require_POST
def hold_approve(request, hold_id: int):
    found = _hold(request, hold_id)
    try:
        holds.approve(request.user, found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Accepted; %(name)s is in the queue.") % {"name": found.resident.name})
    return redirect("aids:queue")


@login_required
@require_POST
def hold_decline(request, hold_id: int):
    found = _hold(request, hold_id)
    form = DeclineForm(request.POST)
    try:
        holds.decline(
            request.user,
            found,
            scope=request.scope,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Declined; %(name)s is told why.") % {"name": found.resident.name})
    return redirect("aids:queue")


@login_required
@require_POST
def hold_cancel(request, hold_id: int):
    found = _hold(request, hold_id)
    try:
        holds.cancel(request.user, found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Cancelled."))
    return _back(request, "aids:queue")


# --- Lending, renewing, taking back ----------------------------------------------------------


@login_required
def lend(request, item_id: int):
    """Lend ``item``: to the resident it is set aside for, or to one found by name."""
    scope = _staff(request)
    item = get_or_404(selectors.items_seen_by(scope), _("No such aid."), pk=item_id)
    aside = Hold.objects.filter(item=item, status=HoldStatus.READY).select_related("resident").first()
    form = LendForm(request.POST or None, initial={"deposit": item.kind.deposit})
    if request.method == "POST" and form.is_valid():
        person = _resident(request)
        try:
            made = lending.lend(
                request.user,
                item,
                person,
                scope=scope,
                notes=form.cleaned_data["notes"],
                deposit=form.cleaned_data["deposit"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(item)s lent to %(name)s, due back %(due)s.")
                % {"item": item, "name": person.name, "due": made.due_on.isoformat()},
            )
            return redirect(made)
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "aids/lending/lend.html",
        {
            "item": item,
            "aside": aside,
            "form": form,
            "query": query,
            "found": search_residents(scope, query, limit=20) if query and aside is None else [],
        },
    )


@login_required
def loans(request):
    scope = _staff(request)
    page = Paginator(selectors.loans_out(scope), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "aids/lending/loans.html", {"page": page, "today": timezone.localdate()})


@login_required
def loan(request, loan_id: int):
    found = _loan(request, loan_id)
    staff = lends(request.scope, found.item.kind)
    return render(
        request,
        "aids/lending/loan.html",
        {
            "loan": found,
            "staff": staff,
            "return_form": ReturnForm(initial={"condition": found.item.condition}) if staff else None,
        },
    )


@login_required
@require_POST
def loan_renew(request, loan_id: int):
    found = _loan(request, loan_id)
    try:
        made = lending.renew(request.user, found, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Renewed: due back %(due)s.") % {"due": made.due_on.isoformat()})
    return redirect(found)


@login_required
@require_POST
def loan_return(request, loan_id: int):
    found = _loan(request, loan_id)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect(found)
    data = form.cleaned_data
    try:
        lending.take_back(
            request.user,
            found,
            scope=request.scope,
            condition=data["condition"],
            notes=data["notes"],
            deposit_returned=data["deposit_returned"],
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("%(item)s is back.") % {"item": found.item})
    return redirect(found)


# --- Overdue and the loans as a sheet --------------------------------------------------------


@login_required
def overdue(request):
    scope = _staff(request)
    return render(
        request,
        "aids/lending/overdue.html",
        {"rows": selectors.overdue(scope), "unmasked": scope.can(Capability.VIEW_PEOPLE)},
    )


def _export_rows(scope):
    return selectors.loans_seen_by(scope).order_by("-lent_at", "pk")


@login_required
def loans_csv(request):
    scope = _staff(request)
    response = HttpResponse(exports.as_csv(_export_rows(scope)), content_type="text/csv; charset=utf-8")
    return named(response, _("aid loans.csv"), "aid-loans.csv")


@login_required
def loans_xlsx(request):
    scope = _staff(request)
    response = HttpResponse(exports.as_xlsx(_export_rows(scope)), content_type=XLSX)
    return named(response, _("aid loans.xlsx"), "aid-loans.xlsx")
