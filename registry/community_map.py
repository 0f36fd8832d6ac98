"""The community map (社区地图): a committee's buildings on a plan, coloured by a figure.

Buildings stand where someone placed them (``Area.map_x``/``map_y``, percent of the plan);
the others line up in a tidy grid, building group by building group. Each building is a
link to its page, shows its name and its number in words (colour is never the only
signal), and the same figures are listed in a table beside the plan.

Figures are ``Metric``s: residents, households, the on-cloud rate and every tag come from
the registry; later apps add theirs with ``register_metric`` (visits, for instance).

Places residents come to (a service point, a hall, a sports field) are ``Mark``s that later
apps give with ``register_places`` (the spaces app's sites and spaces): a placed mark is drawn
on the plan as a pin with its name; every mark is listed under the plan, placed or not.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from areas.models import Area, AreaLevel
from registry.models import Household, Resident, Tag, tag_q


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise | str
    values: Callable[[Area], dict[int, float]]  # building id → value, for a committee
    percent: bool = False


METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> None:
    METRICS[metric.key] = metric


@dataclass
class Mark:
    """A place on the plan that is not a building: its name, what it is, where its page is,
    and where it stands (percent across and down, or None when not placed yet)."""

    name: str
    kind: str
    url: str
    across: float | None = None
    down: float | None = None
    x: float = 0
    y: float = 0

    @property
    def placed(self) -> bool:
        return self.across is not None and self.down is not None


PLACES: list[Callable[[Area], list[Mark]]] = []


def register_places(places: Callable[[Area], list[Mark]]) -> None:
    """``places(committee)`` gives the committee's marks, in a fixed number of queries."""
    if places not in PLACES:
        PLACES.append(places)


def marks_of(committee: Area) -> list[Mark]:
    return [mark for places in PLACES for mark in places(committee)]


def _per_building(queryset, **annotations) -> dict[int, dict]:
    return {
        row.pop("building"): row for row in queryset.order_by().values("building").annotate(**annotations)
    }


def _residents(committee: Area, where: Q | None = None) -> dict[int, float]:
    people = Resident.objects.living().filter(household__building__path__startswith=committee.path)
    if where is not None:
        people = people.filter(where)
    rows = people.order_by().values("household__building").annotate(n=Count("pk", distinct=True))
    return {row["household__building"]: row["n"] for row in rows}


def _households(committee: Area) -> dict[int, float]:
    rows = Household.objects.filter(building__path__startswith=committee.path)
    return {b: row["n"] for b, row in _per_building(rows, n=Count("pk")).items()}


def _on_cloud(committee: Area) -> dict[int, float]:
    rows = (
        Resident.objects.living()
        .filter(household__building__path__startswith=committee.path)
        .order_by()
        .values("household__building")
        .annotate(n=Count("pk"), verified=Count("user_id"))
    )
    return {row["household__building"]: 100 * row["verified"] / row["n"] for row in rows if row["n"]}


register_metric(Metric("residents", _("Residents"), _residents))
register_metric(Metric("households", _("Households"), _households))
register_metric(Metric("on_cloud", _("On-cloud rate"), _on_cloud, percent=True))


def _tagged(tag: str) -> Callable[[Area], dict[int, float]]:
    return lambda committee: _residents(committee, tag_q(tag))


for _tag in Tag:
    register_metric(Metric(_tag.value, _tag.label, _tagged(_tag.value)))

# A sequential palette, light to dark; text is dark on the light steps and white on the dark.
PALETTE = ["#f1f4f8", "#c6dbef", "#9ecae1", "#4a90c2", "#1f5f99", "#0b3a66"]
# White text from this step on; #1a1a1a below it. White on step 3 (#4a90c2) is 3.4:1, under
# WCAG's 4.5:1, where #1a1a1a is 5.6:1.
DARK_FROM = 4
CELL_W, CELL_H, GAP, MARGIN = 120, 64, 12, 16
PLAN_W, PLAN_H = 1000, 560


