"""Forms of the inventory pages: a kind and its loan policy, an item, an item's condition."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from aids.inventory import MAX_AGE, MAX_DAYS, MAX_DEPOSIT, MAX_HOLD_DAYS, MAX_RENEWALS, POLICY_TAGS, KindDraft
from aids.models import AidCategory, AidKind, Condition
from registry.models import Tag
from spaces.models import Site


class KindForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60, help_text=_("For example: 轮椅 (wheelchair)."))
    category = forms.ChoiceField(label=_("Category"), choices=AidCategory.choices)
    about = forms.CharField(
        label=_("About"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    loan_days = forms.IntegerField(label=_("Lent for (days)"), min_value=1, max_value=MAX_DAYS, initial=30)
    renewals = forms.IntegerField(label=_("Renewals allowed"), min_value=0, max_value=MAX_RENEWALS, initial=1)
    renewal_days = forms.IntegerField(
        label=_("Each renewal adds (days)"), min_value=1, max_value=MAX_DAYS, initial=30
    )
    deposit = forms.DecimalField(
        label=_("Deposit (yuan)"), min_value=Decimal("0"), max_value=MAX_DEPOSIT, decimal_places=2, initial=0
    )
    min_age = forms.IntegerField(
        label=_("For residents aged at least"),
        min_value=0,
        max_value=MAX_AGE,
        required=False,
        help_text=_("Empty: no age asked."),
    )
    tags = forms.MultipleChoiceField(
        label=_("Or tagged in the registry"),
        choices=[(t, Tag(t).label) for t in POLICY_TAGS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Either the age or one of the tags is enough; neither: every resident."),
    )
    needs_approval = forms.BooleanField(label=_("Staff approve each request"), required=False)
    hold_days = forms.IntegerField(
        label=_("A set-aside item waits (days)"), min_value=1, max_value=MAX_HOLD_DAYS, initial=3
    )

    def __init__(self, *args, kind: AidKind | None = None, **kwargs) -> None:
        if kind is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": kind.name,
                "category": kind.category,
                "about": kind.about,
                "loan_days": kind.loan_days,
                "renewals": kind.renewals,
                "renewal_days": kind.renewal_days,
                "deposit": kind.deposit,
                "min_age": kind.min_age,
                "tags": kind.tag_list,
                "needs_approval": kind.needs_approval,
                "hold_days": kind.hold_days,
            }
        super().__init__(*args, **kwargs)

    def draft(self) -> KindDraft:
        data = self.cleaned_data
        return KindDraft(
            name=data["name"],
            category=data["category"],
            about=data["about"],
            loan_days=data["loan_days"],
            renewals=data["renewals"],
            renewal_days=data["renewal_days"],
            deposit=data["deposit"],
            min_age=data["min_age"],
            tags=tuple(data["tags"]),
            needs_approval=data["needs_approval"],
            hold_days=data["hold_days"],
        )


NEW_CONDITIONS = [
    (c.value, c.label) for c in (Condition.NEW, Condition.GOOD, Condition.FAIR, Condition.NEEDS_REPAIR)
]


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Number"), max_length=30, help_text=_("As written on it, e.g. LC-03."))
    site = forms.ModelChoiceField(
        label=_("Kept at"), queryset=Site.objects.none(), required=False, empty_label=_("Not said")
    )
    condition = forms.ChoiceField(label=_("Condition"), choices=NEW_CONDITIONS, initial=Condition.GOOD)
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)

    def __init__(self, *args, sites, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        if editing:
            del self.fields["condition"]


class ConditionForm(forms.Form):
    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices)
    note = forms.CharField(label=_("What is wrong, or what was done"), max_length=200, required=False)
