from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from common.forms import DayField


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *Action.choices]
    )
    actor = forms.CharField(label=_("Who (name or phone)"), required=False, max_length=50)
    since = DayField(label=_("From"), required=False)
    until = DayField(label=_("To"), required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("“From” must be on or before “To”."))
        return data
