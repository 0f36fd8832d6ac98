"""Forms of the diners' pages: registering, changing, ending, revealing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meals.diners import HEALTH_MAX, LABEL_MAX, NOTE_MAX, REASON_MAX
from meals.models import Allergen, DiningPoint, DishTag, Mode
from registry.privacy import REASON_MIN_LENGTH


class DinerForm(forms.Form):
    point = forms.ModelChoiceField(
        label=_("Usual dining point"), queryset=DiningPoint.objects.none(), empty_label=None
    )
    needs = forms.MultipleChoiceField(
        label=_("Every dish must be"),
        choices=DishTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kitchen reads these; a dish without them is flagged when ordered."),
    )
    allergies = forms.MultipleChoiceField(
        label=_("Allergic to"), choices=Allergen.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    health = forms.CharField(
        label=_("Health conditions behind the needs"),
        max_length=HEALTH_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_(
            "For example: diabetes, high blood pressure. "
            "Stored encrypted; lists show only that something is recorded."
        ),
    )
    clear_health = forms.BooleanField(label=_("Remove the health conditions recorded"), required=False)
    delivery = forms.BooleanField(label=_("Needs the meal delivered"), required=False)
    delivery_note = forms.CharField(
        label=_("For the deliverer"),
        max_length=NOTE_MAX,
        required=False,
        help_text=_("For example: knock loudly, the key is with the neighbour at 302."),
    )
    usual_label = forms.CharField(
        label=_("Usual set meal"),
        max_length=LABEL_MAX,
        required=False,
        help_text=_("For example: A, or 软食."),
    )
    usual_mode = forms.ChoiceField(
        label=pgettext_lazy("meals: a diner's usual way to have the meal", "Usually"),
        choices=Mode.choices,
        initial=Mode.EAT_IN,
    )

    def __init__(self, *args, points=None, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if points is not None:
            self.fields["point"].queryset = points  # type: ignore[attr-defined]
        if editing:
            self.fields["health"].help_text = _(
                "Empty keeps what is recorded. Stored encrypted; lists show only that something is recorded."
            )
        else:
            del self.fields["clear_health"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        clear = data.pop("clear_health", False)
        health = data.pop("health", "")
        if clear:
            data["health"] = ""
        elif health or "clear_health" not in self.fields:
            data["health"] = health
        return data


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the registration ends"),
        max_length=REASON_MAX,
        help_text=_("For example: moved to a care home, cooks at home again."),
    )


class RevealHealthForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full value?"),
        min_length=REASON_MIN_LENGTH,
        max_length=REASON_MAX,
        help_text=_("Written to the access log, which the committee lead reads."),
        error_messages={
            "required": _("Say why you need it; the reason is logged."),
            "min_length": _("Say a little more about why (at least %(limit_value)d characters)."),
        },
        widget=forms.TextInput(attrs={"list": "reveal-reasons", "autocomplete": "off"}),
    )
