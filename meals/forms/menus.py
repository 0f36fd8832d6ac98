"""Forms of the menus' pages: a dish, a week, a set meal, a copy."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import day_field
from meals.menus import MAX_PRICE, DishDraft, SetMealDraft, day_name, monday_of
from meals.models import Allergen, Dish, DishTag, MealKind, Menu


class DishForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    tags = forms.MultipleChoiceField(
        label=_("Tags"), choices=DishTag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    allergens = forms.MultipleChoiceField(
        label=_("Allergens"), choices=Allergen.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    about = forms.CharField(label=_("About"), max_length=200, required=False)

    def __init__(self, *args, dish: Dish | None = None, **kwargs) -> None:
        if dish is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": dish.name,
                "tags": dish.tag_list,
                "allergens": dish.allergen_list,
                "about": dish.about,
            }
        super().__init__(*args, **kwargs)

    def draft(self) -> DishDraft:
        data = self.cleaned_data
        return DishDraft(
            name=data["name"],
            tags=tuple(data["tags"]),
            allergens=tuple(data["allergens"]),
            about=data["about"],
        )


def next_monday():
    return monday_of(timezone.localdate()) + timedelta(days=7)


class WeekForm(forms.Form):
    week_start = day_field(_("Week of (Monday)"), initial=next_monday)
    copy_from = forms.ModelChoiceField(
        label=_("Copy the set meals of"),
        queryset=Menu.objects.none(),
        required=False,
        help_text=_("Empty: start with an empty week."),
    )

    def __init__(self, *args, menus, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = menus  # type: ignore[attr-defined]
        self.fields["copy_from"].label_from_instance = lambda m: f"{m.week_start:%Y-%m-%d}"  # type: ignore[attr-defined]


class SetMealForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=lambda v: v)
    meal = forms.ChoiceField(label=_("Meal"), choices=MealKind.choices)
    label = forms.CharField(
        label=_("Label"), max_length=20, initial="A", help_text=_("For example: A, B, 软食.")
    )
    price = forms.DecimalField(
        label=_("Price (yuan)"), min_value=Decimal("0"), max_value=MAX_PRICE, decimal_places=2, initial=20
    )
    dishes = forms.ModelMultipleChoiceField(
        label=_("Dishes"), queryset=Dish.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, menu: Menu, dishes, meals, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        days = [menu.week_start + timedelta(days=n) for n in range(7)]
        self.fields["day"].choices = [(d.isoformat(), day_name(d)) for d in days]  # type: ignore[attr-defined]
        self.fields["meal"].choices = [(m, MealKind(m).label) for m in meals]  # type: ignore[attr-defined]
        self.fields["dishes"].queryset = dishes  # type: ignore[attr-defined]
        self._days = {d.isoformat(): d for d in days}

    def draft(self) -> SetMealDraft:
        data = self.cleaned_data
        return SetMealDraft(
            day=self._days[data["day"]],
            meal=data["meal"],
            label=data["label"],
            price=data["price"],
            dishes=list(data["dishes"]),
        )