@dataclass
class Cell:
    building: Area
    value: float
    x: float
    y: float
    step: int
    placed: bool

    @property
    def fill(self) -> str:
        return PALETTE[self.step]

    @property
    def on_dark(self) -> bool:
        """The fill is dark enough for white text."""
        return self.step >= DARK_FROM

    @property
    def text_fill(self) -> str:
        return "#ffffff" if self.on_dark else "#1a1a1a"

    @property
    def group(self) -> str:
        return self.building.parent.name if self.building.parent else ""


@dataclass
class Plan:
    metric: Metric
    cells: list[Cell]
    width: int
    height: int
    bins: list[tuple[str, str]]  # (colour, range in words)
    placed: int
    marks: list[Mark]

    def shown(self, value: float) -> str:
        return f"{value:.0f}%" if self.metric.percent else f"{value:g}"


def steps(maximum: float, percent: bool) -> list[float]:
    """Upper bounds of the colour steps after zero: five equal steps up to the maximum
    (whole numbers for counts, so a bin never reads '1.2–2.4 people')."""
    top = 100.0 if percent else max(maximum, 1.0)
    size = top / 5 if percent else max(1.0, math.ceil(top / 5))
    return [size * i for i in range(1, 6)]


def build_plan(committee: Area, metric_key: str) -> Plan:
    """The committee's buildings laid out and coloured by ``metric_key``: two queries."""
    metric = METRICS.get(metric_key) or METRICS["residents"]
    buildings = list(
        Area.objects.subtree(committee)
        .filter(level=AreaLevel.BUILDING)
        .active()
        .select_related("parent")
        .order_by("path")
    )
    values = metric.values(committee)
    bounds = steps(max(values.values(), default=0), metric.percent)
    cells = []
    for building in buildings:
        value = values.get(building.pk, 0)
        step = 0 if value <= 0 else next((i + 1 for i, b in enumerate(bounds) if value <= b), len(bounds))
        placed = building.map_x is not None and building.map_y is not None
        cells.append(Cell(building, value, 0, 0, step, placed))
    marks = marks_of(committee)
    height = _lay_out(cells, [m for m in marks if m.placed])
    previous = 0.0
    bins = [(PALETTE[0], "0")]
    for i, bound in enumerate(bounds, start=1):
        low = previous if metric.percent else previous + 1
        label = f"{low:g}–{bound:g}" + ("%" if metric.percent else "")
        bins.append((PALETTE[i], label))
        previous = bound
    return Plan(metric, cells, PLAN_W, height, bins, sum(c.placed for c in cells), marks)


def _lay_out(cells: list[Cell], marks: list[Mark]) -> int:
    """Placed buildings and places by their coordinates on the plan; the other buildings in
    a grid below it."""
    placed = [c for c in cells if c.placed]
    rest = [c for c in cells if not c.placed]
    top = 0
    if placed or marks:
        for cell in placed:
            across, down = float(cell.building.map_x or 0), float(cell.building.map_y or 0)
            cell.x = MARGIN + across / 100 * (PLAN_W - 2 * MARGIN - CELL_W)
            cell.y = MARGIN + down / 100 * (PLAN_H - 2 * MARGIN - CELL_H)
        for mark in marks:
            mark.x = MARGIN + float(mark.across or 0) / 100 * (PLAN_W - 2 * MARGIN)
            mark.y = MARGIN + float(mark.down or 0) / 100 * (PLAN_H - 2 * MARGIN)
        top = PLAN_H
    columns = max(1, (PLAN_W - 2 * MARGIN + GAP) // (CELL_W + GAP))
    for index, cell in enumerate(rest):
        row, column = divmod(index, columns)
        cell.x = MARGIN + column * (CELL_W + GAP)
        cell.y = top + MARGIN + row * (CELL_H + GAP)
    rows = -(-len(rest) // columns)
    return top + (2 * MARGIN + rows * (CELL_H + GAP) - GAP if rest else 0) or PLAN_H // 4
