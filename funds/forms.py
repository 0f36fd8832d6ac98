"""Forms of the fund's staff pages: a fund, a campaign, a gift, an expense, a correction, a
bank statement. The services check the amounts (a sum of zero or less gets their message)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import day_field
from funds.expenses import ExpenseDraft
from funds.gifts import GiftDraft
from funds.models import Campaign, Fund, GiftKind


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For example: 大宁社区基金."))
    about = forms.CharField(
        label=_("About"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    bank_account = forms.CharField(label=_("Bank account"), max_length=80, required=False)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For example: 爱心电梯."))
    goal = forms.DecimalField(label=_("Goal (yuan)"), max_digits=12, decimal_places=2)
    ends_on = day_field(_("Ends on"), required=False)
    about = forms.CharField(
        label=_("About"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _campaigns(fund: Fund):
    return Campaign.objects.filter(fund=fund).order_by("name")


class GiftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GiftKind.choices)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("For a gift in kind, its value."),
    )
    donor_name = forms.CharField(label=_("Donor"), max_length=100)
    donor_phone = forms.CharField(label=_("Donor's phone"), max_length=30, required=False)
    anonymous = forms.BooleanField(
        label=_("Anonymous to the public"),
        required=False,
        help_text=_("The public page shows “Anonymous”; staff still see the name."),
    )
    what = forms.CharField(label=_("What was given (in kind)"), max_length=200, required=False)
    received_on = day_field(_("Received on"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, fund: Fund, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = _campaigns(fund)  # type: ignore[attr-defined]

    def draft(self) -> GiftDraft:
        data = self.cleaned_data
        return GiftDraft(
            kind=data["kind"],
            amount=data["amount"],
            donor_name=data["donor_name"],
            received_on=data["received_on"],
            campaign=data["campaign"],
            donor_phone=data["donor_phone"],
            anonymous=data["anonymous"],
            what=data["what"],
            note=data["note"],
        )


class ExpenseForm(forms.Form):
    payee = forms.CharField(label=_("Payee"), max_length=100)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    paid_on = day_field(_("Paid on"))
    invoice = forms.FileField(
        label=_("Photo of the invoice"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, fund: Fund, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = _campaigns(fund)  # type: ignore[attr-defined]

    def draft(self) -> ExpenseDraft:
        data = self.cleaned_data
        return ExpenseDraft(
            payee=data["payee"],
            purpose=data["purpose"],
            amount=data["amount"],
            paid_on=data["paid_on"],
            campaign=data["campaign"],
        )


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why is it reversed?"), max_length=200)


class StatementForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement (CSV or .xlsx)"),
        help_text=_("Columns: date, amount (negative for money out), reference; a header row first."),
    )
