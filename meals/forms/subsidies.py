"""Forms of the subsidy rules' pages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from areas.models import Area
from common.forms import day_field
from meals.models import MealKind
from meals.subsidies import MAX_AGE, MAX_AMOUNT, MAX_CAP, MIN_AMOUNT, NAME_MAX
from registry.models import SETTABLE_TAGS, Tag


class RuleForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("For diners living in"),
        queryset=Area.objects.none(),
        empty_label=None,
    )
    name = forms.CharField(
        label=_("Name"), max_length=NAME_MAX, help_text=_("For example: 80岁以上助餐补贴.")
    )
    funder = forms.CharField(
        label=_("Funded by"),
        max_length=NAME_MAX,
        help_text=_("Who pays it: the funder's statement lists it."),
    )
    min_age = forms.IntegerField(label=_("Aged at least"), min_value=0, max_value=MAX_AGE, required=False)
    max_age = forms.IntegerField(label=_("Aged at most"), min_value=0, max_value=MAX_AGE, required=False)
    tags = forms.MultipleChoiceField(
        label=_("Tagged (any of)"),
        choices=[(t, Tag(t).label) for t in SETTABLE_TAGS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: whatever their tags."),
    )
    meals = forms.MultipleChoiceField(
        label=pgettext_lazy("meals: a subsidy rule's meals", "Meals"),
        choices=MealKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every meal."),
    )
    amount = forms.DecimalField(
        label=_("Subsidy per meal (yuan)"), min_value=MIN_AMOUNT, max_value=MAX_AMOUNT, decimal_places=2
    )
    monthly_cap = forms.DecimalField(
        label=_("At most per diner per month (yuan)"),
        min_value=Decimal("0.01"),
        max_value=MAX_CAP,
        decimal_places=2,
        required=False,
        help_text=_("Empty: no cap."),
    )
    valid_from = day_field(_("From"))
    valid_until = day_field(_("Until"), required=False, help_text=_("Empty: until ended."))

    def __init__(self, *args, areas, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class RuleEndForm(forms.Form):
    until = day_field(_("Last day"), help_text=_("Not before the last day an order already used it."))
