"""Bulk writes (``update()``, ``bulk_update()``, ``bulk_create()``) send no save signals;
the audited queryset logs them the way a ``save()`` is logged, one entry per changed row,
with a constant number of queries whatever the number of rows."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from areas.models import Area, AreaLevel
from audit.context import acting_as, suspended
from audit.models import AuditEntry


def logged(action: str, rows) -> dict[str, AuditEntry]:
    kind = ContentType.objects.get_for_model(Area)
    found = AuditEntry.objects.filter(
        action=action, content_type=kind, object_id__in=[str(r.pk) for r in rows]
    )
    return {e.object_id: e for e in found}


def test_an_update_logs_each_row_it_changed_with_actor_area_and_before_after(tree, colleague):
    rows = [tree.group, tree.neighbour_group]
    with acting_as(colleague, Role.COMMITTEE_LEAD):
        count = Area.objects.filter(pk__in=[r.pk for r in rows]).update(name="改名楼组")
    assert count == 2
    entries = logged("update", rows)
    assert set(entries) == {str(r.pk) for r in rows}
    mine = entries[str(tree.group.pk)]
    assert mine.actor == colleague and mine.actor_role == Role.COMMITTEE_LEAD
    assert mine.changes == {"name": ["62号楼组", "改名楼组"]}
    assert mine.area_path == tree.group.path
    assert entries[str(tree.neighbour_group.pk)].area_path == tree.neighbour_group.path


def test_a_row_the_update_leaves_as_it_was_makes_no_entry(tree):
    Area.objects.filter(pk=tree.group.pk).update(name=tree.group.name)
    assert not logged("update", [tree.group])


def test_an_expression_is_logged_with_the_value_it_wrote(tree):
    Area.objects.filter(pk=tree.building.pk).update(sort_order=F("sort_order") + 5)
    assert logged("update", [tree.building])[str(tree.building.pk)].changes == {"sort_order": [0, 5]}
    Area.objects.filter(pk=tree.building.pk).update(name=Concat(F("name"), Value("甲")))
    entry = AuditEntry.objects.filter(object_id=str(tree.building.pk), action="update").latest("pk")
    assert entry.changes == {"name": ["62号楼", "62号楼甲"]}


def test_the_queries_do_not_grow_with_the_rows(tree):
    def queries(rows) -> int:
        with CaptureQueriesContext(connection) as captured:
            Area.objects.filter(pk__in=[r.pk for r in rows]).update(sort_order=F("sort_order") + 1)
        return len(captured)

    assert queries([tree.group]) == queries([tree.group, tree.building, tree.grid, tree.neighbour_group])


def test_bulk_update_logs_the_rows_it_changed(tree):
    tree.group.name = "新名字"
    Area.objects.bulk_update([tree.group, tree.building], ["name"])
    entries = logged("update", [tree.group, tree.building])
    assert list(entries) == [str(tree.group.pk)]
    assert entries[str(tree.group.pk)].changes == {"name": ["62号楼组", "新名字"]}


def test_bulk_create_logs_each_row_created_with_its_area(tree):
    made = Area.objects.bulk_create(
        [
            Area(
                code=f"B{n}",
                name=f"{n}号楼",
                level=AreaLevel.BUILDING,
                parent=tree.group,
                path=f"{tree.group.path}B{n}/",
                depth=7,
            )
            for n in (70, 71)
        ]
    )
    entries = logged("create", made)
    assert set(entries) == {str(a.pk) for a in made}
    assert entries[str(made[0].pk)].changes["name"] == "70号楼"
    assert entries[str(made[0].pk)].area_path == made[0].path


def test_bulk_create_refuses_to_skip_conflicts_it_could_not_log(tree):
    with pytest.raises(ValueError, match=r"areas\.Area is audited"):
        Area.objects.bulk_create([Area(code="X", name="X", level=AreaLevel.BUILDING)], ignore_conflicts=True)


def test_suspended_bulk_writes_leave_it_to_their_summary(tree):
    with suspended():
        Area.objects.filter(pk=tree.group.pk).update(name="导入改名")
    assert not logged("update", [tree.group])


def test_a_queryset_delete_is_logged_row_by_row(tree):
    doomed = [tree.building]
    Area.objects.filter(pk=tree.building.pk).delete()
    assert set(logged("delete", doomed)) == {str(tree.building.pk)}
