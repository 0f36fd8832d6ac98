"""The cutoff job's changes are in the audit log like a person's: each alert it raised
(by ``INSERT … SELECT``) and each step it moved one up (by ``UPDATE``)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEntry
from eldercare import cutoffs
from eldercare.models import Alert, AlertLevel, FamilyReach
from tests.eldercare.conftest import at

pytestmark = pytest.mark.django_db


def entries(action: str) -> dict[str, AuditEntry]:
    kind = ContentType.objects.get_for_model(Alert)
    return {e.object_id: e for e in AuditEntry.objects.filter(content_type=kind, action=action)}


def test_every_alert_raised_and_every_step_is_logged(world, django_capture_on_commit_callbacks):
    cutoffs.run_cutoffs(at(10, 0))
    alerts = list(Alert.objects.select_related("watch__resident__household__building"))
    created = entries("create")
    assert set(created) == {str(a.pk) for a in alerts} and len(alerts) == 2
    mine = Alert.objects.get(watch=world.watch)
    assert created[str(mine.pk)].changes["level"] == AlertLevel.WATCHERS
    assert created[str(mine.pk)].area_path == mine.watch.resident.household.building.path

    cutoffs.run_cutoffs(at(11, 0))
    assert entries("update")[str(mine.pk)].changes["level"] == [AlertLevel.WATCHERS, AlertLevel.WORKERS]
    with django_capture_on_commit_callbacks(execute=True):
        cutoffs.run_cutoffs(at(13, 0))
    step = AuditEntry.objects.filter(object_id=str(mine.pk), changes__has_key="family_reached").latest("pk")
    assert step.changes["family_reached"] == ["", FamilyReach.ACCOUNT]
