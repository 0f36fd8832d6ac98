"""Nothing a person or a job changes escapes the log, and a new model or a new call cannot
forget it: every model of a Mulin app is saved through the signals and bulk-written through
the audited queryset; the few ways around both are listed here, each with its reason."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, pre_delete

from audit.querysets import AuditedQuerySet
from audit.rules import covered

ROOT = Path(settings.BASE_DIR)
OUTSIDE = {"tests", "bench", "scripts", "node_modules", "static", "staticfiles", "templates", "var", "locale"}


def mulin_models():
    for label in settings.MULIN_APPS:
        for model in apps.get_app_config(label).get_models():
            # The tables Django makes for a many-to-many field have no manager of ours;
            # their rows are written by .add()/.set() of the field (see docs/audit.md).
            if not model._meta.auto_created:
                yield model


def test_every_manager_of_every_mulin_model_is_audited():
    unaudited = [
        f"{model._meta.label}.{manager.name}"
        for model in mulin_models()
        for manager in model._meta.managers
        if not issubclass(manager._queryset_class, AuditedQuerySet)
    ]
    assert not unaudited, "inherit audit.models.AuditedModel, or subclass AuditedQuerySet"


def test_every_opt_out_says_why():
    for model in mulin_models():
        skip = getattr(model, "audit_skip", None)
        assert skip is None or (isinstance(skip, str) and skip.strip()), model._meta.label
        fields = getattr(model, "audit_skip_fields", {})
        assert isinstance(fields, dict), model._meta.label
        for name, why in fields.items():
            model._meta.get_field(name)
            assert isinstance(why, str) and why.strip(), f"{model._meta.label}.{name}"


def test_the_opt_outs_are_few_and_known():
    """A new opt-out is a decision: add it here, with its reason on the model."""
    skipped = sorted(m._meta.label for m in mulin_models() if not covered(m))
    assert skipped == [
        "audit.AuditEntry",
        "deliberation.Ballot",
        "deliberation.PollOption",
        "deliberation.Support",
        "deliberation.Vote",
        "demands.DemandEvent",
        "eldercare.Check",
        "notices.NoticeRead",
        "notifications.Delivery",
        "notifications.Notification",
        "registry.AccessLog",
    ]


def test_a_queryset_delete_is_never_fast_so_it_is_logged_row_by_row():
    # Django deletes without loading the rows (and without signals) only for a model with
    # no receiver; the audit's receivers listen to every model.
    for model in mulin_models():
        assert pre_delete.has_listeners(model) or post_delete.has_listeners(model), model._meta.label


# Ways around both the signals and the audited queryset, found in the apps' code.
BYPASSES = {
    "raw SQL": re.compile(r"\.cursor\(|\.raw\(|\.extra\("),
    "the base manager": re.compile(r"_base_manager"),
    "a private ORM write": re.compile(
        r"(?<!self)\._update\(|_raw_delete|(?<!self)\._insert\(|QuerySet\.(update|bulk_\w+)\("
    ),
    "a many-to-many table": re.compile(r"\.through\b"),
    "suspending the log": re.compile(r"\bsuspended\(\)"),
}

# (file, bypass): (how many lines, why it is allowed)
ALLOWED = {
    ("audit/signals.py", "the base manager"): (1, "reads a row's old values before its save"),
    ("audit/querysets.py", "the base manager"): (2, "reads the rows it logs"),
    ("audit/signals.py", "a many-to-many table"): (2, "names the field whose link table changed, to log it"),
    ("audit/querysets.py", "a private ORM write"): (1, "the plain update() under the logged one"),
    ("audit/context.py", "suspending the log"): (1, "where suspended() is defined"),
    ("registry/census/importer.py", "suspending the log"): (
        1,
        "the census import: hundreds of thousands of rows, recorded in its own import report; "
        "one 'import' entry per applied import with the counts",
    ),
    ("registry/census/importer.py", "raw SQL"): (5, "the census import's writes, as above"),
    ("areas/importer.py", "suspending the log"): (
        1,
        "the official divisions import: one 'import' entry with the report's counts",
    ),
    ("eldercare/cutoffs.py", "raw SQL"): (
        2,
        "INSERT … SELECT of the alerts, and ANALYZE; suspended, as below",
    ),
    ("eldercare/cutoffs.py", "suspending the log"): (
        3,
        "the cutoff job moves up to 100,000 alerts a step, each stamped with the step: one entry "
        "per committee and step instead (eldercare/joblog.py)",
    ),
    ("eldercare/telling.py", "suspending the log"): (1, "the family SMS outcomes, likewise per committee"),
    ("servicedays/queue.py", "raw SQL"): (
        1,
        "a stall's ticket counter: UPDATE … SET last_number = last_number + 1 RETURNING, the one "
        "atomic statement on both databases; the field is skipped by the log, each ticket is logged",
    ),
    ("demo/registry.py", "raw SQL"): (1, "the demo neighbourhoods: made-up data, not anyone's change"),
    ("demo/visits.py", "a many-to-many table"): (1, "the demo neighbourhoods, as above"),
    ("demo/service_days.py", "a many-to-many table"): (2, "the demo's volunteers' skills, in bulk, as above"),
    ("demo/visits.py", "suspending the log"): (1, "the demo neighbourhoods, as above"),
    ("demo/meals.py", "a many-to-many table"): (1, "the demo's set meals' dishes, in bulk, as above"),
    ("meals/kitchen.py", "a many-to-many table"): (1, "reads a day's set meals' dishes in one query"),
    ("meals/statements.py", "raw SQL"): (
        2,
        "SET and RESET cursor_tuple_fraction around the funder statement's server-side cursor: "
        "a planner setting, no write",
    ),
}


def app_files():
    for path in sorted(ROOT.glob("*/**/*.py")):
        top = path.relative_to(ROOT).parts[0]
        if top in OUTSIDE or top.startswith(".") or "migrations" in path.parts:
            continue
        yield path


def test_no_write_goes_around_the_log_but_the_listed_ones():
    found: Counter[tuple[str, str]] = Counter()
    for path in app_files():
        name = str(path.relative_to(ROOT))
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("#"):
                continue
            for bypass, pattern in BYPASSES.items():
                if pattern.search(line):
                    found[(name, bypass)] += 1
    assert dict(found) == {key: count for key, (count, _why) in ALLOWED.items()}


def test_the_scan_sees_what_it_should():
    assert BYPASSES["the base manager"].search("Signup._base_manager.filter(pk=1).update(status='x')")
    assert BYPASSES["a private ORM write"].search("qs._update({'a': 1})")
    assert BYPASSES["raw SQL"].search("with connection.cursor() as cursor:")
    assert not BYPASSES["raw SQL"].search("Signup.objects.filter(pk=1).update(status='x')")
    assert any(p.name == "signups.py" for p in app_files())
