"""Forms of the registry pages: short, phone-friendly, with messages that say what to fix."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import DAY
from registry.models import SETTABLE_TAGS, Gender, LeaderPosition, Relation, ResidenceType, Tag
from registry.rules import NAME_MAX_LENGTH, NOTES_MAX_LENGTH, PersonInput

REASONS = [
    _("Applying for a subsidy or allowance for the resident"),
    _("Checking who someone is, at their request"),
    _("Filling in a form the resident asked for"),
    _("Emergency: contacting family"),
]


def _tag_choices():
    return [(tag, Tag(tag).label) for tag in SETTABLE_TAGS]


class DoorForm(forms.Form):
    unit = forms.CharField(
        label=_("Unit (单元)"),
        max_length=12,
        required=False,
        help_text=_("Leave empty if the building has one."),
    )
    room = forms.CharField(
        label=_("Room (室号)"),
        max_length=22,
        error_messages={"required": _("Give the room number, such as 301.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class HouseholdForm(DoorForm):
    phone = forms.CharField(label=_("Household phone"), max_length=30, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class PersonForm(forms.Form):
    """A person's details; on an edit the identity number and notes are kept unless retyped."""

    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Enter the person's name.")},
    )
    id_number = forms.CharField(
        label=_("Identity-card number"),
        max_length=30,
        required=False,
        help_text=_("18 characters. It is stored encrypted and shown masked."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("From the identity number")), *Gender.choices], required=False
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=DAY,
        help_text=_("Read from the identity number if empty."),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    relation = forms.ChoiceField(label=_("Relation to the householder"), choices=Relation.choices)
    residence_type = forms.ChoiceField(
        label=_("Residence type"), choices=ResidenceType.choices, initial=ResidenceType.REGISTERED
    )
    moved_in_on = forms.DateField(label=_("Moved in"), required=False, widget=DAY)
    health_notes = forms.CharField(
        label=_("Health notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stored encrypted."),
    )
    key_notes = forms.CharField(
        label=_("Key-person notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stored encrypted."),
    )
    tags = forms.MultipleChoiceField(
        label=_("Tags"), choices=_tag_choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            keep = _("Leave empty to keep what is recorded.")
            self.fields["id_number"].help_text = keep
            self.fields["health_notes"].help_text = keep
            self.fields["key_notes"].help_text = keep
            self.fields["clear"] = forms.MultipleChoiceField(
                label=_("Remove what is recorded"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[
                    ("id_number", _("Identity-card number")),
                    ("health_notes", _("Health notes")),
                    ("key_notes", _("Key-person notes")),
                ],
            )

    def person(self) -> PersonInput:
        data = self.cleaned_data
        clear = set(data.get("clear") or ())

        def kept(key: str) -> str | None:
            if key in clear:
                return ""
            value = (data.get(key) or "").strip()
            return value if value or not self.editing else None

        return PersonInput(
            name=data["name"],
            id_number=kept("id_number"),
            gender=data.get("gender") or "",
            birth_date=data.get("birth_date"),
            phone=data.get("phone") or "",
            relation=data["relation"],
            residence_type=data["residence_type"],
            moved_in_on=data.get("moved_in_on"),
            health_notes=kept("health_notes"),
            key_notes=kept("key_notes"),
        )


class NewHouseholdForm(DoorForm):
    """Quick add: a door and its householder in one step (a visit, a phone call)."""

    name = PersonForm.base_fields["name"]
    id_number = PersonForm.base_fields["id_number"]
    phone = PersonForm.base_fields["phone"]
    residence_type = PersonForm.base_fields["residence_type"]
    moved_in_on = PersonForm.base_fields["moved_in_on"]
    tags = PersonForm.base_fields["tags"]

    def person(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            name=data["name"],
            id_number=(data.get("id_number") or "").strip(),
            phone=data.get("phone") or "",
            relation=Relation.HOUSEHOLDER,
            residence_type=data["residence_type"],
            moved_in_on=data.get("moved_in_on"),
        )


class MoveForm(forms.Form):
    WITHIN, AWAY, DECEASED = "within", "away", "deceased"
    what = forms.ChoiceField(
        label=_("What happened"),
        widget=forms.RadioSelect,
        choices=[
            (WITHIN, _("Moved to another door of this committee")),
            (AWAY, _("Moved away from the committee")),
            (DECEASED, _("Died")),
        ],
        error_messages={"required": _("Choose what happened.")},
    )
    on = forms.DateField(label=_("On"), widget=DAY, initial=timezone.localdate)
    building = forms.ChoiceField(label=_("New building"), required=False)
    unit = DoorForm.base_fields["unit"]
    room = forms.CharField(label=_("New room (室号)"), max_length=22, required=False)
    relation = forms.ChoiceField(
        label=_("Relation to the householder there"), choices=Relation.choices, required=False
    )

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["building"]).choices = [
            ("", "—"),
            *((str(b.pk), b.name) for b in buildings),
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("what") == self.WITHIN:
            for key, message in (
                ("building", _("Choose the building they moved to.")),
                ("room", _("Give the room they moved to.")),
                ("relation", _("Choose their relation to the householder there.")),
            ):
                if not data.get(key):
                    self.add_error(key, message)
        return data


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full value?"),
        min_length=4,
        max_length=200,
        help_text=_("Written to the access log, which the committee lead reads."),
        error_messages={
            "required": _("Say why you need it; the reason is logged."),
            "min_length": _("Say a little more about why (at least %(limit_value)d characters)."),
        },
        widget=forms.TextInput(attrs={"list": "reveal-reasons", "autocomplete": "off"}),
    )


class TagsForm(forms.Form):
    tags = PersonForm.base_fields["tags"]


class BulkTagForm(forms.Form):
    ADD, REMOVE = "add", "remove"
    tag = forms.ChoiceField(label=_("Tag"), choices=_tag_choices)
    action = forms.ChoiceField(
        label=_("Action"), choices=[(ADD, _("Add the tag")), (REMOVE, _("Remove the tag"))], initial=ADD
    )
    residents = forms.TypedMultipleChoiceField(
        coerce=int, error_messages={"required": _("Tick at least one resident.")}
    )

    def __init__(self, *args, resident_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["residents"]).choices = [(pk, pk) for pk in resident_ids]


class LeaderForm(forms.Form):
    resident = forms.TypedChoiceField(label=_("Resident"), coerce=int)
    position = forms.ChoiceField(label=_("Post"), choices=LeaderPosition.choices)

    def __init__(self, *args, residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["resident"]).choices = [
            (r.pk, f"{r.name} · {r.household.door}") for r in residents
        ]


class ConsentForm(forms.Form):
    on = forms.DateField(label=_("Consent given on"), widget=DAY, initial=timezone.localdate)
    how = forms.CharField(
        label=_("How"), max_length=100, help_text=_("e.g. signed the paper form; agreed online.")
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Census sheet (.xlsx, .xls, .ods or .csv)"),
        error_messages={"required": _("Choose the file to check."), "empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv"}),
    )
    committee = forms.ChoiceField(label=_("Committee"))

    def __init__(self, *args, committees=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["committee"]).choices = [(c.code, c.name) for c in committees]
        if len(committees) == 1:
            self.fields["committee"].initial = committees[0].code
            self.fields["committee"].widget = forms.HiddenInput()


class ExportForm(forms.Form):
    unmasked = forms.BooleanField(
        label=_("Include full identity-card numbers and notes"),
        required=False,
        help_text=_("Only for committee leads, with a reason; written to the access log."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("unmasked") and len((data.get("reason") or "").strip()) < 4:
            self.add_error("reason", _("Say why you need an unmasked copy; the reason is logged."))
        return data
