"""Forms of the activity pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from activities.services import MAX_REPEAT, ActivityDraft
from areas.forms import AreaChoices
from areas.models import Area
from common.forms import MultipleFileField, when_field
from registry.models import Tag
from volunteers.models import Team


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    place = forms.CharField(label=_("Place"), max_length=120)
    starts_at = when_field(_("Starts"))
    ends_at = when_field(_("Ends"))
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )
    opens_at = when_field(
        _("Sign-up opens"), required=False, help_text=_("Empty: as soon as it is published.")
    )
    closes_at = when_field(_("Sign-up closes"), required=False, help_text=_("Empty: when it starts."))
    min_age = forms.IntegerField(label=_("Youngest age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("Oldest age"), min_value=0, max_value=120, required=False)
    tags = forms.MultipleChoiceField(
        label=_("Only residents tagged"),
        choices=Tag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for everyone; otherwise residents with any ticked tag."),
    )
    weeks = forms.IntegerField(
        label=_("Repeat weekly"),
        min_value=1,
        max_value=MAX_REPEAT,
        initial=1,
        help_text=_("Number of sessions, one a week at the same time (e.g. 4 for a monthly class)."),
    )

    def __init__(self, *args, committee: Area, activity: Activity | None = None, **kwargs) -> None:
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": activity.title,
                "description": activity.description,
                "place": activity.place,
                "starts_at": activity.starts_at,
                "ends_at": activity.ends_at,
                "capacity": activity.capacity,
                "opens_at": activity.opens_at,
                "closes_at": activity.closes_at,
                "min_age": activity.min_age,
                "max_age": activity.max_age,
                "tags": activity.tag_list,
                "areas": [a.area_id for a in activity.areas.all()],
                "team": activity.team_id,
            }
        super().__init__(*args, **kwargs)
        self.fields["areas"] = AreaChoices(
            list(Area.objects.parts_of(committee)),
            committee,
            label=_("Only for residents of"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_("Leave all unticked for the whole committee."),
        )
        self.fields["team"] = forms.ModelChoiceField(
            queryset=Team.objects.current().filter(area_id__in=[committee.pk, committee.parent_id]),
            label=_("Organised by team"),
            required=False,
            help_text=_("A team of the committee or its street that organises it, if any."),
        )
        self.order_fields(["title", "description", "place", "starts_at", "ends_at", "capacity", "weeks"])
        if activity is not None:
            del self.fields["weeks"]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("It must end after it starts."))
        return data

    def draft(self) -> ActivityDraft:
        data = self.cleaned_data
        return ActivityDraft(
            title=data["title"],
            description=data["description"],
            place=data["place"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data["capacity"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            min_age=data["min_age"],
            max_age=data["max_age"],
            areas=list(data["areas"]),
            tags=list(data["tags"]),
            team=data["team"],
        )


class ReviewForm(forms.Form):
    summary = forms.CharField(
        label=_("How it went"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published as community news for the whole committee, with the photos."),
    )
    photos = MultipleFileField(label=_("Photos"), required=False)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("A few words (optional)"), max_length=300, required=False)
