"""The fund's staff pages: the funds in scope with their figures, a fund, its campaigns,
recording a gift or an expense, approving, reversing an entry with a reason, and reconciling
against a bank statement. Staff with ``KEEP_FUNDS`` or ``APPROVE_EXPENSES`` over a fund see it
(``funds.rules.sees``); the services decide who may do what."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import form_errors, posted, show_errors
from common.scope import NO_SCOPE, Capability, Scope, get_or_404
from funds import expenses, gifts, ledger, reconciliation, rules, selectors, services
from funds.forms import CampaignForm, ExpenseForm, FundForm, GiftForm, ReverseForm, StatementForm
from funds.models import Entry, Gift, StatementImport


def _scope(request) -> Scope:
    scope: Scope = getattr(request, "scope", NO_SCOPE)
    if not (scope.can(Capability.KEEP_FUNDS) or scope.can(Capability.APPROVE_EXPENSES)):
        raise PermissionDenied
    return scope


def _fund(request, fund_id: int):
    return rules.seen_fund_or_404(_scope(request), fund_id)


@login_required
def index(request):
    scope = _scope(request)
    funds = list(rules.seen_funds(scope).order_by("area__path", "name"))
    return render(
        request,
        "funds/staff/index.html",
        {"funds": funds, "figures": selectors.figures(scope), "may_add": rules.keeps_area(scope, scope.area)},
    )


@login_required
def fund_new(request):
    scope = _scope(request)
    if not rules.keeps_area(scope, scope.area):
        raise PermissionDenied(_("A fund is opened by those who keep funds in that committee or street."))
    form = FundForm(posted(request))
    if form.is_valid():
        try:
            made = services.open_fund(scope.area, scope=scope, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(fund)s opened.") % {"fund": made.name})
            return redirect(made)
    return render(
        request, "funds/staff/form.html", {"form": form, "title": _("Open a fund"), "back": "funds:index"}
    )


@login_required
def fund(request, fund_id: int):
    found = _fund(request, fund_id)
    scope = request.scope
    return render(
        request,
        "funds/staff/fund.html",
        {
            "fund": found,
            "campaigns": list(found.campaigns.order_by("-created_at", "pk")),
            "waiting": list(
                found.expenses.waiting().select_related("recorded_by", "first_approver", "campaign")
            ),
            "gifts": list(selectors.gifts_of(found)[:50]),
            "statements": list(found.statements.all()[:10]),
            "may_keep": rules.keeps(scope, found),
            "may_approve": rules.approves(scope, found),
        },
    )


@login_required
def campaign_new(request, fund_id: int):
    found = _fund(request, fund_id)
    form = CampaignForm(posted(request))
    if form.is_valid():
        try:
            made = services.add_campaign(found, scope=request.scope, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("%(campaign)s added.") % {"campaign": made.name})
            return redirect(made)
    return render(
        request, "funds/staff/form.html", {"form": form, "title": _("Add a campaign"), "fund": found}
    )


@login_required
def campaign(request, campaign_id: int):
    found = rules.seen_campaign_or_404(_scope(request), campaign_id)
    return render(
        request,
        "funds/staff/campaign.html",
        {
            "campaign": found,
            "fund": found.fund,
            "gifts": list(found.gifts.select_related("entry").order_by("-received_on", "-pk")[:100]),
            "expenses": list(found.expenses.select_related("recorded_by").order_by("-recorded_at")[:100]),
        },
    )


@login_required
def gift_new(request, fund_id: int):
    found = _fund(request, fund_id)
    form = GiftForm(posted(request), fund=found, initial={"campaign": request.GET.get("campaign")})
    if form.is_valid():
        try:
            made = gifts.record(found, form.draft(), by=request.user, scope=request.scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Gift recorded, receipt %(number)s.") % {"number": made.number})
            return redirect(found)
    return render(
        request, "funds/staff/form.html", {"form": form, "title": _("Record a gift"), "fund": found}
    )


@login_required
def receipt(request, gift_id: int):
    scope = _scope(request)
    gift = get_or_404(
        Gift.objects.select_related("fund", "campaign", "entry").filter(
            fund__in=rules.seen_funds(scope).values("pk")
        ),
        _("No such gift in your area."),
        pk=gift_id,
    )
    return gifts.receipt_response(gift)


@login_required
def expense_new(request, fund_id: int):
    found = _fund(request, fund_id)
    form = ExpenseForm(posted(request), request.FILES or None, fund=found)
    if form.is_valid():
        try:
            made = expenses.record(
                found,
                form.draft(),
                invoice=form.cleaned_data["invoice"],
                by=request.user,
                scope=request.scope,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Expense recorded; it needs two approvals."))
            return redirect("funds:expense", expense_id=made.pk)
    return render(
        request,
        "funds/staff/form.html",
        {"form": form, "title": _("Record an expense"), "fund": found, "multipart": True},
    )


@login_required
def expense(request, expense_id: int):
    found = rules.seen_expense_or_404(_scope(request), expense_id)
    return render(
        request,
        "funds/staff/expense.html",
        {
            "expense": found,
            "fund": found.fund,
            "may_approve": rules.approves(request.scope, found.fund),
            "approval_problem": rules.approval_problem(request.user, found),
            "may_keep": rules.keeps(request.scope, found.fund),
        },
    )


@login_required
def invoice(request, expense_id: int):
    found = rules.seen_expense_or_404(_scope(request), expense_id)
    if not found.invoice:
        raise Http404(_("No photo of the invoice."))
    try:
        handle = found.invoice.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, filename=found.stored_name)


@login_required
@require_POST
def expense_approve(request, expense_id: int):
    found = rules.seen_expense_or_404(_scope(request), expense_id)
    try:
        done = expenses.approve(found, by=request.user, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            _("Approved and paid.") if done.is_posted else _("Approved; a second approval is needed."),
        )
    return redirect("funds:expense", expense_id=found.pk)


@login_required
@require_POST
def expense_withdraw(request, expense_id: int):
    found = rules.seen_expense_or_404(_scope(request), expense_id)
    try:
        expenses.withdraw(found, by=request.user, scope=request.scope)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Expense withdrawn."))
    return redirect("funds:expense", expense_id=found.pk)


@login_required
def entry_reverse(request, ledger_entry_id: int):
    scope = _scope(request)
    entry = get_or_404(
        Entry.objects.select_related("fund__area", "campaign").filter(
            fund__in=rules.seen_funds(scope).values("pk")
        ),
        _("No such entry in your area."),
        pk=ledger_entry_id,
    )
    form = ReverseForm(posted(request))
    if form.is_valid():
        try:
            ledger.reverse(entry, reason=form.cleaned_data["reason"], by=request.user, scope=scope)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Entry reversed."))
            return redirect(entry.fund)
    return render(request, "funds/staff/reverse.html", {"form": form, "entry": entry, "fund": entry.fund})


@login_required
def reconcile(request, fund_id: int):
    found = _fund(request, fund_id)
    form = StatementForm(posted(request), request.FILES or None)
    if form.is_valid():
        try:
            made = reconciliation.reconcile(
                found, form.cleaned_data["file"], by=request.user, scope=request.scope
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            return redirect("funds:statement", bank_statement_id=made.pk)
    return render(
        request,
        "funds/staff/form.html",
        {"form": form, "title": _("Reconcile with the bank statement"), "fund": found, "multipart": True},
    )


@login_required
def statement(request, bank_statement_id: int):
    scope = _scope(request)
    found = get_or_404(
        StatementImport.objects.select_related("fund").filter(fund__in=rules.seen_funds(scope).values("pk")),
        _("No such bank statement in your area."),
        pk=bank_statement_id,
    )
    return render(
        request, "funds/staff/statement.html", {"outcome": reconciliation.outcome(found), "fund": found.fund}
    )
