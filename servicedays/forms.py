"""Forms of the service-day pages: a day, a stall, cancelling, repeating month by month, a
volunteer shift posted for a stall."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from common.forms import when_field
from servicedays.models import ServiceDay, Stall
from servicedays.planning import MAX_MONTHS, MAX_TICKETS, DayDraft, StallDraft, shifts_for, sites_for
from volunteers.models import Shift
from volunteers.shift_posting import MAX_PLACES, services_for, units_for


class DayForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=120, help_text=_("For example: monthly service day.")
    )
    site: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Service point"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )
    place = forms.CharField(
        label=_("Where there"),
        max_length=120,
        required=False,
        help_text=_("For example: the square by gate 2."),
    )
    starts_at = when_field(_("Starts"))
    ends_at = when_field(_("Ends"))
    about = forms.CharField(label=_("About"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, area: Area, day: ServiceDay | None = None, **kwargs) -> None:
        if day is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": day.title,
                "site": day.site_id,
                "place": day.place,
                "starts_at": day.starts_at,
                "ends_at": day.ends_at,
                "about": day.about,
            }
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["site"]).queryset = sites_for(area)

    def draft(self) -> DayDraft:
        data = self.cleaned_data
        return DayDraft(
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            site=data["site"],
            place=data["place"],
            about=data["about"],
        )


class StallForm(forms.Form):
    name = forms.CharField(label=_("Stall"), max_length=60, help_text=_("For example: haircut."))
    service: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Service"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )
    shift: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Volunteer shift"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )
    partner_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Partner unit"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )
    staff_names = forms.CharField(label=_("Staffed by"), max_length=200, required=False)
    max_tickets = forms.IntegerField(
        label=_("Most numbers to hand out"),
        min_value=1,
        max_value=MAX_TICKETS,
        required=False,
        help_text=_("Empty: no limit."),
    )

    def __init__(self, *args, area: Area, stall: Stall | None = None, **kwargs) -> None:
        if stall is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": stall.name,
                "service": stall.service_id,
                "shift": stall.shift_id,
                "partner_unit": stall.partner_unit_id,
                "staff_names": stall.staff_names,
                "max_tickets": stall.max_tickets,
            }
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = services_for(area)
        shifts = shifts_for(area)
        if stall is not None and stall.shift_id:
            shifts = shifts | Shift.objects.filter(pk=stall.shift_id)
        cast(forms.ModelChoiceField, self.fields["shift"]).queryset = shifts
        cast(forms.ModelChoiceField, self.fields["partner_unit"]).queryset = units_for(area)

    def draft(self, position: int = 0) -> StallDraft:
        data = self.cleaned_data
        return StallDraft(
            name=data["name"],
            service=data["service"],
            shift=data["shift"],
            partner_unit=data["partner_unit"],
            staff_names=data["staff_names"],
            max_tickets=data["max_tickets"],
            position=position,
        )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it is cancelled"), max_length=200)


class RepeatForm(forms.Form):
    months = forms.IntegerField(label=_("For how many months"), min_value=1, max_value=MAX_MONTHS, initial=11)
    by_weekday = forms.BooleanField(
        label=_("Repeat on"),
        required=False,
        widget=forms.Select(
            choices=[("", _("the same date each month")), ("1", _("the same weekday of the month"))]
        ),
    )


class StallShiftForm(forms.Form):
    places = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=MAX_PLACES, initial=2)
