"""Forms of the ordering pages: ordering, paying, standing orders."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.forms import day_field
from meals.models import MealKind, Mode, OrderedVia, PaidHow

WEEKDAYS = [
    ("1", pgettext_lazy("meal orders", "Mon")),
    ("2", pgettext_lazy("meal orders", "Tue")),
    ("3", pgettext_lazy("meal orders", "Wed")),
    ("4", pgettext_lazy("meal orders", "Thu")),
    ("5", pgettext_lazy("meal orders", "Fri")),
    ("6", pgettext_lazy("meal orders", "Sat")),
    ("7", pgettext_lazy("meal orders", "Sun")),
]


class OrderForm(forms.Form):
    set_meal = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    mode = forms.ChoiceField(
        label=pgettext_lazy("meal orders", "How"), choices=Mode.choices, initial=Mode.EAT_IN
    )


class TakeForm(OrderForm):
    via = forms.ChoiceField(
        label=pgettext_lazy("meal orders", "Taken"),
        choices=[(OrderedVia.PHONE, OrderedVia.PHONE.label), (OrderedVia.STAFF, OrderedVia.STAFF.label)],
        initial=OrderedVia.PHONE,
    )


class PaymentForm(forms.Form):
    paid_how = forms.ChoiceField(
        label=pgettext_lazy("meal orders", "Paid by"),
        choices=[(c.value, c.label) for c in (PaidHow.CASH, PaidHow.CARD, PaidHow.TRANSFER)],
        initial=PaidHow.CASH,
    )
    payment_ref = forms.CharField(
        label=pgettext_lazy("meal orders", "Payment reference"), max_length=60, required=False
    )


class StandingForm(forms.Form):
    meal = forms.ChoiceField(
        label=pgettext_lazy("meal orders", "Meal"), choices=MealKind.choices, initial=MealKind.LUNCH
    )
    weekdays = forms.MultipleChoiceField(
        label=pgettext_lazy("meal orders", "On"),
        choices=WEEKDAYS,
        initial=["1", "2", "3", "4", "5"],
        widget=forms.CheckboxSelectMultiple,
    )
    label = forms.CharField(
        label=pgettext_lazy("meal orders", "Set meal"),
        max_length=20,
        required=False,
        help_text=_("Blank: the first of the day."),
    )
    mode = forms.ChoiceField(
        label=pgettext_lazy("meal orders", "How"), choices=Mode.choices, initial=Mode.EAT_IN
    )
    starts_on = day_field(pgettext_lazy("meal orders", "From"), required=False)
    ends_on = day_field(pgettext_lazy("meal orders", "Until"), required=False)
