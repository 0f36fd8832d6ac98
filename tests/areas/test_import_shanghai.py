"""The shipped Shanghai file: all of it, once (the import takes a few seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from areas.importer import import_divisions
from areas.models import Area, AreaLevel

SHANGHAI = Path(settings.BASE_DIR) / "areas" / "data" / "divisions" / "31"

SEED_COMMITTEES = {
    "310106019001": "延长新村居委会",
    "310106019016": "慧芝湖花园居委会",
    "310110009016": "公交新村居委会",
    "310105005024": "天山河畔花园居委会",
    "310110001015": "定海港路居委会",
    "310110021040": "文化佳园居委会",
    "310117103004": "江秋新苑社区居委会",
}


def _subtree_plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # On a small table the planner may rightly prefer a scan; ask whether it *can* use the index.
            cursor.execute("SET LOCAL enable_seqscan = off")
            return queryset.explain()
    return queryset.explain()


@pytest.mark.django_db
def test_shanghai_imports_whole_and_its_subtrees_are_one_indexed_query(django_assert_num_queries):
    report = import_divisions(SHANGHAI, "31")

    created = {level: counts.created for level, counts in report.counts.items()}
    assert created == {
        AreaLevel.CITY: 1,
        AreaLevel.DISTRICT: 16,
        AreaLevel.STREET: 234,
        AreaLevel.COMMITTEE: 6509,
    }
    active = Area.objects.active()
    assert active.filter(level=AreaLevel.DISTRICT).count() == 16
    assert active.filter(level=AreaLevel.STREET).count() == 234
    assert active.filter(level=AreaLevel.COMMITTEE).count() == 6509
    assert Area.objects.get(code="3101").name == "上海市"
    assert dict(Area.objects.filter(code__in=SEED_COMMITTEES).values_list("code", "name")) == SEED_COMMITTEES
    yanchang = Area.objects.get(code="310106019001")
    assert [a.name for a in yanchang.ancestors()] == ["上海市", "静安区", "大宁路街道"]
    # Both kinds of committee are there, and say which they are.
    kinds = {a.committee_kind for a in Area.objects.filter(level=AreaLevel.COMMITTEE)}
    assert {"residents", "villagers"} <= kinds

    jingan = Area.objects.get(code="310106", name="静安区")
    with django_assert_num_queries(1):
        under = list(Area.objects.subtree(jingan).values_list("level", flat=True))
    assert under.count(AreaLevel.STREET) == 14 and under.count(AreaLevel.COMMITTEE) == 267
    plan = _subtree_plan(Area.objects.subtree(jingan))
    if connection.vendor == "postgresql":
        assert "Index" in plan or "Bitmap" in plan, plan
    else:
        assert "USING INDEX areas_area_path_prefix" in plan, plan

    again = import_divisions(SHANGHAI, "31")
    assert not again.changed and again.total("unchanged") == 1 + 16 + 234 + 6509
