"""Forms of the request pages. They parse and present; the rules live in the services."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from areas.models import Area, AreaLevel
from common.forms import DayField
from demands.categories import MAX_HOURS
from demands.models import Assignee, Category, Demand, DemandSource, DemandStatus, ProjectStatus
from demands.photos import MAX_PHOTOS
from demands.selectors import categories_for, handlers_of
from partners.models import PartnerUnit
from partners.selectors import for_assignment

TEXT_ATTRS = {"rows": 4, "maxlength": 2000}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three photos from one file input (the phone offers its camera and gallery)."""

    widget = MultipleFileInput(attrs={"accept": "image/*"})

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return obj.name


def _buildings(committees: list[Area]):
    paths = [c.path for c in committees]
    if not paths:
        return Area.objects.none()
    return Area.objects.under_any(paths).active().filter(level=AreaLevel.BUILDING).order_by("path")


class PlaceFields(forms.Form):
    """Where: at home, or a public place described in words (with a building if near one)."""

    where = forms.ChoiceField(
        label=_("Where is it"),
        choices=[("home", _("At my home")), ("public", _("A public place (stairwell, courtyard, road…)"))],
        widget=forms.RadioSelect,
        initial="home",
    )
    place = forms.CharField(
        label=_("Which place"),
        max_length=120,
        required=False,
        help_text=_("For a public place: e.g. “the bike shed behind 5号楼”."),
    )
    building = forms.ModelChoiceField(
        label=_("Nearest building"), queryset=Area.objects.none(), required=False
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (
            data.get("where") == "public"
            and not (data.get("place") or "").strip()
            and not data.get("building")
        ):
            self.add_error("place", _("Say which public place."))
        if data.get("where") == "home":
            data["place"], data["building"] = "", None
        return data


class SubmitForm(PlaceFields):
    resident = forms.TypedChoiceField(label=_("Who is it for"), coerce=int, required=False)
    category = CategoryChoice(
        label=_("What kind of help"),
        queryset=Category.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    text = forms.CharField(
        label=_("What do you need?"),
        widget=forms.Textarea(attrs=TEXT_ATTRS),
        max_length=2000,
        help_text=_("In your own words: what, since when, and when someone can come."),
    )
    photos = PhotosField(
        label=_("Photos (up to %(n)d)") % {"n": MAX_PHOTOS},
        required=False,
        help_text=_("Optional: a photo of a leak or a broken light helps."),
    )

    field_order = ["resident", "category", "text", "where", "place", "building", "photos"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        committees = list({p.committee_id: p.committee for p in people}.values())
        offered: dict[int, Category] = {}
        for committee in committees:
            for category in categories_for(committee):
                offered.setdefault(category.pk, category)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = Category.objects.filter(
            pk__in=offered
        ).order_by("position", "name", "pk")
        cast(forms.ModelChoiceField, self.fields["building"]).queryset = _buildings(committees)
        if len(people) > 1:
            cast(forms.ChoiceField, self.fields["resident"]).choices = [(p.pk, p.name) for p in people]
            self.fields["resident"].required = True
        else:
            del self.fields["resident"]


class LogForm(PlaceFields):
    """Staff log a request for a resident they found (by name or room) in their scope."""

    source = forms.ChoiceField(
        label=_("How it reached you"),
        choices=[(s.value, s.label) for s in DemandSource if s != DemandSource.ONLINE],
        initial=DemandSource.PHONE,
        widget=forms.RadioSelect,
    )
    category = CategoryChoice(label=_("Category"), queryset=Category.objects.none())
    text = forms.CharField(
        label=_("What is needed"), widget=forms.Textarea(attrs=TEXT_ATTRS), max_length=2000
    )
    photos = PhotosField(label=_("Photos (up to %(n)d)") % {"n": MAX_PHOTOS}, required=False)

    field_order = ["source", "category", "text", "where", "place", "building", "photos"]

    def __init__(self, *args, committee: Area, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories_for(committee)
        cast(forms.ModelChoiceField, self.fields["building"]).queryset = _buildings([committee])


class AssignForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Who carries it out"), choices=Assignee.choices, widget=forms.RadioSelect
    )
    worker = forms.ModelChoiceField(label=_("Social worker"), queryset=User.objects.none(), required=False)
    unit = forms.ModelChoiceField(
        label=_("Partner unit"),
        queryset=PartnerUnit.objects.none(),
        required=False,
        help_text=_("When a partner unit carries it out: its people are told and answer the resident."),
    )
    name = forms.CharField(
        label=_("Name of the outside body"),
        max_length=120,
        required=False,
        help_text=_("e.g. 慧芝湖花园物业服务中心 (property management or owners' committee)."),
    )
    category = CategoryChoice(label=_("Category"), queryset=Category.objects.none(), required=False)
    note = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, demand: Demand, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "kind": demand.assignee_kind or Assignee.WORKER,
                "worker": demand.assignee_id,
                "unit": demand.assignee_unit_id,
                "name": "" if demand.assignee_unit_id else demand.assignee_name,
                "category": demand.category_id,
            },
        )
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["worker"]).queryset = handlers_of(demand.committee)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = for_assignment(demand.committee)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories_for(demand.committee)


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}))
    internal = forms.BooleanField(label=_("Internal note: staff only"), required=False)


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        help_text=_("The resident reads this and rates the result."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}))


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        coerce=int,
        choices=[
            (5, _("5 · Very satisfied")),
            (4, _("4 · Satisfied")),
            (3, _("3 · So-so")),
            (2, _("2 · Not satisfied")),
            (1, _("1 · Very unsatisfied")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add"),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
        required=False,
    )


class QueueForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Being handled")), ("", _("All")), *DemandStatus.choices],
    )
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    source = forms.ChoiceField(
        label=_("Came in"), required=False, choices=[("", _("Any way")), *DemandSource.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    text = forms.CharField(label=_("Words or name"), required=False, max_length=50)

    def __init__(self, *args, committee: Area | None, **kwargs):
        super().__init__(*args, **kwargs)
        cats = (
            categories_for(committee)
            if committee is not None and committee.level == AreaLevel.COMMITTEE
            else []
        )
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Any")),
            *[(c.pk, c.name) for c in cats],
        ]
        workers = (
            [(str(u.pk), u.name) for u in handlers_of(committee)]
            if committee is not None and committee.level == AreaLevel.COMMITTEE
            else []
        )
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Not yet assigned")),
            ("outside", _("An outside body")),
            *workers,
        ]


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    service_hours = forms.IntegerField(label=_("Hours to resolve"), min_value=1, max_value=MAX_HOURS)
    elderly = forms.BooleanField(label=_("A service for the elderly"), required=False)


class LevelForm(forms.Form):
    service_hours = forms.IntegerField(label=_("Hours to resolve"), min_value=1, max_value=MAX_HOURS)


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("What it is for"), widget=forms.Textarea(attrs={"rows": 4}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, committee: Area, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = handlers_of(committee)


class ProjectMoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=ProjectStatus.choices)
    outcome = forms.CharField(
        label=_("What was done, or why it was dropped"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class PeriodForm(forms.Form):
    start = DayField(label=_("From"), required=False)
    end = DayField(label=_("To"), required=False)

    def period(self):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=89)
        if start > end:
            start, end = end, start
        return start, end
