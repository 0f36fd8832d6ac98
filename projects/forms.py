"""Forms of the projects' and competitions' pages."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import MultipleFileField, MultipleFileInput, day_field
from partners.models import PartnerUnit
from projects import competitions, proposals
from projects.models import Criterion, Project, ProjectKind, ProposerKind, Round
from registry.models import Resident
from volunteers.models import Team

BUDGET_HELP = gettext_lazy("One line each: item, amount in yuan. For example: 油漆, 1200")
RUBRIC_HELP = gettext_lazy("One line each: criterion, weight, scored out of. The weights add up to 100.")


def _lines(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.strip():
            rows.append([part.strip() for part in line.replace("，", ",").split(",")])
    return rows


class ProjectForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=80)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ProjectKind.choices)
    summary = forms.CharField(
        label=gettext_lazy("What it does"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    proposer_kind = forms.ChoiceField(label=gettext_lazy("Proposed by"), choices=ProposerKind.choices)
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), queryset=Team.objects.none(), required=False)
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Social organisation"), queryset=PartnerUnit.objects.none(), required=False
    )
    resident = forms.IntegerField(
        label=gettext_lazy("Resident's number in the registry"), required=False, min_value=1, max_value=2**62
    )
    starts_on = day_field(gettext_lazy("Starts on"), required=False)
    ends_on = day_field(gettext_lazy("Ends on"), required=False)
    budget = forms.CharField(
        label=gettext_lazy("Budget"),
        required=False,
        max_length=4000,
        help_text=BUDGET_HELP,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, area, project: Project | None = None, **kwargs) -> None:
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": project.title,
                "kind": project.kind,
                "summary": project.summary,
                "proposer_kind": project.proposer_kind,
                "team": project.team_id,
                "partner": project.partner_id,
                "resident": project.resident_id,
                "starts_on": project.starts_on,
                "ends_on": project.ends_on,
                "budget": "\n".join(f"{line.item}, {line.amount}" for line in project.budget.all()),
            }
        super().__init__(*args, **kwargs)
        self.area = area
        self.fields["team"].queryset = proposals.teams_for(area)  # type: ignore[attr-defined]
        self.fields["partner"].queryset = proposals.social_orgs_for(area)  # type: ignore[attr-defined]

    def clean_budget(self) -> list[tuple[str, Decimal]]:
        lines = []
        for parts in _lines(self.cleaned_data.get("budget", "")):
            amount = proposals.parse_amount(parts[-1]) if len(parts) >= 2 else None
            if amount is None:
                raise ValidationError(
                    _("“%(line)s”: write the item, a comma, then the amount.") % {"line": ", ".join(parts)}
                )
            lines.append((", ".join(parts[:-1]), amount))
        return lines

    def draft(self) -> proposals.ProjectDraft:
        data = self.cleaned_data
        resident = None
        if data.get("resident"):
            resident = Resident.objects.filter(
                pk=data["resident"], household__building__path__startswith=self.area.path
            ).first()
        return proposals.ProjectDraft(
            title=data["title"],
            kind=data["kind"],
            summary=data["summary"],
            proposer_kind=data["proposer_kind"],
            team=data.get("team"),
            partner=data.get("partner"),
            resident=resident,
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            budget=data["budget"],
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=[])
    note = forms.CharField(
        label=gettext_lazy("Why (when refused)"), required=False, max_length=proposals.MAX_NOTE
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Milestone"), max_length=100)
    due = day_field(gettext_lazy("Due"))


class DoneForm(forms.Form):
    milestone = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    done_on = day_field(gettext_lazy("Done on"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=proposals.MAX_NOTE)


class ReportForm(forms.Form):
    report = forms.CharField(
        label=gettext_lazy("End report"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )


class PhotosForm(forms.Form):
    photos = MultipleFileField(
        label=gettext_lazy("Photos"), widget=MultipleFileInput(attrs={"accept": "image/*"})
    )


class EnterForm(forms.Form):
    round = forms.ModelChoiceField(label=gettext_lazy("Competition round"), queryset=Round.objects.none())

    def __init__(self, *args, rounds, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]


class RoundForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    call_opens = day_field(gettext_lazy("Call opens"))
    call_closes = day_field(gettext_lazy("Call closes"))
    pick = forms.IntegerField(
        label=gettext_lazy("Best chosen"), min_value=1, max_value=competitions.MAX_PICK, initial=10
    )
    about = forms.CharField(
        label=gettext_lazy("About"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def draft(self) -> competitions.RoundDraft:
        data = self.cleaned_data
        return competitions.RoundDraft(
            title=data["title"],
            year=data["year"],
            call_opens=data["call_opens"],
            call_closes=data["call_closes"],
            pick=data["pick"],
            about=data["about"],
        )


class RubricForm(forms.Form):
    criteria = forms.CharField(
        label=gettext_lazy("Criteria"),
        max_length=4000,
        help_text=RUBRIC_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_criteria(self) -> list[competitions.CriterionDraft]:
        drafts = []
        for parts in _lines(self.cleaned_data["criteria"]):
            try:
                weight = int(parts[1])
                top = int(parts[2]) if len(parts) > 2 else 10
            except (IndexError, ValueError):
                raise ValidationError(
                    _("“%(line)s”: write the criterion, its weight and the points it is scored out of.")
                    % {"line": ", ".join(parts)}
                ) from None
            drafts.append(competitions.CriterionDraft(parts[0], weight, top))
        return drafts


def rubric_text(criteria: list[Criterion]) -> str:
    return "\n".join(f"{c.name}, {c.weight}, {c.max_points}" for c in criteria)


class JudgeForm(forms.Form):
    phone = forms.RegexField(label=gettext_lazy("Judge's mobile number"), regex=r"^1\d{10}$")


class NoticeForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Days for objections"),
        min_value=competitions.MIN_NOTICE_DAYS,
        max_value=competitions.MAX_NOTICE_DAYS,
        initial=7,
    )


class CheckForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=gettext_lazy("Eligibility"),
        coerce=lambda v: v == "yes",
        choices=[("yes", gettext_lazy("Eligible")), ("no", gettext_lazy("Not eligible"))],
    )
    reason = forms.CharField(
        label=gettext_lazy("Why not eligible"), required=False, max_length=competitions.MAX_REASON
    )


class ObjectionForm(forms.Form):
    entry = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Your objection"),
        max_length=competitions.MAX_OBJECTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Answer"),
        max_length=competitions.MAX_OBJECTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("How you are connected"), max_length=200)


class ScoreForm(forms.Form):
    """One field per criterion (``c<id>``), checked by ``projects.judging``."""

    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（{criterion.weight}%）",
                required=False,
                max_digits=6,
                decimal_places=3,
                help_text=_("0 to %(max)d points") % {"max": criterion.max_points},
            )
        self.order_fields([*(f"c{c.pk}" for c in criteria), "comment"])

    def marks(self) -> dict[int, Decimal | None]:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria}
