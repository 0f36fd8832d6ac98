"""Reads of the area tree for pages: each a fixed number of queries, whatever the tree's size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Substr

from areas.models import LEVEL_ORDER, Area, AreaLevel, AreaQuerySet
from common.scope import Scope

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Crumb:
    area: Area
    reachable: bool  # inside the viewer's scope, so linked


@dataclass(frozen=True)
class LevelCount:
    level: str
    label: str
    count: int


def breadcrumbs(area: Area, scope: Scope) -> list[Crumb]:
    """The ancestors, root first (one query); those above the viewer's scope are not links."""
    return [Crumb(a, scope.covers(a)) for a in area.ancestors()]


def children_with_counts(area: Area) -> AreaQuerySet:
    """The direct children with how many active children each has: one query.

    Active children first, in the committee's chosen order, then by code; retired ones last.
    """
    return (
        Area.objects.filter(parent=area)
        .annotate(child_count=Count("children", filter=Q(children__retired_at__isnull=True)))
        .order_by(F("retired_at").asc(nulls_first=True), "sort_order", "code")
    )


def counts_by_level(area: Area) -> list[LevelCount]:
    """How many active areas of each level lie under ``area``, in tree order: one query."""
    rows = (
        Area.objects.subtree(area, include_self=False)
        .active()
        .order_by()
        .values("level")
        .annotate(n=Count("pk"))
    )
    counts = {row["level"]: row["n"] for row in rows}
    return [
        LevelCount(level, str(AreaLevel(level).label), counts[level])
        for level in sorted(counts, key=lambda lv: LEVEL_ORDER.get(lv, len(LEVEL_ORDER)))
        if level in AreaLevel.values
    ]


def committee_of(area: Area) -> Area | None:
    """The committee ``area`` lies in (itself if it is one); None above committees. One query
    at most: the committee's code is the last official segment of the path."""
    if area.level == AreaLevel.COMMITTEE:
        return area
    if LEVEL_ORDER[area.level] < LEVEL_ORDER[AreaLevel.COMMITTEE]:
        return None
    return Area.objects.filter(path__in=area.ancestor_paths(), level=AreaLevel.COMMITTEE).first()


def search_areas(scope: Scope, text: str, limit: int = SEARCH_LIMIT) -> list[Area]:
    """Areas in scope matching ``text`` by name, code, pinyin or initials; official ones first."""
    if not text.strip():
        return []
    matches = scope.restrict(Area.objects.search(text)).select_related("parent")
    return list(matches.order_by("depth", "path")[:limit])


# --- Figures one level down ----------------------------------------------------------------

# The levels a figures page compares side by side: a city its districts, a district its
# streets, a street its committees. (Inside a committee, each app shows its own rows.)
PARTS_BELOW = {AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET}


def compares_parts(area: Area | None) -> bool:
    """Whether a figures page of ``area`` lists the areas one level below it."""
    return area is not None and area.level in PARTS_BELOW


def parts_of(area: Area) -> list[Area]:
    """The areas one level below ``area`` that its figures list, in code order: one query."""
    return list(Area.objects.filter(parent=area).order_by("path"))


def part_path(parts: list[Area], lookup: str):
    """A database expression for the path of the part (one of ``parts``, the children of one
    area) that the area at ``lookup`` (e.g. ``"committee__path"``) lies in, to group by in one
    query: the path's first characters when the parts' paths are one length (official codes of
    a level are), else a CASE over the parts. Rows outside every part give None."""
    if not parts:
        return Value(None, output_field=CharField())
    lengths = {len(p.path) for p in parts}
    if len(lengths) == 1:
        return Substr(lookup, 1, lengths.pop(), output_field=CharField())
    return Case(
        *[When(**{f"{lookup}__startswith": p.path}, then=Value(p.path)) for p in parts],
        default=Value(None),
        output_field=CharField(),
    )


def figures_area(scope: Scope, code: str) -> Area:
    """The area a figures page is asked about (``?area=<code>``, from a row's link down):
    inside the scope, or not found; the scope's own area when none is asked."""
    return scope.get(Area.objects.select_related("parent"), code=code) if code else scope.area
