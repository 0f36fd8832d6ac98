"""Forms of the repeating bookings' and seasons' pages."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import TIME, day_field
from spaces.models import WEEKDAYS, Space
from spaces.seasons import ApplicationDraft, SeasonDraft
from spaces.series import SeriesDraft
from volunteers.models import Team


def _weekdays_field() -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=_("Days of the week"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )


class SeriesForm(forms.Form):
    team = forms.ModelChoiceField(label=_("For the team"), queryset=Team.objects.none(), required=False)
    weekdays = _weekdays_field()
    starts = forms.TimeField(label=_("From"), widget=TIME)
    ends = forms.TimeField(label=_("Until"), widget=TIME)
    first_day = day_field(_("First day"))
    last_day = day_field(_("Last day"))
    purpose = forms.CharField(label=_("What for"), max_length=120)
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=500, initial=1)
    skip_clashes = forms.BooleanField(label=_("Skip the dates that cannot be booked"), required=False)

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams

    def draft(self, space: Space) -> SeriesDraft:
        data = self.cleaned_data
        return SeriesDraft(
            space=space,
            weekdays=frozenset(data["weekdays"]),
            starts=data["starts"],
            ends=data["ends"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            purpose=data["purpose"],
            people=data["people"],
            team=data.get("team"),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=200)


class LastDayForm(forms.Form):
    last_day = day_field(_("New last day"))
    skip_clashes = forms.BooleanField(label=_("Skip the dates that cannot be booked"), required=False)


class SeasonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60, help_text=_("For example: 2027 spring"))
    applications_open = day_field(_("Applications open"))
    applications_close = day_field(_("Applications close"))
    starts_on = day_field(_("Slots start"))
    ends_on = day_field(_("Slots end"))

    def draft(self, area) -> SeasonDraft:
        return SeasonDraft(area=area, **self.cleaned_data)


class ApplicationForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    space = forms.ModelChoiceField(label=_("Space"), queryset=Space.objects.none())
    weekdays = _weekdays_field()
    starts = forms.TimeField(label=_("From"), widget=TIME)
    ends = forms.TimeField(label=_("Until"), widget=TIME)
    purpose = forms.CharField(label=_("What for"), max_length=120)
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=500, initial=1)

    def __init__(self, *args, teams, spaces, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams
        cast(forms.ModelChoiceField, self.fields["space"]).queryset = spaces

    def draft(self) -> ApplicationDraft:
        data = self.cleaned_data
        return ApplicationDraft(
            team=data["team"],
            space=data["space"],
            weekdays=frozenset(data["weekdays"]),
            starts=data["starts"],
            ends=data["ends"],
            purpose=data["purpose"],
            people=data["people"],
        )


class AllocateForm(forms.Form):
    skip_clashes = forms.BooleanField(label=_("Skip the dates that cannot be booked"), required=False)
