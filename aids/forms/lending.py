"""Forms of the lending pages: asking, declining, lending, taking back."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from aids.lending import BACK_CONDITIONS, MAX_DEPOSIT
from aids.models import Condition


class AskForm(forms.Form):
    note = forms.CharField(
        label=_("What for (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: after a hip operation, from next week."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why (the resident reads it)"), max_length=200)


class LendForm(forms.Form):
    deposit = forms.DecimalField(
        label=_("Deposit taken (yuan)"), min_value=Decimal("0"), max_value=MAX_DEPOSIT, decimal_places=2
    )
    notes = forms.CharField(
        label=_("Condition notes going out"),
        max_length=200,
        required=False,
        help_text=_("Scratches, missing parts, what was handed over."),
    )


class ReturnForm(forms.Form):
    condition = forms.ChoiceField(
        label=_("Condition coming back"),
        choices=[(c.value, c.label) for c in BACK_CONDITIONS],
        initial=Condition.GOOD,
        help_text=_("Needs repair or retired: it is out of service until mended."),
    )
    notes = forms.CharField(label=_("Condition notes coming back"), max_length=200, required=False)
    deposit_returned = forms.DecimalField(
        label=_("Deposit returned (yuan)"),
        min_value=Decimal("0"),
        max_value=MAX_DEPOSIT,
        decimal_places=2,
        required=False,
        help_text=_("Empty: all of it."),
    )
