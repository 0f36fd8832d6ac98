"""Forms of the watch pages: each maps onto one service call."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.phone import normalize_phone
from common.forms import TIME
from eldercare.models import (
    DEFAULT_DAY_CUTOFF,
    DEFAULT_FAMILY_AFTER,
    DEFAULT_NIGHT_CUTOFF,
    DEFAULT_NIGHT_FROM,
    DEFAULT_WORKERS_AFTER,
    Outcome,
    StopReason,
    WatcherKind,
    WatchPolicy,
)
from eldercare.selectors import WATCH_TAGS, TodayFilter
from registry.models import Tag


class ListFilterForm(forms.Form):
    today = forms.ChoiceField(
        label=_("Today"),
        required=False,
        choices=[
            (TodayFilter.ALL, _("Everyone watched")),
            (TodayFilter.LATE, _("Check missing")),
            (TodayFilter.CHECKED, _("Checked so far")),
            (TodayFilter.ALERT, _("With an open alert")),
            (TodayFilter.PAUSED, _("Paused")),
            (TodayFilter.ENDED, _("Ended")),
        ],
    )
    tag = forms.ChoiceField(
        label=_("Tag"), required=False, choices=[("", _("Any"))] + [(t, Tag(t).label) for t in WATCH_TAGS]
    )
    building = forms.ChoiceField(label=_("Building"), required=False)

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["building"]).choices = [("", _("Any"))] + [
            (b.code, b.name) for b in buildings
        ]


class WatcherForm(forms.Form):
    phone = forms.CharField(
        label=_("Their mobile number"),
        max_length=20,
        help_text=_("They need an account on Mulin; a neighbour's resident account will do."),
    )
    kind = forms.ChoiceField(
        label=_("Watches as"), choices=WatcherKind.choices, initial=WatcherKind.NEIGHBOUR
    )

    def clean_phone(self) -> User:
        try:
            phone = normalize_phone(self.cleaned_data["phone"])
        except forms.ValidationError as error:
            raise forms.ValidationError(_("Enter an 11-digit mobile number.")) from error
        user = User.objects.filter(phone=phone, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No account with this number; ask them to register first."))
        return user


class AccountChoiceField(forms.ModelChoiceField):
    """An account, shown by its name only (never its phone number)."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class FamilyForm(forms.Form):
    name = forms.CharField(label=_("Family contact"), max_length=50, required=False)
    relation = forms.CharField(label=_("Relation"), max_length=30, required=False)
    phone = forms.CharField(label=_("Their phone"), max_length=20, required=False)
    user = AccountChoiceField(
        label=_("Their account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("None: tell them by SMS"),
        help_text=_("A registered family member is told in the app and by SMS."),
    )

    def __init__(self, *args, proxies=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = User.objects.filter(
            pk__in=[p.user_id for p in proxies]
        )


class StopForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Do"), choices=[("paused", _("Pause the watch")), ("ended", _("End the watch"))]
    )
    reason = forms.ChoiceField(label=_("Why"), choices=StopReason.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CutoffForm(forms.Form):
    day_cutoff = forms.TimeField(label=_("Curtains checked by"), required=False, widget=TIME)
    night_cutoff = forms.TimeField(label=_("Light checked by"), required=False, widget=TIME)
    note = forms.CharField(
        label=_("Note for watchers"),
        max_length=300,
        required=False,
        help_text=_("E.g. where to look, or who has a key."),
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = WatchPolicy
        fields = ["day_cutoff", "night_cutoff", "night_from", "workers_after", "family_after"]
        widgets = {"day_cutoff": TIME, "night_cutoff": TIME, "night_from": TIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.initial.update(
                day_cutoff=DEFAULT_DAY_CUTOFF,
                night_cutoff=DEFAULT_NIGHT_CUTOFF,
                night_from=DEFAULT_NIGHT_FROM,
                workers_after=DEFAULT_WORKERS_AFTER,
                family_after=DEFAULT_FAMILY_AFTER,
            )

    def _post_clean(self) -> None:
        """The service checks the rules; the form only parses."""


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What happened"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConcernForm(forms.Form):
    note = forms.CharField(
        label=_("What is wrong?"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
