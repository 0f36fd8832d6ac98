"""Forms of the convention pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area, AreaLevel
from common.forms import DAY
from conventions.models import Convention, ConventionVersion
from conventions.services import ConventionDraft, clauses_as_text, parse_clauses
from conventions.signing import MAX_COMMENT_LENGTH


class AreaChoice(forms.ModelChoiceField):
    def __init__(self, committee: Area, **kwargs) -> None:
        self.top = committee
        parts = (
            Area.objects.subtree(committee)
            .active()
            .filter(
                level__in=[AreaLevel.COMMITTEE, AreaLevel.GRID, AreaLevel.BUILDING_GROUP, AreaLevel.BUILDING]
            )
            .order_by("path")
        )
        super().__init__(queryset=parts, **kwargs)

    def label_from_instance(self, obj: Area) -> str:
        if obj.pk == self.top.pk:
            return str(_("All of %(area)s") % {"area": obj.name})
        indent = "\u2003" * max(obj.depth - self.top.depth - 1, 0)
        return f"{indent}{obj.name}"


class ConventionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    preamble = forms.CharField(
        label=_("Preamble"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Why the residents adopt it, in a few lines."),
    )
    clauses = forms.CharField(
        label=_("Clauses"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=_(
            "One clause per line, its theme first and a bar: 社区健康类｜每月参加一次健康讲座. "
            "A line without a theme keeps the theme of the line above. Reorder by moving lines."
        ),
    )
    per_household = forms.BooleanField(
        label=_("One signature per household"),
        required=False,
        help_text=_("Otherwise every resident signs for themself."),
    )

    def __init__(
        self,
        *args,
        committee: Area,
        convention: Convention | None = None,
        version: ConventionVersion | None = None,
        settled: bool = False,
        **kwargs,
    ) -> None:
        if convention is not None and version is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": convention.title,
                "area": convention.area_id,
                "per_household": convention.per_household,
                "preamble": version.preamble,
                "clauses": clauses_as_text(version),
            }
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaChoice(
            committee,
            label=_("For residents of"),
            initial=committee.pk,
            help_text=_("The committee, or one grid, building group or building of it."),
        )
        self.order_fields(["title", "area", "per_household", "preamble", "clauses"])
        if settled:
            # Residents have seen it: whom it is for and how it is signed stay.
            for name in ("area", "per_household"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Settled when residents were first consulted.")

    def draft(self) -> ConventionDraft:
        data = self.cleaned_data
        return ConventionDraft(
            title=data["title"],
            area=data["area"],
            per_household=data["per_household"],
            preamble=data["preamble"],
            clauses=parse_clauses(data["clauses"]),
        )


class ConsultationForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Consultation closes on"),
        widget=DAY,
        help_text=_("Residents comment until the end of this day."),
    )


class CommentForm(forms.Form):
    clause = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    resident = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    text = forms.CharField(
        label=_("Your comment"), max_length=MAX_COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
