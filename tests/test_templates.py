"""Rules live in models and services; templates ask (docs/architecture.md).

A template that compares a status, phase, state, kind, role, level or channel with a string
(``{% if demand.status == "assigned" %}``) decides a rule a second time, next to the service
that enforces it, and the two drift apart. Every template of every Mulin app is read here, so a
new page is covered the day it is added."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings

BASE = Path(settings.BASE_DIR).resolve()

# The last part of a variable that names a status-like value: `status`, `d.status`,
# `topic.phase`, `slot.state`, `day_state`, `message.level_tag`, `signature.via`, `a.cause`…
STATUS_WORDS = r"status|phase|state|kind|role|level|level_tag|via|source|cause|how"
VARIABLE = rf"[\w.]*\b(?:\w+_)?(?:{STATUS_WORDS})\b"
LITERAL = r"""(?:"[^"]*"|'[^']*')"""
# Equal to a string, or in a string or a list the view passes (`status in open_statuses`).
COMPARISON = re.compile(
    rf"(?:{VARIABLE}\s*(?:==|!=)\s*{LITERAL}"
    rf"|{VARIABLE}\s*(?:\bnot in\b|\bin\b)\s*(?:{LITERAL}|[\w.]+)"
    rf"|{LITERAL}\s*(?:==|!=)\s*{VARIABLE})"
)
CONDITION = re.compile(r"{%-?\s*(?:if|elif)\s+(.*?)-?%}")


def template_dirs() -> list[Path]:
    """The project's template folder and each Mulin app's: found from settings, not listed."""
    engines: list[dict[str, Any]] = settings.TEMPLATES
    dirs = [Path(d).resolve() for engine in engines for d in engine.get("DIRS", [])]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(BASE) and ".venv" not in path.parts:
            dirs.append(path / "templates")
    return [d for d in dirs if d.is_dir()]


def templates() -> list[Path]:
    return sorted({f for d in template_dirs() for f in d.rglob("*.html")})


def rule_comparisons(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for condition in CONDITION.findall(line):
            found += [(number, match.group(0)) for match in COMPARISON.finditer(condition)]
    return found


@pytest.mark.parametrize(
    "condition",
    [
        '{% if demand.status == "assigned" %}',
        "{% elif topic.phase != 'closed' %}",
        '{% if d.status in "open done" %}',
        "{% if demand.status in open_statuses %}",
        '{% if "paper" == row.signature.via %}',
        "{% if message.level_tag == 'error' %}",
        '{% if state == "seen" %}',
        '{% if area.level == "grid" or x %}',
    ],
)
def test_the_guard_sees_a_template_deciding_a_rule(condition):
    assert rule_comparisons(condition)


@pytest.mark.parametrize(
    "condition",
    [
        "{% if demand.may_start %}",
        '{% if field.name == "internal" %}',
        "{% if current == 'home' %}",
        "{% if person.pk in supported %}",
        '{% if tag == "aged_80" %}',
        "{% if message.level == DEFAULT_MESSAGE_LEVELS.ERROR %}",
        '<span class="badge badge-{{ d.status_tone }}">{{ d.get_status_display }}</span>',
    ],
)
def test_the_guard_lets_a_template_ask(condition):
    assert not rule_comparisons(condition)


def test_templates_ask_models_instead_of_comparing_statuses():
    files = templates()
    assert len(files) > 100, "the template folders were not found; the guard would check nothing"
    problems = [
        f"{path.relative_to(BASE)}:{number}: `{snippet}`"
        for path in files
        for number, snippet in rule_comparisons(path.read_text(encoding="utf-8"))
    ]
    assert not problems, (
        "These templates compare a status-like value themselves. Ask the model instead (a property "
        "such as `demand.may_start`, `topic.is_finished` or `status_tone`, reused by the service "
        "that enforces the rule) or have the view pass the answer:\n" + "\n".join(problems)
    )
