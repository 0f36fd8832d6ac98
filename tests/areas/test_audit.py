"""Retiring a unit retires everything under it in one UPDATE: each unit is in the log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from areas.models import Area
from areas.services import retire_area
from audit.models import AuditEntry


def test_each_unit_retired_with_its_parent_is_logged(tree):
    below = retire_area(tree.grid)
    assert below == 2
    kind = ContentType.objects.get_for_model(Area)
    for unit in (tree.group, tree.building):
        entry = AuditEntry.objects.get(content_type=kind, object_id=str(unit.pk), action="update")
        before, after = entry.changes["retired_at"]
        assert before is None and after
        assert entry.area_path == unit.path
