"""How requests are handled, per social worker and per committee, over a period:

- received: requests that came in during the period;
- resolved: requests resolved during the period;
- open and overdue: now (open = still to be acted on; overdue = open past its due time);
- median hours to resolve: from arrival to resolution, over those resolved in the period;
- satisfaction: the average rating (1–5) of those rated in the period, and the share
  rated 4 or 5.

Three queries whatever the number of rows: one grouped count, one list of (group, hours)
for the medians, and the names (or the parts). A city sees its districts side by side, a
district its streets, a street its committees, each with a total row and a link down; a
committee's staff see its workers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel
from areas.selectors import compares_parts, part_path, parts_of
from common.scope import Scope
from demands.models import OPEN_STATUSES, Assignee, Demand


@dataclass
class Row:
    label: str
    key: object = None
    received: int = 0
    resolved: int = 0
    open: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0  # rated 4 or 5
    average_rating: float | None = None
    hours: list[float] = field(default_factory=list, repr=False)
    area: Area | None = None  # the part of the area the row counts (for a street and above)

    @property
    def median_hours(self) -> float | None:
        return round(median(self.hours), 1) if self.hours else None

    @property
    def satisfied_share(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None

    @property
    def satisfied_percent(self) -> str:
        share = self.satisfied_share
        return "—" if share is None else f"{share * 100:.0f}%"


@dataclass
class Figures:
    start: datetime
    end: datetime
    total: Row
    rows: list[Row]
    by: str  # "worker", or the level of the parts compared: "district", "street", "committee"

    @property
    def level_label(self) -> str:
        """The name of the level compared ("Street / town"), or "" for a committee's workers."""
        return str(AreaLevel(self.by).label) if self.by in AreaLevel.values else ""


def _counts(demands, keys: tuple[str, ...], start: datetime, end: datetime, now: datetime):
    open_ = Q(status__in=OPEN_STATUSES)
    rated = Q(rated_at__gte=start, rated_at__lt=end, rating__isnull=False)
    return (
        demands.values(*keys)
        .order_by(*keys)
        .annotate(
            received=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
            resolved=Count("pk", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
            open=Count("pk", filter=open_),
            overdue=Count("pk", filter=open_ & Q(due_at__lt=now)),
            rated=Count("pk", filter=rated),
            satisfied=Count("pk", filter=rated & Q(rating__gte=4)),
            rating_sum=Sum("rating", filter=rated),
        )
    )


COUNTED = ("received", "resolved", "open", "overdue", "rated", "satisfied")


def _key(per_part: bool, part: str, kind: str, worker_id: int | None) -> object:
    """The row a request counts in: the part of the area (district, street or committee) its
    committee lies in; or its social worker, else one row per kind of outside body, else
    "none" (not yet assigned)."""
    if per_part:
        return part
    if kind == Assignee.WORKER and worker_id is not None:
        return worker_id
    return kind or "none"


def figures(
    scope: Scope, start: datetime, end: datetime, *, now: datetime, area: Area | None = None
) -> Figures:
    """Per worker for a committee, per part one level down for a street and above; of
    ``area`` (inside the scope) or else of the scope's own area. Three queries."""
    area = area or scope.area
    per_part = compares_parts(area)
    parts = parts_of(area) if per_part and area is not None else []
    demands = scope.restrict(Demand.objects.all())
    if area is not None and area != scope.area:
        demands = demands.filter(committee__path__startswith=area.path)
    if per_part:
        demands = demands.annotate(part=part_path(parts, "committee__path"))
    keys = ("part" if per_part else "committee_id", "assignee_kind", "assignee_id")
    rows: dict[object, Row] = {}
    if per_part:
        rows = {p.path: Row(label=p.name, key=p.path, area=p) for p in parts}
    sums: dict[object, int] = defaultdict(int)
    for counts in _counts(demands, keys, start, end, now):
        key = _key(per_part, counts[keys[0]], counts["assignee_kind"], counts["assignee_id"])
        row = rows.setdefault(key, Row(label="", key=key))
        for name in COUNTED:
            setattr(row, name, getattr(row, name) + (counts[name] or 0))
        sums[key] += counts["rating_sum"] or 0
    total = Row(label="")
    for key, row in rows.items():
        row.average_rating = round(sums[key] / row.rated, 2) if row.rated else None
        for name in COUNTED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    total.average_rating = round(sum(sums.values()) / total.rated, 2) if total.rated else None
    durations = demands.filter(resolved_at__gte=start, resolved_at__lt=end).values_list(
        *keys, "created_at", "resolved_at"
    )
    for group, kind, worker_id, created, resolved in durations:
        hours = (resolved - created).total_seconds() / 3600
        total.hours.append(hours)
        rows[_key(per_part, group, kind, worker_id)].hours.append(hours)
    if per_part:
        # A part with nothing in it stays as a row of zeros: the comparison names every part.
        return Figures(
            start, end, total, [r for r in rows.values() if r.area], parts[0].level if parts else ""
        )
    _label(rows)
    ordered = sorted(rows.values(), key=lambda r: (isinstance(r.key, str), r.label))
    return Figures(start, end, total, ordered, "worker")


def _label(rows: dict[object, Row]) -> None:
    ids = [k for k in rows if isinstance(k, int)]
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    for key, row in rows.items():
        if isinstance(key, int):
            row.label = names.get(key, str(key))
        elif key == "none":
            row.label = str(_("Not yet assigned"))
        else:
            row.label = str(Assignee(str(key)).label)
