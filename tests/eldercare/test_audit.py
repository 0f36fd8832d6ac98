"""The cutoff job's changes are in the audit log: one entry per committee and step, with how
many alerts it raised or moved up (an entry per alert would double the job's writes)."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from eldercare import cutoffs
from eldercare.models import Alert
from tests.eldercare.conftest import at

pytestmark = pytest.mark.django_db


def steps() -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for entry in AuditEntry.objects.filter(note__startswith="elderly watch"):
        for what, n in entry.changes.items():
            found[(entry.area_path, what)] = found.get((entry.area_path, what), 0) + n
    return found


def test_each_step_is_logged_per_committee_with_its_count(world, django_capture_on_commit_callbacks):
    cutoffs.run_cutoffs(at(10, 0))
    alerts = list(Alert.objects.select_related("committee"))
    expected: dict[tuple[str, str], int] = {}
    for alert in alerts:
        key = (alert.committee.path, "alerts_raised")
        expected[key] = expected.get(key, 0) + 1
    assert steps() == expected and sum(expected.values()) == 2
    assert not AuditEntry.objects.filter(content_type__model="alert")

    cutoffs.run_cutoffs(at(11, 0))
    with django_capture_on_commit_callbacks(execute=True):
        cutoffs.run_cutoffs(at(13, 0))
    totals: dict[str, int] = {}
    for (_path, what), n in steps().items():
        totals[what] = totals.get(what, 0) + n
    assert totals["alerts_to_social_workers"] == 2 and totals["alerts_to_families"] == 2
    assert totals.get("family_sms_sent", 0) + totals.get("family_sms_failed", 0) == 1
