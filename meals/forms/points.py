"""Forms of the dining points' pages: a point, a meal it serves, a pause."""

from __future__ import annotations

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from meals.models import DiningPoint, MealKind, PointKind, PointMeal
from meals.points import MAX_DAYS_BEFORE, MAX_PLACES, MAX_REASON, MealDraft, PointDraft
from spaces.models import Site

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For example: 延长新村长者食堂."))
    kind = forms.ChoiceField(label=_("Kind"), choices=PointKind.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone for orders"), max_length=30, required=False)
    about = forms.CharField(
        label=_("About"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    site = forms.ModelChoiceField(label=_("At site"), queryset=Site.objects.none(), required=False)
    serves = forms.ModelMultipleChoiceField(
        label=_("Committees served"), queryset=Area.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, sites, committees, point: DiningPoint | None = None, **kwargs) -> None:
        if point is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": point.name,
                "kind": point.kind,
                "address": point.address,
                "phone": point.phone,
                "about": point.about,
                "site": point.site_id,
                "serves": [a.pk for a in point.serves.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["serves"].queryset = committees  # type: ignore[attr-defined]

    def draft(self) -> PointDraft:
        data = self.cleaned_data
        return PointDraft(
            name=data["name"],
            kind=data["kind"],
            address=data["address"],
            phone=data["phone"],
            about=data["about"],
            site=data["site"],
            serves=list(data["serves"]),
        )


class MealForm(forms.Form):
    meal = forms.ChoiceField(label=_("Meal"), choices=MealKind.choices)
    places = forms.IntegerField(label=_("Places per meal"), min_value=1, max_value=MAX_PLACES, initial=100)
    serves_from = forms.TimeField(label=_("Served from"), widget=TIME, initial=time(11, 0))
    serves_until = forms.TimeField(label=_("Served until"), widget=TIME, initial=time(12, 30))
    cutoff = forms.TimeField(label=_("Order by"), widget=TIME, initial=time(9, 30))
    cutoff_days_before = forms.IntegerField(
        label=_("Days before"),
        min_value=0,
        max_value=MAX_DAYS_BEFORE,
        initial=0,
        help_text=_("0: orders close on the day; 1: the day before (breakfast)."),
    )
    delivers = forms.BooleanField(label=_("Delivered to those who need it"), required=False, initial=True)

    def __init__(self, *args, served: PointMeal | None = None, **kwargs) -> None:
        if served is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "meal": served.meal,
                "places": served.places,
                "serves_from": served.serves_from,
                "serves_until": served.serves_until,
                "cutoff": served.cutoff,
                "cutoff_days_before": served.cutoff_days_before,
                "delivers": served.delivers,
            }
        super().__init__(*args, **kwargs)

    def draft(self) -> MealDraft:
        data = self.cleaned_data
        return MealDraft(
            meal=data["meal"],
            places=data["places"],
            serves_from=data["serves_from"],
            serves_until=data["serves_until"],
            cutoff=data["cutoff"],
            cutoff_days_before=data["cutoff_days_before"],
            delivers=data["delivers"],
        )


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"), max_length=MAX_REASON, help_text=_("Residents see it, e.g. 厨房检修 until Friday.")
    )
