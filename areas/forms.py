from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area, AreaLevel

MAX_ORDER = 100_000


class LocalAreaForm(forms.Form):
    """Name and place in the list of a grid, building group or building."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("As residents know it, e.g. 第一网格, 62号楼组, 62号楼."),
        error_messages={"required": _("Please give it a name.")},
    )
    sort_order = forms.IntegerField(
        label=_("Position in the list"),
        min_value=0,
        max_value=MAX_ORDER,
        help_text=_("Smaller numbers come first."),
        error_messages={
            "required": _("Please give a position (a whole number)."),
            "invalid": _("The position must be a whole number, such as 3."),
            "min_value": _("The position cannot be negative."),
            "max_value": _("The position must be at most %(limit_value)s."),
        },
    )


class NewLocalAreaForm(LocalAreaForm):
    """A new part under a committee, grid or building group; the allowed levels are given."""

    field_order = ["level", "name", "sort_order"]

    level = forms.ChoiceField(
        label=_("What to add"),
        error_messages={
            "required": _("Please choose what to add."),
            "invalid_choice": _("That cannot be added here. Choose one of the listed kinds."),
        },
    )

    def __init__(self, *args, levels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = [
            (level, AreaLevel(level).label) for level in levels
        ]
        if len(levels) == 1:
            self.fields["level"].initial = levels[0]
        sort_order = self.fields["sort_order"]
        sort_order.required = False
        sort_order.help_text = _("Leave empty to put it at the end.")


class AreaChoices(forms.ModelMultipleChoiceField):
    """Some of a committee's (or a street's) areas, indented under ``top`` in tree order."""

    def __init__(self, areas: list[Area], top: Area, **kwargs) -> None:
        self.top = top
        super().__init__(
            queryset=Area.objects.filter(pk__in=[a.pk for a in areas]).order_by("path"), **kwargs
        )

    def label_from_instance(self, obj: Area) -> str:
        if obj.pk == self.top.pk:
            return str(_("All of %(area)s") % {"area": obj.name})
        indent = "\u2003" * max(obj.depth - self.top.depth - 1, 0)
        return f"{indent}{obj.name}"
