"""The fund's API, under /api/v1/funds/: the public pages' data without logging in, and the
staff's funds, campaigns, gifts, expenses, approvals, corrections and bank statements. The
same services and rules as the pages; what the scope does not see answers 404."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from common.api import ERRORS, MAX_ID, Id, id_path
from common.schemas import Day, Text
from common.scope import NO_SCOPE, Capability, Scope, get_or_404
from funds import expenses, gifts, ledger, reconciliation, rules, selectors, services
from funds.exports import entry_what, entry_who
from funds.models import Campaign, Entry, EntryKind, Expense, Fund, GiftKind, StatementImport

router = Router(tags=["funds"])
FUND_ID = id_path("A fund's id.")
CAMPAIGN_ID = id_path("A campaign's id.")
EXPENSE_ID = id_path("An expense's id.")
ENTRY_ID = id_path("A ledger entry's id.")
STATEMENT_ID = id_path("A bank statement's id.")


# --- Schemas --------------------------------------------------------------------------------------


class FundMovementOut(Schema):
    id: int
    day: date
    kind: EntryKind
    what: str
    who: str = Field(description="The donor as they chose to appear (Anonymous), or payee and purpose.")
    amount: Decimal = Field(description="In positive, out negative.")
    campaign: int | None = Field(None, alias="campaign_id")
    reverses: int | None = Field(None, alias="reverses_id")

    @staticmethod
    def resolve_what(obj: Entry) -> str:
        return entry_what(obj)

    @staticmethod
    def resolve_who(obj: Entry) -> str:
        return entry_who(obj)


class FundCampaignOut(Schema):
    id: int
    fund: int = Field(alias="fund_id")
    name: str
    about: str
    goal: Decimal
    ends_on: date | None
    raised: Decimal
    spent: Decimal
    donations: int
    progress: int = Field(description="Per cent of the goal raised, at most 100.")


class FundOut(Schema):
    id: int
    area: str
    name: str
    about: str
    raised: Decimal
    spent: Decimal
    balance: Decimal
    donations: int

    @staticmethod
    def resolve_area(obj: Fund) -> str:
        return obj.area.name


class FundPublicOut(Schema):
    fund: FundOut
    campaign: FundCampaignOut | None = None
    campaigns: list[FundCampaignOut] = Field(default_factory=list)
    movements: list[FundMovementOut]
    next_before: int | None = Field(description="Pass as ?before= for the older movements; null at the end.")


class FundIn(Schema):
    name: Text = Field(..., max_length=80)
    about: Text = Field("", max_length=2000)
    bank_account: Text = Field("", max_length=80)


class FundCampaignIn(Schema):
    name: Text = Field(..., max_length=80)
    goal: Decimal = Field(..., max_digits=12, decimal_places=2)
    ends_on: Day | None = None
    about: Text = Field("", max_length=2000)


class FundGiftIn(Schema):
    kind: GiftKind = GiftKind.DONATION
    campaign: Id | None = None
    amount: Decimal = Field(
        ..., max_digits=12, decimal_places=2, description="More than zero; for a gift in kind, its value."
    )
    donor_name: Text = Field(..., max_length=100)
    donor_phone: Text = Field("", max_length=30)
    anonymous: bool = False
    what: Text = Field("", max_length=200)
    received_on: Day
    note: Text = Field("", max_length=200)


class FundGiftOut(Schema):
    id: int
    number: str
    kind: GiftKind
    campaign: int | None = Field(None, alias="campaign_id")
    amount: Decimal
    donor_name: str
    donor_phone: str
    anonymous: bool
    what: str
    received_on: date
    entry: int = Field(alias="entry_id")


class FundExpenseIn(Schema):
    payee: Text = Field(..., max_length=100)
    purpose: Text = Field(..., max_length=200)
    campaign: Id | None = None
    amount: Decimal = Field(..., max_digits=12, decimal_places=2)
    paid_on: Day


class FundExpenseOut(Schema):
    id: int
    fund: int = Field(alias="fund_id")
    campaign: int | None = Field(None, alias="campaign_id")
    payee: str
    purpose: str
    amount: Decimal
    paid_on: date
    state: str
    recorded_by: int = Field(alias="recorded_by_id")
    first_approver: int | None = Field(None, alias="first_approver_id")
    second_approver: int | None = Field(None, alias="second_approver_id")
    entry: int | None = Field(None, alias="entry_id")
    has_invoice: bool

    @staticmethod
    def resolve_state(obj: Expense) -> str:
        return obj.state_text

    @staticmethod
    def resolve_has_invoice(obj: Expense) -> bool:
        return bool(obj.invoice)


class FundReverseIn(Schema):
    reason: Text = Field(..., max_length=200)


class FundStatementLineOut(Schema):
    row: int
    day: date
    amount: Decimal
    reference: str
    entry: int | None = Field(None, alias="entry_id")


class FundStatementOut(Schema):
    id: int
    name: str
    imported_at: datetime
    matched: list[FundStatementLineOut]
    unmatched_lines: list[FundStatementLineOut]
    unmatched_entries: list[FundMovementOut]


class FundFiguresOut(Schema):
    area: str
    funds: int
    raised: Decimal
    spent: Decimal
    balance: Decimal
    donations: int = Field(description="Donations recorded, less those reversed.")


class FundPageIn(Schema):
    before: int | None = Field(None, ge=1, le=MAX_ID, description="The next_before of the previous page.")


# --- Lookups --------------------------------------------------------------------------------------


def _scope(request) -> Scope:
    scope: Scope = getattr(request, "scope", NO_SCOPE)
    if not (scope.can(Capability.KEEP_FUNDS) or scope.can(Capability.APPROVE_EXPENSES)):
        raise HttpError(403, _("Your active role may not do this."))
    return scope


def _campaign_of(fund: Fund, campaign_id: int | None) -> Campaign | None:
    if campaign_id is None:
        return None
    found = fund.campaigns.filter(pk=campaign_id).first()
    if found is None:
        raise HttpError(422, _("No campaign with id %(id)d in this fund.") % {"id": campaign_id})
    return found


def _statement(statement: StatementImport) -> dict:
    outcome = reconciliation.outcome(statement)
    return {
        "id": statement.pk,
        "name": statement.name,
        "imported_at": statement.imported_at,
        "matched": outcome.matched,
        "unmatched_lines": outcome.unmatched_lines,
        "unmatched_entries": outcome.unmatched_entries,
    }


# --- Public ---------------------------------------------------------------------------------------


@router.get(
    "/public/{fund_id}",
    response={200: FundPublicOut, **ERRORS},
    auth=None,
    summary="A fund's public page: counters, campaigns and every movement, newest first",
)
def public_fund(request, fund_id: int = FUND_ID, page: Query[FundPageIn] = None):  # type: ignore[assignment]
    fund = rules.public_fund_or_404(fund_id)
    found = selectors.movements(fund=fund, before=page.before if page else None)
    return {
        "fund": fund,
        "campaigns": list(fund.campaigns.order_by("-created_at", "pk")),
        "movements": found.entries,
        "next_before": found.next_before,
    }


@router.get(
    "/public/campaigns/{campaign_id}",
    response={200: FundPublicOut, **ERRORS},
    auth=None,
    summary="A campaign's public page: progress to the goal and every movement, newest first",
)
def public_campaign(request, campaign_id: int = CAMPAIGN_ID, page: Query[FundPageIn] = None):  # type: ignore[assignment]
    campaign = rules.public_campaign_or_404(campaign_id)
    found = selectors.movements(campaign=campaign, before=page.before if page else None)
    return {
        "fund": campaign.fund,
        "campaign": campaign,
        "movements": found.entries,
        "next_before": found.next_before,
    }


# --- Staff ----------------------------------------------------------------------------------------


@router.get("/funds", response={200: list[FundOut], **ERRORS}, summary="The funds in my area")
def list_funds(request):
    return list(rules.seen_funds(_scope(request)))


@router.get(
    "/figures",
    response={200: list[FundFiguresOut], **ERRORS},
    summary="Raised, spent, donations per committee",
)
def figures(request):
    return [
        {
            "area": r.area,
            "funds": r.funds,
            "raised": r.raised,
            "spent": r.spent,
            "balance": r.balance,
            "donations": r.donors,
        }
        for r in selectors.figures(_scope(request))
    ]


@router.post("/funds", response={201: FundOut, **ERRORS}, summary="Open a fund in my committee or street")
def open_fund(request, payload: FundIn):
    scope = _scope(request)
    if scope.area is None:
        raise HttpError(403, _("A fund is opened by those who keep funds in that committee or street."))
    made = services.open_fund(scope.area, scope=scope, **payload.dict())
    return Status(201, rules.seen_funds(scope).get(pk=made.pk))


@router.get("/funds/{fund_id}", response={200: FundOut, **ERRORS}, summary="A fund")
def get_fund(request, fund_id: int = FUND_ID):
    return rules.seen_fund_or_404(_scope(request), fund_id)


@router.get(
    "/funds/{fund_id}/campaigns",
    response={200: list[FundCampaignOut], **ERRORS},
    summary="A fund's campaigns",
)
def list_campaigns(request, fund_id: int = FUND_ID):
    return list(rules.seen_fund_or_404(_scope(request), fund_id).campaigns.order_by("-created_at", "pk"))


@router.post(
    "/funds/{fund_id}/campaigns", response={201: FundCampaignOut, **ERRORS}, summary="Add a campaign"
)
def add_campaign(request, payload: FundCampaignIn, fund_id: int = FUND_ID):
    scope = _scope(request)
    fund = rules.seen_fund_or_404(scope, fund_id)
    return Status(201, services.add_campaign(fund, scope=scope, **payload.dict()))


@router.get(
    "/funds/{fund_id}/gifts", response={200: list[FundGiftOut], **ERRORS}, summary="A fund's latest gifts"
)
def list_gifts(request, fund_id: int = FUND_ID):
    return list(selectors.gifts_of(rules.seen_fund_or_404(_scope(request), fund_id))[:200])


@router.post("/funds/{fund_id}/gifts", response={201: FundGiftOut, **ERRORS}, summary="Record a gift")
def record_gift(request, payload: FundGiftIn, fund_id: int = FUND_ID):
    scope = _scope(request)
    fund = rules.seen_fund_or_404(scope, fund_id)
    draft = gifts.GiftDraft(
        kind=payload.kind,
        amount=payload.amount,
        donor_name=payload.donor_name,
        received_on=payload.received_on,
        campaign=_campaign_of(fund, payload.campaign),
        donor_phone=payload.donor_phone,
        anonymous=payload.anonymous,
        what=payload.what,
        note=payload.note,
    )
    return Status(201, gifts.record(fund, draft, by=request.user, scope=scope))


@router.get(
    "/funds/{fund_id}/expenses", response={200: list[FundExpenseOut], **ERRORS}, summary="A fund's expenses"
)
def list_expenses(request, fund_id: int = FUND_ID):
    fund = rules.seen_fund_or_404(_scope(request), fund_id)
    return list(fund.expenses.order_by("-recorded_at", "-pk")[:200])


@router.post(
    "/funds/{fund_id}/expenses", response={201: FundExpenseOut, **ERRORS}, summary="Record an expense"
)
def record_expense(request, payload: FundExpenseIn, fund_id: int = FUND_ID):
    scope = _scope(request)
    fund = rules.seen_fund_or_404(scope, fund_id)
    draft = expenses.ExpenseDraft(
        payee=payload.payee,
        purpose=payload.purpose,
        amount=payload.amount,
        paid_on=payload.paid_on,
        campaign=_campaign_of(fund, payload.campaign),
    )
    return Status(201, expenses.record(fund, draft, by=request.user, scope=scope))


@router.get("/expenses/{expense_id}", response={200: FundExpenseOut, **ERRORS}, summary="An expense")
def get_expense(request, expense_id: int = EXPENSE_ID):
    return rules.seen_expense_or_404(_scope(request), expense_id)


@router.post(
    "/expenses/{expense_id}/approve",
    response={200: FundExpenseOut, **ERRORS},
    summary="Approve an expense (the second approval, by another person, pays it)",
)
def approve_expense(request, expense_id: int = EXPENSE_ID):
    scope = _scope(request)
    found = rules.seen_expense_or_404(scope, expense_id)
    return expenses.approve(found, by=request.user, scope=scope)


@router.post(
    "/entries/{ledger_entry_id}/reverse",
    response={201: FundMovementOut, **ERRORS},
    summary="Reverse a ledger entry, with a reason",
)
def reverse_entry(request, payload: FundReverseIn, ledger_entry_id: int = ENTRY_ID):
    scope = _scope(request)
    entry = get_or_404(
        Entry.objects.select_related("fund__area").filter(fund__in=rules.seen_funds(scope).values("pk")),
        _("No such entry in your area."),
        pk=ledger_entry_id,
    )
    return Status(201, ledger.reverse(entry, reason=payload.reason, by=request.user, scope=scope))


@router.post(
    "/funds/{fund_id}/statements",
    response={201: FundStatementOut, **ERRORS},
    summary="Reconcile with a bank statement (CSV or .xlsx: date, amount, reference)",
)
def upload_statement(request, fund_id: int = FUND_ID, file: File[UploadedFile] = None):  # type: ignore[assignment]
    scope = _scope(request)
    fund = rules.seen_fund_or_404(scope, fund_id)
    if file is None:
        raise HttpError(422, _("Send the bank statement as the file field."))
    return Status(201, _statement(reconciliation.reconcile(fund, file, by=request.user, scope=scope)))


@router.get(
    "/statements/{bank_statement_id}", response={200: FundStatementOut, **ERRORS}, summary="A reconciliation"
)
def get_statement(request, bank_statement_id: int = STATEMENT_ID):
    scope = _scope(request)
    found = get_or_404(
        StatementImport.objects.select_related("fund").filter(fund__in=rules.seen_funds(scope).values("pk")),
        _("No such bank statement in your area."),
        pk=bank_statement_id,
    )
    return _statement(found)
