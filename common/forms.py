"""What every page with a form shares: binding a form only to a POST, putting a service's
refusal onto the form or the page, the date and time inputs, several files in one input."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from common.api import MAX_ID
from common.schemas import FIRST_YEAR, LAST_YEAR

WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class _Picker:
    """A browser picker's value is ISO whatever the language, and anything else is dropped
    by the browser with a console warning, leaving the field empty. Django echoes a bound
    form's raw text ("2026/09/09", which the Chinese DATE_INPUT_FORMATS accept), so text is
    read with the formats the field accepts and written back in ISO; text that is no date
    at all is not echoed (the form's error says what was wrong)."""

    input_formats_key = ""
    extra_formats: tuple[str, ...] = ()

    def format_value(self, value):
        if isinstance(value, str) and value.strip():
            value = self._parse(value.strip())
            if value is None:
                return ""
        return super().format_value(value)  # type: ignore[misc]

    def _parse(self, text: str):
        own = getattr(self, "format", None)
        accepted = formats.get_format(self.input_formats_key)
        for fmt in (*([own] if own else []), *self.extra_formats, *accepted):
            try:
                return self._convert(datetime.strptime(text, fmt))
            except (ValueError, TypeError):
                continue
        return None

    def _convert(self, moment: datetime):
        return moment


class DateInput(_Picker, forms.DateInput):
    input_type = "date"
    input_formats_key = "DATE_INPUT_FORMATS"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")

    def _convert(self, moment: datetime):
        return moment.date()


class TimeInput(_Picker, forms.TimeInput):
    input_type = "time"
    input_formats_key = "TIME_INPUT_FORMATS"
    extra_formats = ("%H:%M:%S",)

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%H:%M")

    def _convert(self, moment: datetime):
        return moment.time()


class DateTimeInput(_Picker, forms.DateTimeInput):
    input_type = "datetime-local"
    input_formats_key = "DATETIME_INPUT_FORMATS"
    extra_formats = tuple(WHEN_FORMATS)

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


# The browser's own pickers; the formats are what they send (and what people type without them).
DAY = DateInput()
TIME = TimeInput()
WHEN = DateTimeInput()


class DayField(forms.DateField):
    """A day between 1900 and 2100 (common.schemas.Day on the pages): beyond them a period's
    end or a week's overflowed Python's dates and answered 500."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DAY)
        super().__init__(**kwargs)
        message = _("Give a date between the years 1900 and 2100.")
        self.validators += [
            MinValueValidator(date(FIRST_YEAR, 1, 1), message=message),
            MaxValueValidator(date(LAST_YEAR, 12, 31), message=message),
        ]


def day_field(label, *, required: bool = True, help_text="", **kwargs) -> forms.DateField:
    return DayField(label=label, required=required, help_text=help_text, **kwargs)


def when_field(label, *, required: bool = True, help_text="") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=WHEN, input_formats=WHEN_FORMATS, required=required, help_text=help_text
    )


def is_htmx(request) -> bool:
    """Whether htmx asked (for a part of the page, not the whole)."""
    return request.headers.get("HX-Request") == "true"


def posted(request):
    """The POST data to bind a form to (even when empty, so "required" is said), else None."""
    return request.POST if request.method == "POST" else None


def form_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's errors onto the form: by field where the form has it, else at the top."""
    if hasattr(error, "error_dict"):
        for key, texts in error.message_dict.items():
            form.add_error(key if key in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def show_errors(request, error: ValidationError) -> None:
    """A service's refusal, for a page that has no form to put it on: one message each."""
    for text in error.messages:
        messages.error(request, text)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def ids_in(values: list[str]) -> list[int]:
    """The ids among a form's values (``request.POST.getlist("residents")``): digits only, and
    no larger than the database stores; a number past it answered 500 (SQLite's OverflowError
    in ``pk__in``)."""
    return [int(v) for v in values if v.isdigit() and int(v) <= MAX_ID]


def id_in(value: str | None) -> int:
    """The id a form's value names (``request.POST.get("resident")``), or 0, which names no
    row: "abc" answered 500 (the database field's ValueError) in a lookup by primary key."""
    found = ids_in([value or ""])
    return found[0] if found else 0
