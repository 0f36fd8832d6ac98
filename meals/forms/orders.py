"""Forms of the ordering pages: ordering, paying, standing orders."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import day_field
from meals.models import MealKind, Mode, OrderedVia, PaidHow

WEEKDAYS = [
    ("1", _("Mon")),
    ("2", _("Tue")),
    ("3", _("Wed")),
    ("4", _("Thu")),
    ("5", _("Fri")),
    ("6", _("Sat")),
    ("7", _("Sun")),
]


class OrderForm(forms.Form):
    set_meal = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    mode = forms.ChoiceField(label=_("How"), choices=Mode.choices, initial=Mode.EAT_IN)


class TakeForm(OrderForm):
    via = forms.ChoiceField(
        label=_("Taken"),
        choices=[(OrderedVia.PHONE, OrderedVia.PHONE.label), (OrderedVia.STAFF, OrderedVia.STAFF.label)],
        initial=OrderedVia.PHONE,
    )


class PaymentForm(forms.Form):
    paid_how = forms.ChoiceField(
        label=_("Paid by"),
        choices=[(c.value, c.label) for c in (PaidHow.CASH, PaidHow.CARD, PaidHow.TRANSFER)],
        initial=PaidHow.CASH,
    )
    payment_ref = forms.CharField(label=_("Payment reference"), max_length=60, required=False)


class StandingForm(forms.Form):
    meal = forms.ChoiceField(label=_("Meal"), choices=MealKind.choices, initial=MealKind.LUNCH)
    weekdays = forms.MultipleChoiceField(
        label=_("On"),
        choices=WEEKDAYS,
        initial=["1", "2", "3", "4", "5"],
        widget=forms.CheckboxSelectMultiple,
    )
    label = forms.CharField(
        label=_("Set meal"), max_length=20, required=False, help_text=_("Blank: the first of the day.")
    )
    mode = forms.ChoiceField(label=_("How"), choices=Mode.choices, initial=Mode.EAT_IN)
    starts_on = day_field(_("From"), required=False)
    ends_on = day_field(_("Until"), required=False)
