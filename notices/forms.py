"""Forms of the notice pages: writing a notice, publishing it, withdrawing it, the plan."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.forms import AreaChoices
from areas.models import OFFICIAL_LEVELS, Area, AreaLevel
from common.forms import WHEN, WHEN_FORMATS, MultipleFileField
from notices.models import Notice, NoticeCategory
from notices.services import MAX_FILES, TARGET_LEVELS, Draft
from registry.models import Tag


def target_choices(area: Area) -> list[Area]:
    """What a notice of ``area`` may be aimed at: the area itself and, for a committee, its
    grids, building groups and buildings; above a committee, the official areas in between."""
    below = Area.objects.subtree(area, include_self=False).active()
    if area.level == AreaLevel.COMMITTEE:
        below = below.filter(level__in=TARGET_LEVELS)
    else:
        below = below.filter(
            level__in=[lv for lv in OFFICIAL_LEVELS if lv in TARGET_LEVELS], depth__lte=area.depth + 2
        )
    return [area, *below.order_by("path")]


class NoticeForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=NoticeCategory.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text; leave an empty line between paragraphs."),
    )
    tags = forms.MultipleChoiceField(
        label=_("Only residents tagged"),
        choices=Tag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leave all unticked for everyone in the chosen areas; otherwise residents with any ticked tag."
        ),
    )
    pinned = forms.BooleanField(label=_("Pin to the top of residents' pages"), required=False)
    send_sms = forms.BooleanField(
        label=_("Also send by SMS"),
        required=False,
        help_text=_("For what is urgent or important: everyone it is for gets a text message as well."),
    )
    # A declared field: Django's form metaclass moves it into base_fields, so it does not
    # replace BaseForm.files (the uploaded files), whatever the stubs say.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Images and attachments"),
        required=False,
        help_text=_("Up to %(n)d files: images, PDF, Word, Excel.") % {"n": MAX_FILES},
    )

    def __init__(self, *args, area: Area, notice: Notice | None = None, **kwargs) -> None:
        if notice is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "category": notice.category,
                "title": notice.title,
                "body": notice.body,
                "tags": notice.tags,
                "pinned": notice.pinned,
                "send_sms": notice.send_sms,
                "targets": [t.area_id for t in notice.targets.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields["targets"] = AreaChoices(
            target_choices(area),
            area,
            label=_("Who it is for"),
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Choose who the notice is for: the whole area or some of its parts.")
            },
        )
        self.order_fields(["category", "title", "body", "targets", "tags", "pinned", "send_sms", "files"])
        if notice is not None and notice.delivered_at:
            self.fields["targets"].disabled = True
            self.fields["tags"].disabled = True
            self.fields["send_sms"].disabled = True

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            category=data["category"],
            title=data["title"],
            body=data["body"],
            targets=list(data["targets"]),
            tags=list(data["tags"]),
            pinned=data["pinned"],
            send_sms=data["send_sms"],
        )


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        widget=WHEN,
        input_formats=WHEN_FORMATS,
    )

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or publish now."))
        return value


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it withdrawn?"),
        max_length=200,
        error_messages={"required": _("Say why the notice is withdrawn.")},
    )


class CadenceForm(forms.Form):
    def __init__(self, *args, wanted: dict[str, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for value, label in NoticeCategory.choices:
            self.fields[value] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=31,
                required=False,
                initial=wanted.get(value),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                help_text=_("Notices a month; empty or 0: no plan."),
            )
