"""The community fund (社区基金): campaigns, gifts, expenses, the ledger, the bank statement.

- ``Fund``: a committee's or a street's fund (its ``area``). It keeps three counters: what it
  raised, what it spent, and its ``balance`` (the money held), changed only by a conditional
  ``UPDATE … SET balance = balance - x WHERE balance >= x`` under a CHECK ``balance >= 0``, so
  however many expenses are approved at once the balance never goes below zero.
- ``Campaign``: a drive inside a fund (爱心电梯) with a goal sum and an end date; its raised,
  spent and donors counters are kept the same way.
- ``Gift``: money in: a donation (named, or anonymous to the public but known to staff), an
  auction's proceeds, a grant, or a gift in kind at a stated value. Its receipt is a PDF.
- ``Expense``: money out to a payee, for a purpose, with a photo of the invoice; it posts to
  the ledger only when two different people holding ``APPROVE_EXPENSES`` have approved it,
  neither of them the one who recorded it.
- ``Entry`` and ``Posting``: the double-entry ledger. An entry is one movement (a gift, an
  expense, a reversal); its postings, one per account, sum to zero. Neither is ever changed
  or deleted (``save()`` of an existing row, ``delete()`` and the queryset's ``update()`` and
  ``delete()`` raise, and on PostgreSQL a trigger refuses UPDATE and DELETE); a mistake is a
  reversing entry with a reason.
- ``StatementImport`` and ``StatementLine``: a bank statement's lines, matched to entries.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet

ZERO = Decimal("0.00")


class LedgerIsAppendOnly(Exception):
    """Raised by any attempt to change or delete a ledger row: a mistake is a reversing entry."""


class GiftKind(models.TextChoices):
    DONATION = "donation", _("Donation")
    AUCTION = "auction", _("Auction proceeds")
    GRANT = "grant", _("Grant")
    IN_KIND = "in_kind", _("Gift in kind")


class Account(models.TextChoices):
    """The fund's accounts. Debits are positive, credits negative; each entry sums to zero."""

    BANK = "bank", _("Bank (money held)")
    GOODS = "goods", _("Goods given in kind")
    DONATIONS = "donations", _("Income: donations")
    AUCTIONS = "auctions", _("Income: auction proceeds")
    GRANTS = "grants", _("Income: grants")
    IN_KIND = "in_kind", _("Income: gifts in kind")
    EXPENSES = "expenses", _("Expenses")


INCOME_ACCOUNT = {
    GiftKind.DONATION: Account.DONATIONS,
    GiftKind.AUCTION: Account.AUCTIONS,
    GiftKind.GRANT: Account.GRANTS,
    GiftKind.IN_KIND: Account.IN_KIND,
}


class EntryKind(models.TextChoices):
    GIFT = "gift", _("Money in")
    EXPENSE = "expense", _("Money out")
    REVERSAL = "reversal", _("Correction")


# --- Funds and campaigns ------------------------------------------------------------------------


class FundQuerySet(AuditedQuerySet["Fund"]):
    def current(self) -> FundQuerySet:
        return self.filter(closed_at__isnull=True)


