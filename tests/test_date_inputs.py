"""Every date, time and moment input holds an ISO value (or none), whatever the language.

A browser's ``<input type="date">`` accepts only ``yyyy-mm-dd`` (``datetime-local``:
``yyyy-mm-ddThh:mm``, ``time``: ``hh:mm``, ``month``: ``yyyy-mm``, ``week``: ``yyyy-Www``) and
drops anything else with a console warning, leaving the field empty: Chinese ``DATE_INPUT_FORMATS``
put "2026/09/09" there. The widgets of common/forms.py carry the ISO formats; these tests find
every form of the apps (not a list kept by hand) and every page with such an input.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from datetime import date, datetime, time
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import timezone, translation

ISO = {
    "date": r"\d{4}-\d{2}-\d{2}",
    "datetime-local": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?",
    "time": r"\d{2}:\d{2}(:\d{2})?",
    "month": r"\d{4}-\d{2}",
    "week": r"\d{4}-W\d{2}",
}
INPUT = re.compile(r"<input\b[^>]*>", re.S)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def bad_inputs(html: str) -> list[str]:
    """The date, time, moment, month and week inputs of a page whose value is not ISO."""
    found = []
    for tag in INPUT.findall(html):
        attrs = dict(ATTR.findall(tag))
        kind = attrs.get("type", "")
        if kind in ISO and attrs.get("value") and not re.fullmatch(ISO[kind], attrs["value"]):
            found.append(tag)
    return found


def _project_apps() -> list[str]:
    """The apps whose folder is a top-level folder of the checkout: not a package installed in
    a virtualenv inside it (.venv/lib/.../django_otp), whose models a walk would import and
    register (the test databases then created django_otp's e-mail device table before the
    users' and failed on PostgreSQL)."""
    root = Path(settings.BASE_DIR).resolve()
    return [a.name for a in apps.get_app_configs() if Path(a.path).resolve().parent == root] + ["common"]


def form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in a module of the project's apps."""
    found: dict[str, type[forms.BaseForm]] = {}
    for app in _project_apps():
        package = importlib.import_module(app)
        names = [app]
        if hasattr(package, "__path__"):
            names += [
                m.name
                for m in pkgutil.walk_packages(package.__path__, app + ".")
                if ".migrations" not in m.name and ".management" not in m.name
            ]
        for name in names:
            module = importlib.import_module(name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                    found[f"{name}.{cls.__name__}"] = cls
    return [found[k] for k in sorted(found)]


# A value as the form holds it (initial), and as a bound form echoes what was sent in the
# Chinese formats Django accepts (typed, or from a link written with a local format).
SAMPLES = {
    forms.DateTimeField: (timezone.make_aware(datetime(2026, 9, 9, 8, 30)), "2026/09/09 08:30"),
    forms.DateField: (date(2026, 9, 9), "2026/09/09"),
    forms.TimeField: (time(8, 30), "08:30:00"),
}


def _samples(field: forms.Field) -> tuple:
    for kind, values in SAMPLES.items():
        if isinstance(field, kind):
            return values
    return ()


def _for_the_apps_pages(cls: type[forms.BaseForm]) -> bool:
    """Django's admin (site administrators only) renders its own split text widgets."""
    return not cls.__name__.startswith("Admin") and ".admin" not in cls.__module__


def test_the_walk_finds_the_forms():
    names = {c.__name__ for c in form_classes()}
    assert {"PeriodForm", "TopicForm", "ActivityForm"} <= names


PAGE_FORMS = [c for c in form_classes() if _for_the_apps_pages(c)]


@pytest.mark.parametrize("form_class", PAGE_FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_date_field_renders_iso_in_chinese(form_class):
    """Each date, time or moment field of the form, given a value, renders a browser picker
    (not free text in a local format) whose value the browser accepts."""
    with translation.override("zh-hans"):
        for name, field in form_class.base_fields.items():
            for value in _samples(field):
                html = field.widget.render(name, value)
                kind = dict(ATTR.findall(html)).get("type")
                assert kind in ISO, f"{form_class.__name__}.{name} is a {kind!r} input, not a picker: {html}"
                assert not bad_inputs(html), f"{form_class.__name__}.{name} given {value!r}: {html}"
                assert 'value=""' not in html, f"{form_class.__name__}.{name} lost {value!r}"


def test_a_date_sent_in_a_chinese_format_comes_back_iso(client, tree):
    """The request figures' period, sent as "2026/09/01" (Django accepts it in Chinese), is
    shown back in the date inputs as 2026-09-01, not dropped by the browser."""
    from django.urls import reverse

    from accounts.roles import Role
    from tests.factories import UserFactory, grant, login

    admin = UserFactory.create(name="街道管理员")
    grant(admin, Role.STREET_ADMIN, tree.street)
    login(client, admin)
    page = client.get(reverse("demands:figures"), {"start": "2026/09/01", "end": "2026/9/9"})
    html = page.content.decode()
    assert not bad_inputs(html)
    assert 'value="2026-09-01"' in html and 'value="2026-09-09"' in html
    assert page.context["start"] == date(2026, 9, 1)
