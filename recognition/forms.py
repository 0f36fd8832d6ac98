"""Forms of recognition's pages: a centre, a sheet (criteria and bands as lines), a score,
talent, an award, a nomination, the vote's dates, the decision."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import day_field, when_field
from partners.models import PartnerUnit
from recognition.centres import MAX_TOTAL, BandDraft
from recognition.models import CentreKind, SkillTag
from spaces.models import Site


class CentreForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For example: 江浦路街道睦邻中心."))
    kind = forms.ChoiceField(label=_("Kind"), choices=CentreKind.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    about = forms.CharField(
        label=_("About"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    site = forms.ModelChoiceField(label=_("At site"), queryset=Site.objects.none(), required=False)
    operator = forms.ModelChoiceField(
        label=_("Run by (social organisation)"), queryset=PartnerUnit.objects.none(), required=False
    )

    def __init__(self, *args, sites, operators, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["operator"].queryset = operators  # type: ignore[attr-defined]


def _lines(text: str) -> list[list[str]]:
    return [[p.strip() for p in line.split("|")] for line in text.splitlines() if line.strip()]


class SheetForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    total_points = forms.IntegerField(label=_("Total points"), min_value=1, max_value=MAX_TOTAL, initial=100)
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One a line: the criterion | its points. For example: 场地设施 | 20"),
    )
    bands = forms.CharField(
        label=_("Star bands"),
        widget=forms.Textarea(attrs={"rows": 5}),
        initial="5 | 90 | 100\n4 | 80 | 90\n3 | 70 | 80\n2 | 60 | 70",
        help_text=_("One a line: stars | from score | below score (the top band ends at the total)."),
    )

    def clean_criteria(self) -> list[tuple[str, int]]:
        rows = []
        for parts in _lines(self.cleaned_data["criteria"]):
            if len(parts) != 2 or not parts[1].isdigit() or int(parts[1]) > MAX_TOTAL:
                raise ValidationError(_("Write each criterion as: words | points."))
            rows.append((parts[0][:200], int(parts[1])))
        return rows

    def clean_bands(self) -> list[BandDraft]:
        rows = []
        for parts in _lines(self.cleaned_data["bands"]):
            try:
                if len(parts) != 3 or not parts[0].isdigit():
                    raise InvalidOperation
                low, high = Decimal(parts[1]), Decimal(parts[2])
                if not (low.is_finite() and high.is_finite()) or max(abs(low), abs(high)) > MAX_TOTAL:
                    raise InvalidOperation
            except InvalidOperation:
                raise ValidationError(_("Write each band as: stars | from score | below score.")) from None
            rows.append(BandDraft(int(parts[0]) if len(parts[0]) < 3 else 0, low, high))
        return rows


class ScoreForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    points = forms.DecimalField(label=_("Points"), min_value=0, max_digits=6, decimal_places=1)
    note = forms.CharField(
        label=_("Evidence note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("Evidence file (photo or PDF)"), required=False)


class StartRatingForm(forms.Form):
    sheet = forms.IntegerField(label=_("Rating sheet"), min_value=1, max_value=2**62)


class TalentForm(forms.Form):
    shown_as = forms.CharField(
        label=_("Shown to the public as"),
        max_length=20,
        help_text=_("For example: 王阿姨. Never the phone or address."),
    )
    tags = forms.MultipleChoiceField(
        label=_("Skills"), choices=SkillTag.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    skills = forms.CharField(
        label=_("What they can do"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    teaches = forms.BooleanField(label=_("Willing to teach"), required=False, initial=True)
    helps = forms.BooleanField(label=_("Willing to help"), required=False, initial=True)


class AwardForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=80, help_text=_("For example: 最美江秋人."))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    about = forms.CharField(
        label=_("What it honours"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    places = forms.IntegerField(label=_("Winners at most"), min_value=1, max_value=100, initial=10)
    nominations_until = day_field(_("Nominations until"))


class NominationForm(forms.Form):
    nominee = forms.IntegerField(label=_("Nominee"), min_value=1, max_value=2**62)
    reason = forms.CharField(label=_("Why"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, nominees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominee"] = forms.TypedChoiceField(
            label=_("Nominee"),
            coerce=int,
            choices=[(r.pk, f"{r.name} · {r.household.building.name}") for r in nominees],
        )


class OpenVoteForm(forms.Form):
    opens_at = when_field(_("Voting opens"))
    closes_at = when_field(_("Voting closes"))


class DecideForm(forms.Form):
    winners = forms.TypedMultipleChoiceField(
        label=_("Winners"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    decision = forms.CharField(
        label=_("The committee's decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, nominations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["winners"].choices = [(n.pk, n.nominee.name) for n in nominations]  # type: ignore[attr-defined]
