"""Forms of the partner-unit pages. They parse and present; the rules live in the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import day_field
from partners.models import Offer, OfferKind, PartnerUnit, UnitKind
from partners.services import AgreementDraft, ContributionDraft, UnitDraft


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    about = forms.CharField(
        label=_("About"), widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}), required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=60, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        help_text=_("A mobile number or a landline such as 021-56781234."),
    )

    def __init__(self, *args, unit: PartnerUnit | None = None, **kwargs):
        if unit is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": unit.name,
                    "kind": unit.kind,
                    "address": unit.address,
                    "about": unit.about,
                    "contact_name": unit.contact_name,
                    "contact_phone": unit.contact_phone,
                },
            )
        super().__init__(*args, **kwargs)

    def draft(self) -> UnitDraft:
        return UnitDraft(**self.cleaned_data)


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the partnership ends"), widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500})
    )


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_on = day_field(_("From"))
    ends_on = day_field(_("Until"), required=False, help_text=_("Empty: until further notice."))
    signed_on = day_field(_("Signed on"), required=False)
    terms = forms.CharField(
        label=_("What both sides agree"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        required=False,
    )

    def draft(self) -> AgreementDraft:
        return AgreementDraft(**self.cleaned_data)


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices)
    description = forms.CharField(label=_("What is offered"), max_length=200)
    amount = forms.CharField(
        label=_("How much or how often"),
        max_length=100,
        required=False,
        help_text=_("e.g. two doctors, once a month"),
    )


class ContributionForm(forms.Form):
    on = day_field(_("On"))
    what = forms.CharField(label=_("What was given"), max_length=200)
    offer = forms.ModelChoiceField(label=_("Under the offer"), queryset=Offer.objects.none(), required=False)
    people_served = forms.IntegerField(
        label=_("Residents served"), min_value=0, max_value=1_000_000, initial=0
    )
    hours = forms.DecimalField(
        label=_("Hours given"), min_value=Decimal(0), max_digits=7, decimal_places=2, initial=0
    )
    amount_yuan = forms.DecimalField(
        label=_("Funds (yuan)"), min_value=Decimal(0), max_digits=12, decimal_places=2, initial=0
    )

    def __init__(self, *args, unit: PartnerUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = unit.offers.all()  # type: ignore[attr-defined]
        for name in ("people_served", "hours", "amount_yuan"):
            self.fields[name].error_messages["min_value"] = _("It cannot be negative.")

    def draft(self) -> ContributionDraft:
        return ContributionDraft(**self.cleaned_data)


class ContactForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20)
    name = forms.CharField(
        label=_("Name"),
        max_length=50,
        required=False,
        help_text=_("Needed when the number has no account yet."),
    )
