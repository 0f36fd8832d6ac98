"""Forms of the booking pages: a booking (by a resident, a team leader, a partner contact, or
staff for anyone), a reason to decline or cancel, the staff list's filters."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import TIME, day_field
from spaces.bookings import MAX_PEOPLE
from spaces.models import BookingStatus, Space
from spaces.policy import Holder
from spaces.selectors import Choices


class BookingForm(forms.Form):
    """When, what for, how many, and whom for (one of the choices the user has)."""

    day = day_field(_("Day"))
    starts = forms.TimeField(label=_("From"), widget=TIME)
    ends = forms.TimeField(label=_("Until"), widget=TIME)
    purpose = forms.CharField(
        label=_("What for"), max_length=120, help_text=_("For example: rehabilitation exercise.")
    )
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=MAX_PEOPLE, initial=1)
    holder = forms.ChoiceField(label=_("Booked for"), widget=forms.RadioSelect)

    def __init__(
        self, *args, choices: Choices, staff: bool = False, person_label=lambda p: p.name, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        options: list[tuple[str, str]] = [(f"r{p.pk}", person_label(p)) for p in choices.people]
        options += [(f"t{t.pk}", str(_("Team: %(name)s") % {"name": t.name})) for t in choices.teams]
        options += [(f"u{u.pk}", str(_("Unit: %(name)s") % {"name": u.name})) for u in choices.units]
        if staff:
            options.append(("own", str(_("The committee's own use"))))
        cast(forms.ChoiceField, self.fields["holder"]).choices = options
        if len(options) == 1:
            self.fields["holder"].initial = options[0][0]

    def moments(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return (
            timezone.make_aware(datetime.combine(data["day"], data["starts"])),
            timezone.make_aware(datetime.combine(data["day"], data["ends"])),
        )

    def holder_of(self) -> Holder:
        value = self.cleaned_data["holder"]
        if value.startswith("r"):
            return Holder(resident=next(p for p in self.choices.people if f"r{p.pk}" == value))
        if value.startswith("t"):
            return Holder(team=next(t for t in self.choices.teams if f"t{t.pk}" == value))
        if value.startswith("u"):
            return Holder(unit=next(u for u in self.choices.units if f"u{u.pk}" == value))
        return Holder()


class StaffBookingForm(BookingForm):
    """Staff book a space for a resident (found by name), a team, a unit or their own use."""

    space = forms.ModelChoiceField(label=_("Space"), queryset=Space.objects.none())
    override = forms.BooleanField(label=_("Override the audience rule and teams' priority"), required=False)
    field_order = ["space", "holder", "day", "starts", "ends", "purpose", "people", "override"]

    def __init__(self, *args, spaces, **kwargs) -> None:
        # Namesakes told apart (sex, age, door), as wherever staff pick a person from a list.
        super().__init__(*args, staff=True, person_label=lambda p: f"{p.name}（{p.tell_apart}）", **kwargs)
        cast(forms.ModelChoiceField, self.fields["space"]).queryset = spaces


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=200, help_text=_("The booker reads it."))


class FilterForm(forms.Form):
    space = forms.ModelChoiceField(label=_("Space"), queryset=Space.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *BookingStatus.choices], required=False
    )
    first = day_field(_("From"), required=False)
    last = day_field(_("Until"), required=False)

    def __init__(self, *args, spaces, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["space"]).queryset = spaces
