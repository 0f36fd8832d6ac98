"""Forms of recognition: which figures to show, issuing and revoking a certificate."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.forms import day_field
from common.schemas import FIRST_YEAR, LAST_YEAR
from volunteers.recognition import BY_CHOICES, BY_VOLUNTEER

MONTH_CHOICES = [("", _("The whole year"))] + [(str(m), str(m)) for m in range(1, 13)]


class FiguresForm(forms.Form):
    """``?year=&month=&by=`` of the figures page: anything not understood falls back to this
    year, the whole year, by volunteer."""

    year = forms.IntegerField(
        label=pgettext_lazy("recognition", "Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTH_CHOICES, coerce=int, empty_value=None, required=False
    )
    by = forms.ChoiceField(label=pgettext_lazy("recognition", "Rows"), choices=BY_CHOICES, required=False)

    def choice(self) -> tuple[int, int | None, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("year") or timezone.localdate().year,
            data.get("month"),
            data.get("by") or BY_VOLUNTEER,
        )


class PeriodForm(forms.Form):
    """The period a certificate covers: this year up to today unless another is given."""

    period_from = day_field(_("From"))
    period_to = day_field(pgettext_lazy("recognition", "Until"))

    @staticmethod
    def this_year() -> dict[str, date]:
        today = timezone.localdate()
        return {"period_from": date(today.year, 1, 1), "period_to": today}


class IssueForm(PeriodForm):
    """Staff issue a certificate to one of the volunteers of their area."""

    volunteer: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Volunteer"),
        queryset=None,  # type: ignore[arg-type]
    )

    field_order = ["volunteer", "period_from", "period_to"]

    def __init__(self, *args, volunteers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers  # type: ignore[attr-defined]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Why revoked"), max_length=200)
