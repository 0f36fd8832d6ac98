"""Reads of recognition: what the public sees (rated centres, confirmed talent, decided awards)
and the figures (centres' stars per committee or street)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from areas.models import Area, AreaLevel
from common.scope import Scope, get_or_404
from recognition.models import Award, Centre, Rating, Talent

# The areas whose public lists anyone may read.
PUBLIC_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMITTEE)


def public_area(code: str) -> Area:
    """The official area of a public page or endpoint, or 404."""
    return get_or_404(
        Area.objects.active().filter(level__in=PUBLIC_LEVELS), _("No such area."), code=code[:40]
    )


def final_ratings(area: Area, year: int) -> QuerySet[Rating]:
    """The final ratings of the year of the current centres under ``area``: the public list."""
    return (
        Rating.objects.final()
        .filter(year=year, centre__area__path__startswith=area.path, centre__closed_at__isnull=True)
        .select_related("centre__area", "centre__operator", "centre__site", "sheet")
        .order_by("-stars", "-score", "centre__name", "pk")
    )


def rated_years(area: Area) -> list[int]:
    return list(
        Rating.objects.final()
        .filter(centre__area__path__startswith=area.path)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def public_talent(area: Area, skill: str = "") -> QuerySet[Talent]:
    """Confirmed talent under ``area``, found by skill; what the public may read of them is
    ``shown_as``, the skills and the committee, nothing else."""
    return (
        Talent.objects.confirmed()
        .filter(committee__path__startswith=area.path)
        .with_skill(skill)
        .select_related("committee")
        .order_by("shown_as", "pk")
    )


def talent_in(scope: Scope, skill: str = "", status: str = "") -> QuerySet[Talent]:
    found = scope.restrict(Talent.objects.all()).with_skill(skill)
    if status:
        found = found.filter(status=status)
    return found.select_related("resident__household__building", "committee").order_by(
        "status", "shown_as", "pk"
    )


def public_awards(area: Area) -> QuerySet[Award]:
    return Award.objects.filter(committee__path__startswith=area.path).select_related("committee")


@dataclass
class StarRow:
    area: Area
    centres: int = 0
    rated: int = 0
    by_stars: dict[int, int] = field(default_factory=dict)
    points: float = 0.0

    @property
    def five_star(self) -> int:
        return self.by_stars.get(5, 0)

    @property
    def average_stars(self) -> float:
        return round(sum(s * n for s, n in self.by_stars.items()) / self.rated, 1) if self.rated else 0.0

    @property
    def star_counts(self) -> list[int]:
        """Centres with 5, 4, 3, 2, 1 and 0 stars."""
        return [self.by_stars.get(s, 0) for s in (5, 4, 3, 2, 1, 0)]


def _parts(area: Area) -> list[Area]:
    """The rows of an area's figures: a committee is one row; above it, its children."""
    if area.level == AreaLevel.COMMITTEE:
        return [area]
    return list(Area.objects.filter(parent=area).active().order_by("path"))


def star_figures(area: Area, year: int) -> list[StarRow]:
    """Per committee (or street, above a street): centres, how many rated this year, and how
    many with each number of stars. Three queries whatever the size."""
    parts = _parts(area)
    rows = {a.path: StarRow(a) for a in parts}

    def row_of(path: str) -> StarRow | None:
        for start, row in rows.items():
            if path.startswith(start):
                return row
        return None

    for path in (
        Centre.objects.current().filter(area__path__startswith=area.path).values_list("area__path", flat=True)
    ):
        if (row := row_of(path)) is not None:
            row.centres += 1
    finals = final_ratings(area, year).values_list("centre__area__path", "stars")
    for path, stars in finals:
        if (row := row_of(path)) is not None:
            row.rated += 1
            row.by_stars[stars or 0] = row.by_stars.get(stars or 0, 0) + 1
    return list(rows.values())
