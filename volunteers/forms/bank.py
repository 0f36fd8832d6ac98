"""Forms of the time-bank pages."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import when_field
from registry.models import Tag
from volunteers.models import CREDITS, Service, Volunteer

AMOUNT = {"max_digits": CREDITS["max_digits"], "decimal_places": CREDITS["decimal_places"]}


def amount_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=-(10**6),
        max_value=10**6,
        max_digits=AMOUNT["max_digits"],
        decimal_places=AMOUNT["decimal_places"],
    )


class GiveForm(forms.Form):
    to = forms.TypedChoiceField(label=_("To"), coerce=int, choices=())
    amount = amount_field(_("Credits"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to"]).choices = [(r.pk, r.name) for r in family]


class DonateForm(forms.Form):
    amount = amount_field(_("Credits"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class GrantForm(forms.Form):
    resident = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    amount = amount_field(_("Credits"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AskForm(forms.Form):
    person = forms.TypedChoiceField(label=_("For"), coerce=int, choices=())
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    wanted_at = when_field(_("When"))
    hours = forms.DecimalField(label=_("Hours"), min_value=-24, max_value=24, max_digits=6, decimal_places=2)
    details = forms.CharField(label=_("Details"), max_length=300, required=False)

    def __init__(self, *args, people, services, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["person"]).choices = [(r.pk, r.name) for r in people]
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = services


class RuleForm(forms.Form):
    credits_per_hour = forms.DecimalField(
        label=_("Credits per hour"), min_value=-100, max_value=100, max_digits=4, decimal_places=2
    )
    min_age = forms.IntegerField(label=_("May spend from age"), min_value=-1, max_value=200)
    tags = forms.MultipleChoiceField(
        label=_("Or residents tagged"),
        choices=Tag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    not_earning = forms.ModelMultipleChoiceField(
        label=_("Services that earn no credits"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, services, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["not_earning"]).queryset = services


class MatchForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.none())

    def __init__(self, *args, volunteers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["volunteer"]).queryset = volunteers