class Fund(AuditedModel):
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("kept by (committee or street)")
    )
    name = models.CharField(_("name"), max_length=80)
    about = models.TextField(_("about"), blank=True)
    bank_account = models.CharField(_("bank account"), max_length=80, blank=True)
    raised = models.DecimalField(_("raised"), max_digits=12, decimal_places=2, default=ZERO, editable=False)
    spent = models.DecimalField(_("spent"), max_digits=12, decimal_places=2, default=ZERO, editable=False)
    balance = models.DecimalField(_("balance"), max_digits=12, decimal_places=2, default=ZERO, editable=False)
    donations = models.PositiveIntegerField(_("donations"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = FundQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "area__path"
    audit_skip_fields = {
        "raised": "a counter of the ledger, each entry is logged",
        "spent": "a counter of the ledger, each entry is logged",
        "balance": "a counter of the ledger, each entry is logged",
        "donations": "a counter of the gifts, each gift is logged",
    }

    class Meta:
        verbose_name = _("community fund")
        verbose_name_plural = _("community funds")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="fund_balance_never_negative"),
            models.CheckConstraint(condition=Q(raised__gte=0), name="fund_raised_not_negative"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="fund_spent_not_negative"),
            models.UniqueConstraint(fields=["area", "name"], name="one_fund_name_per_area"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:fund", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("funds:public_fund", args=[self.pk])


class Campaign(AuditedModel):
    fund = models.ForeignKey(Fund, models.PROTECT, related_name="campaigns", verbose_name=_("fund"))
    name = models.CharField(_("name"), max_length=80)
    about = models.TextField(_("about"), blank=True)
    goal = models.DecimalField(_("goal"), max_digits=12, decimal_places=2)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    raised = models.DecimalField(_("raised"), max_digits=12, decimal_places=2, default=ZERO, editable=False)
    spent = models.DecimalField(_("spent"), max_digits=12, decimal_places=2, default=ZERO, editable=False)
    donations = models.PositiveIntegerField(_("donations"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "fund__area__path"
    audit_skip_fields = {
        "raised": "a counter of the ledger, each entry is logged",
        "spent": "a counter of the ledger, each entry is logged",
        "donations": "a counter of the gifts, each gift is logged",
    }

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(goal__gt=0), name="campaign_goal_positive"),
            models.CheckConstraint(condition=Q(raised__gte=0), name="campaign_raised_not_negative"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="campaign_spent_not_negative"),
            models.UniqueConstraint(fields=["fund", "name"], name="one_campaign_name_per_fund"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_area_path(self) -> str:
        return self.fund.area.path

    def get_absolute_url(self) -> str:
        return reverse("funds:campaign", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("funds:public_campaign", args=[self.pk])

    @property
    def progress(self) -> int:
        """Per cent of the goal raised, at most 100."""
        if not self.goal:
            return 0
        return min(int(self.raised * 100 / self.goal), 100)

    @property
    def is_reached(self) -> bool:
        return self.raised >= self.goal


# --- The ledger ---------------------------------------------------------------------------------


class LedgerQuerySet(AuditedQuerySet):
    """The ledger's rows: added, never updated, never deleted."""

    def update(self, **kwargs):
        raise LedgerIsAppendOnly(_("The ledger is append-only: add a reversing entry instead."))

    def delete(self):
        raise LedgerIsAppendOnly(_("The ledger is append-only: add a reversing entry instead."))


class LedgerRow(AuditedModel):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerIsAppendOnly(_("The ledger is append-only: add a reversing entry instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly(_("The ledger is append-only: add a reversing entry instead."))


class Entry(LedgerRow):
    """One movement of a fund, as the public page lists it: its postings sum to zero.

    ``amount`` is what it did to the money raised or spent, signed as the public reads it
    (a gift +, an expense −, a reversal the opposite of what it reverses); ``shown_as`` is the
    donor as they chose to appear (empty when ``anonymous``) or the payee and purpose."""

    fund = models.ForeignKey(Fund, models.PROTECT, related_name="entries", verbose_name=_("fund"))
    campaign = models.ForeignKey(
        Campaign, models.PROTECT, null=True, blank=True, related_name="entries", verbose_name=_("campaign")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    gift_kind = models.CharField(_("gift kind"), max_length=10, choices=GiftKind.choices, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    day = models.DateField(_("day"))
    shown_as = models.CharField(_("shown as"), max_length=200, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name=_("reverses")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("made by")
    )
    made_at = models.DateTimeField(_("made at"), default=timezone.now)

    objects = LedgerQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "fund__area__path"

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["fund", "-id"], name="entry_fund_newest"),
            models.Index(fields=["campaign", "-id"], name="entry_campaign_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reason=""), name="reversal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()} {self.amount}"

    def audit_area_path(self) -> str:
        return self.fund.area.path

    @property
    def is_in(self) -> bool:
        return self.amount > 0

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class Posting(LedgerRow):
    entry = models.ForeignKey(Entry, models.PROTECT, related_name="postings", verbose_name=_("entry"))
    account = models.CharField(_("account"), max_length=10, choices=Account.choices)
    # Debit positive, credit negative.
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    objects = LedgerQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "entry__fund__area__path"

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["entry", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="posting_amount_not_zero")]

    def __str__(self) -> str:
        return f"{self.get_account_display()} {self.amount}"

    def audit_area_path(self) -> str:
        return self.entry.fund.area.path


# --- Money in -----------------------------------------------------------------------------------


class Gift(AuditedModel):
    fund = models.ForeignKey(Fund, models.PROTECT, related_name="gifts", verbose_name=_("fund"))
    campaign = models.ForeignKey(
        Campaign, models.PROTECT, null=True, blank=True, related_name="gifts", verbose_name=_("campaign")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=GiftKind.choices, default=GiftKind.DONATION)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    donor_name = models.CharField(_("donor"), max_length=100)
    donor_phone = models.CharField(_("donor's phone"), max_length=30, blank=True)
    anonymous = models.BooleanField(_("anonymous to the public"), default=False)
    what = models.CharField(_("what was given (in kind)"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    number = models.CharField(_("receipt number"), max_length=30, unique=True)
    entry = models.OneToOneField(Entry, models.PROTECT, related_name="gift", verbose_name=_("ledger entry"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    scope_path = "fund__area__path"

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        ordering = ["-received_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="gift_amount_positive")]

    def __str__(self) -> str:
        return f"{self.number} {self.donor_name} {self.amount}"

    def audit_area_path(self) -> str:
        return self.fund.area.path

    @property
    def public_name(self) -> str:
        return "" if self.anonymous else self.donor_name

    @property
    def is_reversed(self) -> bool:
        return hasattr(self.entry, "reversed_by")


# --- Money out ----------------------------------------------------------------------------------


def invoice_path(instance: Expense, filename: str) -> str:
    now = timezone.now()
    return f"funds/{now:%Y/%m}/{instance.stored_name}"


class ExpenseQuerySet(AuditedQuerySet["Expense"]):
    def waiting(self) -> ExpenseQuerySet:
        return self.filter(entry__isnull=True, withdrawn_at__isnull=True)


class Expense(AuditedModel):
    fund = models.ForeignKey(Fund, models.PROTECT, related_name="expenses", verbose_name=_("fund"))
    campaign = models.ForeignKey(
        Campaign, models.PROTECT, null=True, blank=True, related_name="expenses", verbose_name=_("campaign")
    )
    payee = models.CharField(_("payee"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    invoice = models.FileField(_("photo of the invoice"), upload_to=invoice_path, max_length=200, blank=True)
    stored_name = models.CharField(max_length=60, editable=False, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    first_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first approved by"),
    )
    first_approved_at = models.DateTimeField(_("first approved at"), null=True, blank=True)
    second_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second approved by"),
    )
    second_approved_at = models.DateTimeField(_("second approved at"), null=True, blank=True)
    entry = models.OneToOneField(
        Entry, models.PROTECT, null=True, blank=True, related_name="expense", verbose_name=_("ledger entry")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ExpenseQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "fund__area__path"

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            models.CheckConstraint(
                condition=Q(first_approver__isnull=True) | ~Q(first_approver=F("recorded_by")),
                name="expense_first_approver_not_recorder",
            ),
            models.CheckConstraint(
                condition=Q(second_approver__isnull=True)
                | (~Q(second_approver=F("recorded_by")) & ~Q(second_approver=F("first_approver"))),
                name="expense_second_approver_different",
            ),
            models.CheckConstraint(
                condition=Q(entry__isnull=True) | Q(second_approver__isnull=False),
                name="expense_posted_only_when_approved_twice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payee} {self.amount}"

    def audit_area_path(self) -> str:
        return self.fund.area.path

    @property
    def is_posted(self) -> bool:
        return self.entry_id is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_waiting(self) -> bool:
        return not self.is_posted and not self.is_withdrawn

    @property
    def approvals(self) -> int:
        return (self.first_approver_id is not None) + (self.second_approver_id is not None)

    @property
    def state_text(self) -> str:
        if self.is_withdrawn:
            return str(_("Withdrawn"))
        if self.is_posted:
            return str(_("Approved and paid"))
        if self.first_approver_id:
            return str(_("Approved once, waiting for a second approval"))
        return str(_("Waiting for two approvals"))


# --- Reconciliation -----------------------------------------------------------------------------


class StatementImport(AuditedModel):
    fund = models.ForeignKey(Fund, models.PROTECT, related_name="statements", verbose_name=_("fund"))
    name = models.CharField(_("file name"), max_length=200)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    scope_path = "fund__area__path"

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def audit_area_path(self) -> str:
        return self.fund.area.path


class StatementLine(AuditedModel):
    statement = models.ForeignKey(
        StatementImport, models.CASCADE, related_name="lines", verbose_name=_("bank statement")
    )
    row = models.PositiveIntegerField(_("row"))
    day = models.DateField(_("day"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    entry = models.OneToOneField(
        Entry,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="bank_line",
        verbose_name=_("ledger entry"),
    )

    scope_path = "statement__fund__area__path"

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ["statement", "row"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.amount} {self.reference}"

    def audit_area_path(self) -> str:
        return self.statement.fund.area.path
