"""Forms of the shift pages: posting or changing a shift, cancelling it, handing a claim over."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import ancestor_paths
from common.forms import when_field
from partners.models import PartnerUnit
from volunteers.models import Service, Shift, Team
from volunteers.shift_posting import MAX_PLACES, ShiftDraft


class ShiftForm(forms.Form):
    title = forms.CharField(label=_("What"), max_length=120, help_text=_("For example: haircut stall."))
    place = forms.CharField(label=_("Where"), max_length=120)
    starts_at = when_field(_("Starts"))
    ends_at = when_field(_("Ends"))
    places = forms.IntegerField(label=_("People needed"), min_value=1, max_value=MAX_PLACES)
    withdraw_until = when_field(
        _("Volunteers may withdraw until"), required=False, help_text=_("Empty: 24 hours before the start.")
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Any volunteer of the area"),
        help_text=_("A team's shift is claimed by its members only."),
    )
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none(), required=False)
    partner_unit = forms.ModelChoiceField(
        label=_("Staffed by partner unit"), queryset=PartnerUnit.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("What to bring, who to ask"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, teams, areas, shift: Shift | None = None, **kwargs) -> None:
        """``teams``: those the user may post for; ``areas``: where the shift may be (the
        staff member's committee or street, the teams' areas), whose services and partner
        units are the choices."""
        if shift is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": shift.title,
                "place": shift.place,
                "starts_at": shift.starts_at,
                "ends_at": shift.ends_at,
                "places": shift.places,
                "withdraw_until": shift.withdraw_until,
                "team": shift.team_id,
                "service": shift.service_id,
                "partner_unit": shift.partner_unit_id,
                "notes": shift.notes,
            }
        super().__init__(*args, **kwargs)
        paths = {p for a in areas for p in (a.path, *ancestor_paths(a.path))}
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams
        if shift is not None:
            # A shift's team is fixed once posted.
            self.fields["team"].disabled = True
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = Service.objects.filter(
            retired_at__isnull=True
        ).filter(Q(area__isnull=True) | Q(area__path__in=paths))
        cast(
            forms.ModelChoiceField, self.fields["partner_unit"]
        ).queryset = PartnerUnit.objects.current().filter(area__path__in=paths)

    def draft(self) -> ShiftDraft:
        data = self.cleaned_data
        return ShiftDraft(
            title=data["title"],
            place=data["place"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            places=data["places"],
            withdraw_until=data["withdraw_until"],
            notes=data["notes"],
            team=data["team"],
            partner_unit=data["partner_unit"],
            service=data["service"],
        )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it is cancelled"), max_length=200)


class SwapForm(forms.Form):
    to: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Hand my place to"),
        queryset=None,
        empty_label=None,  # type: ignore[arg-type]
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to"]).queryset = candidates
