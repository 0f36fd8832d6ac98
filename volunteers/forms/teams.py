"""Forms of the team and volunteer pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from common.forms import day_field
from volunteers.models import Service, Team, TeamCategory, TeamKind, VolunteerKind
from volunteers.profiles import OUTSIDE_KINDS, Newcomer, Profile, StaffEntry, services_for
from volunteers.teams import TeamDraft, categories_for


class ProfileForm(forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("Services I can give"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.CharField(
        label=_("When I am free"),
        max_length=200,
        required=False,
        help_text=_("For example: weekday mornings, Saturdays."),
    )
    affiliation = forms.CharField(
        label=_("Where I work or study"),
        max_length=120,
        required=False,
        help_text=_("A working party member's employer, a student's school, a foreign volunteer's country."),
    )

    def __init__(self, *args, committee: Area, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = services_for(committee)  # type: ignore[attr-defined]

    def profile(self) -> Profile:
        data = self.cleaned_data
        return Profile(list(data["skills"]), data["availability"], data["affiliation"])


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20)


class NewcomerForm(ProfileForm):
    """Someone who does not live here, with the code sent to their phone."""

    name = forms.CharField(label=_("Name"), max_length=60)
    kind = forms.ChoiceField(
        label=_("Who I am"), choices=[(k.value, k.label) for k in OUTSIDE_KINDS], widget=forms.RadioSelect
    )
    phone = forms.CharField(label=_("Mobile number"), max_length=20)
    code = forms.CharField(label=_("Code from the SMS"), max_length=10)
    password = forms.CharField(
        label=_("Choose a password"), widget=forms.PasswordInput(render_value=False), required=False
    )
    field_order = ["name", "kind", "phone", "code", "password", "skills", "availability", "affiliation"]

    def __init__(self, *args, logged_in: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if logged_in:
            del self.fields["password"]

    def newcomer(self) -> Newcomer:
        data = self.cleaned_data
        return Newcomer(
            name=data["name"],
            phone=data["phone"],
            kind=data["kind"],
            code=data["code"],
            password=data.get("password", ""),
            profile=self.profile(),
        )


class StaffVolunteerForm(ProfileForm):
    name = forms.CharField(
        label=_("Name"), max_length=60, required=False, help_text=_("Empty for a resident chosen below.")
    )
    kind = forms.ChoiceField(label=_("Who"), choices=VolunteerKind.choices)
    resident = forms.IntegerField(
        label=_("Resident number in the registry"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("For a resident: their number, from the registry page."),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        help_text=_("Empty for someone without a phone."),
    )
    field_order = ["name", "kind", "resident", "phone", "skills", "availability", "affiliation"]

    def entry(self, resident) -> StaffEntry:
        data = self.cleaned_data
        return StaffEntry(
            name=data["name"],
            kind=data["kind"],
            phone=data["phone"],
            resident=resident,
            profile=self.profile(),
        )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
    about = forms.CharField(
        label=_("What the team does"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    meets = forms.CharField(label=_("When and where it meets"), max_length=200, required=False)
    how_to_join = forms.CharField(label=_("How to join"), max_length=200, required=False)
    open_to_join = forms.BooleanField(label=_("Anyone may ask to join"), required=False, initial=True)
    founded_on = day_field(_("Founded on"), required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("Groups of members"),
        queryset=TeamCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The committee's groups this team sorts its members into."),
    )

    def __init__(self, *args, area: Area, team: Team | None = None, **kwargs) -> None:
        if team is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": team.name,
                "kind": team.kind,
                "about": team.about,
                "meets": team.meets,
                "how_to_join": team.how_to_join,
                "open_to_join": team.open_to_join,
                "founded_on": team.founded_on,
                "categories": [c.pk for c in team.categories.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = categories_for(area)  # type: ignore[attr-defined]

    def draft(self) -> TeamDraft:
        data = self.cleaned_data
        return TeamDraft(
            name=data["name"],
            kind=data["kind"],
            about=data["about"],
            meets=data["meets"],
            how_to_join=data["how_to_join"],
            open_to_join=data["open_to_join"],
            founded_on=data["founded_on"],
            categories=list(data["categories"]),
        )


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=100)


class JoinForm(forms.Form):
    note = forms.CharField(label=_("Why I want to join (optional)"), max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class AcceptForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Group"), queryset=TeamCategory.objects.none(), required=False)

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = team.categories.all()  # type: ignore[attr-defined]


class VolunteerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, number or workplace"), max_length=50, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("Who"), choices=[("", _("Everyone")), *VolunteerKind.choices], required=False
    )

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
