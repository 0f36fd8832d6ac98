"""Forms of the staff's pages for sites and spaces: a site, a space, its week of hours, a
closure, an audience rule, a team's priority slot, photos."""

from __future__ import annotations

import re
from datetime import time
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import TIME, MultipleFileField, when_field
from registry.models import Tag
from spaces.models import WEEKDAYS, Site, Space
from spaces.places import SITE_FIELDS, SPACE_FIELDS
from volunteers.models import Team

_STRETCH = re.compile(r"^\s*(\d{1,2})[:：.](\d{2})\s*[-–—~至到]\s*(\d{1,2})[:：.](\d{2})\s*$")


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = list(SITE_FIELDS)
        widgets = {"about": forms.Textarea(attrs={"rows": 3})}


class SpaceForm(forms.ModelForm):
    class Meta:
        model = Space
        fields = list(SPACE_FIELDS)
        widgets = {
            "about": forms.Textarea(attrs={"rows": 3}),
            "equipment": forms.Textarea(attrs={"rows": 2}),
            "how_to_book": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, sites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["site"]).queryset = sites
        for name in ("book_days_ahead", "min_notice_hours", "max_hours", "capacity"):
            self.fields[name].widget.attrs["max"] = 1000
        self.fields["book_days_ahead"].validators.append(_at_most(365))
        self.fields["min_notice_hours"].validators.append(_at_most(24 * 30))
        self.fields["max_hours"].validators.append(_at_most(24))


def _at_most(n: int):
    def check(value):
        if value is not None and value > n:
            raise forms.ValidationError(_("At most %(n)d.") % {"n": n})

    return check


def parse_stretches(text: str) -> list[tuple[time, time]]:
    """ "8:00–11:30, 14:00-17:00" → [(8:00, 11:30), (14:00, 17:00)]; ValueError if unreadable."""
    found = []
    for part in re.split(r"[,，、;；\s]+(?=\d)", text.strip()):
        if not part.strip():
            continue
        match = _STRETCH.match(part)
        if match is None:
            raise ValueError(part)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        found.append((time(h1, m1), time(h2, m2)))
    return found


class HoursForm(forms.Form):
    """A week of hours, one line a day: "8:00–11:30, 13:30–17:00"; empty: closed that day."""

    def __init__(self, *args, space: Space | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for day, label in WEEKDAYS:
            initial = ""
            if space is not None:
                initial = ", ".join(
                    f"{h.opens:%H:%M}–{h.closes:%H:%M}" for h in space.hours.all() if h.weekday == day
                )
            self.fields[f"day_{day}"] = forms.CharField(
                label=label,
                required=False,
                max_length=100,
                initial=initial,
                help_text=_("For example 8:00–11:30, 13:30–17:00; empty: closed.") if day == 0 else "",
            )

    def clean(self):
        data = super().clean() or {}
        week: dict[int, list[tuple[time, time]]] = {}
        for day, _label in WEEKDAYS:
            try:
                stretches = parse_stretches(data.get(f"day_{day}") or "")
            except ValueError:
                self.add_error(f"day_{day}", _("Write the hours as 8:00–11:30, separated by commas."))
                continue
            if stretches:
                week[day] = stretches
        data["week"] = week
        return data


class ClosureForm(forms.Form):
    starts_at = when_field(_("Closed from"))
    ends_at = when_field(_("Closed until"))
    reason = forms.CharField(label=_("Why"), max_length=200, help_text=_("Residents read it, e.g. repairs."))


class WindowForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    starts = forms.TimeField(label=_("From"), widget=TIME)
    ends = forms.TimeField(label=_("Until"), widget=TIME)


class AudienceRuleForm(WindowForm):
    min_age = forms.IntegerField(label=_("Aged at least"), min_value=0, max_value=120, required=False)
    tags = forms.MultipleChoiceField(
        label=_("Or tagged"), choices=Tag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("What residents are told"),
        max_length=200,
        help_text=_("For example: weekdays 8:00–11:30, residents aged 55 and over only."),
    )
    free = forms.BooleanField(label=_("Free of charge"), required=False, initial=True)


class PrioritySlotForm(WindowForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    release_hours = forms.IntegerField(
        label=_("Opens to all this many hours before"), min_value=0, max_value=720, initial=48
    )

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams


class PhotosForm(forms.Form):
    photos = MultipleFileField(label=_("Photos"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs.update({"accept": "image/*", "multiple": True})
