"""Forms of the visit pages: few fields, big choices, usable with a thumb at the door."""

from __future__ import annotations

from datetime import date
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.roles import Role
from common.forms import DAY
from registry.models import Resident
from visits import planning
from visits.models import Way
from visits.services import NeedDraft, PlanDraft


def quarter_of(today: date) -> tuple[str, date, date]:
    """The title and period of the quarter ``today`` is in: 2026年第四季度四百走访."""
    q = (today.month - 1) // 3
    start = date(today.year, 3 * q + 1, 1)
    end = date(today.year + (q == 3), (3 * q + 3) % 12 + 1, 1).toordinal() - 1
    numbers = "一二三四"
    return f"{today.year}年第{numbers[q]}季度四百走访", start, date.fromordinal(end)


class WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_on = forms.DateField(label=_("Starts on"), widget=DAY)
    ends_on = forms.DateField(label=_("Ends on"), widget=DAY)
    workers = forms.MultipleChoiceField(
        label=_("Who visits"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Building groups are shared out among them, each group whole, so that everyone has about "
            "as many households; a building leader takes their own group. You can change any group's "
            "worker afterwards."
        ),
    )

    def __init__(self, *args, eligible: dict[int, planning.Eligible], today: date, **kwargs) -> None:
        title, start, end = quarter_of(today)
        kwargs.setdefault("initial", {"title": title, "starts_on": start, "ends_on": end})
        super().__init__(*args, **kwargs)
        self.eligible = eligible
        cast(forms.ChoiceField, self.fields["workers"]).choices = [
            (str(pk), _label(e)) for pk, e in eligible.items()
        ]

    def draft(self) -> PlanDraft:
        data = self.cleaned_data
        workers = [self.eligible[int(pk)].user for pk in data["workers"]]
        return PlanDraft(data["title"], data["starts_on"], data["ends_on"], workers)


def _label(entry: planning.Eligible) -> str:

    roles = "、".join(str(Role(r).label) for r in sorted(entry.roles))
    groups = "、".join(g.name for g in entry.groups)
    return f"{entry.user.name} · {roles}" + (f" ({groups})" if groups else "")


class PlanEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_on = forms.DateField(label=_("Starts on"), widget=DAY)
    ends_on = forms.DateField(label=_("Ends on"), widget=DAY)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date"), widget=DAY)
    way = forms.ChoiceField(label=_("How"), choices=Way.choices, widget=forms.RadioSelect, initial=Way.DOOR)
    seen = forms.ModelMultipleChoiceField(
        label=_("Who was seen"),
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.CharField(
        label=_("Others seen"),
        max_length=200,
        required=False,
        help_text=_("A carer, a relative visiting, a neighbour…"),
    )
    findings = forms.CharField(
        label=_("What you found"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    needs = forms.CharField(
        label=_("What they need"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, living: list[Resident], today: date, **kwargs) -> None:
        kwargs.setdefault("initial", {"visited_on": today, "way": Way.DOOR})
        super().__init__(*args, **kwargs)
        ids = [p.pk for p in living]
        seen = self.fields["seen"]
        assert isinstance(seen, forms.ModelMultipleChoiceField)
        seen.queryset = Resident.objects.filter(pk__in=ids).order_by("pk")
        seen.label_from_instance = lambda obj: obj.name  # type: ignore[method-assign,assignment]
        self.fields["visited_on"].widget.attrs["max"] = today.isoformat()


class NeedForm(forms.Form):
    """'Raise as a request': who it is for, the category and the words."""

    raise_demand = forms.BooleanField(label=_("Raise this need as a request"), required=False)
    demand_resident = forms.TypedChoiceField(label=_("For"), coerce=int, required=False)
    demand_category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False)
    demand_text = forms.CharField(
        label=_("The request"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(
        self, *args, living: list[Resident], categories: list, always: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.always = always
        self.people = {p.pk: p for p in living}
        self.categories = {c.pk: c for c in categories}
        cast(forms.ChoiceField, self.fields["demand_resident"]).choices = [(p.pk, p.name) for p in living]
        cast(forms.ChoiceField, self.fields["demand_category"]).choices = [("", "—")] + [
            (c.pk, c.name) for c in categories
        ]
        if always:
            del self.fields["raise_demand"]

    @property
    def wanted(self) -> bool:
        return self.always or bool(self.cleaned_data.get("raise_demand"))

    def need(self, fallback_text: str = "") -> NeedDraft | None:
        if not self.wanted:
            return None
        data = self.cleaned_data
        return NeedDraft(
            resident=self.people.get(data.get("demand_resident") or 0),
            category=self.categories.get(data.get("demand_category") or 0),
            text=data.get("demand_text") or fallback_text,
        )


class SharesForm(forms.Form):
    """One choice of worker per unit of the committee (building group or loose building)."""

    def __init__(self, *args, units, current, eligible, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        self.eligible = eligible
        for unit in units:
            choices = [(str(pk), e.user.name) for pk, e in eligible.items() if e.may_take(unit.area)]
            share = current.get(unit.area.pk)
            if share is None:
                choices.insert(0, ("", _("— nobody yet —")))
            self.fields[f"unit-{unit.area.pk}"] = forms.ChoiceField(
                label=unit.area.name,
                choices=choices,
                required=False,
                initial=str(share.worker_id) if share else "",
                help_text=ngettext("%(n)d household", "%(n)d households", unit.households)
                % {"n": unit.households},
            )

    def changes(self) -> dict:
        out = {}
        for unit in self.units:
            value = self.cleaned_data.get(f"unit-{unit.area.pk}")
            if value:
                out[unit.area.pk] = self.eligible[int(value)].user
        return out
