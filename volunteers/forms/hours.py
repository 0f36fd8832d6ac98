"""Forms of the hours pages: logging hours (one's own, or staff for someone), declining and
correcting with a reason."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import TIME, day_field
from volunteers.hours import Served
from volunteers.models import HOURS, Service, Team, Volunteer


class HoursForm(forms.Form):
    day = day_field(_("Day"))
    starts = forms.TimeField(label=_("From"), widget=TIME, required=False)
    ends = forms.TimeField(label=_("Until"), widget=TIME, required=False)
    hours = forms.DecimalField(
        label=_("Or the hours"),
        required=False,
        min_value=-24,
        max_value=24,
        decimal_places=HOURS["decimal_places"],
        help_text=_("Give the times, or only the number of hours (in quarters: 1.25, 2.5)."),
    )
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    note = forms.CharField(label=_("What was done"), max_length=200, required=False)

    field_order = ["volunteer", "day", "starts", "ends", "hours", "service", "team", "note"]

    def __init__(self, *args, services, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = services
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams

    def _moment(self, name: str) -> datetime | None:
        clock = self.cleaned_data.get(name)
        day = self.cleaned_data.get("day")
        if clock is None or day is None:
            return None
        return timezone.make_aware(datetime.combine(day, clock))

    def served(self) -> Served:
        data = self.cleaned_data
        return Served(
            day=data.get("day"),
            starts_at=self._moment("starts"),
            ends_at=self._moment("ends"),
            hours=data.get("hours"),
            service=data.get("service"),
            team=data.get("team"),
            note=data.get("note") or "",
        )


class LogForForm(HoursForm):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.none())

    def __init__(self, *args, volunteers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["volunteer"]).queryset = volunteers


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
