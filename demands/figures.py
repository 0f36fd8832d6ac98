"""How requests are handled, per social worker and per committee, over a period:

- received: requests that came in during the period;
- resolved: requests resolved during the period;
- open and overdue: now (open = still to be acted on; overdue = open past its due time);
- median hours to resolve: from arrival to resolution, over those resolved in the period;
- satisfaction: the average rating (1–5) of those rated in the period, and the share
  rated 4 or 5.

Three queries whatever the number of rows: one grouped count, one list of (group, hours)
for the medians, and the names. A street or district admin sees their committees side
by side; a committee's staff see its workers.
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
    by: str  # "worker" or "committee"


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


def _key(per_committee: bool, committee_id: int, kind: str, worker_id: int | None) -> object:
    """The row a request counts in: its committee; or its social worker, else one row per
    kind of outside body, else "none" (not yet assigned)."""
    if per_committee:
        return committee_id
    if kind == Assignee.WORKER and worker_id is not None:
        return worker_id
    return kind or "none"


def figures(scope: Scope, start: datetime, end: datetime, *, now: datetime) -> Figures:
    """Per worker for a committee's scope, per committee for a street and above. Three queries."""
    area: Area | None = scope.area
    per_committee = area is not None and area.level in (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET)
    demands = scope.restrict(Demand.objects.all())
    keys = ("committee_id", "assignee_kind", "assignee_id")
    rows: dict[object, Row] = {}
    sums: dict[object, int] = defaultdict(int)
    for counts in _counts(demands, keys, start, end, now):
        key = _key(per_committee, counts["committee_id"], counts["assignee_kind"], counts["assignee_id"])
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
    for committee_id, kind, worker_id, created, resolved in durations:
        hours = (resolved - created).total_seconds() / 3600
        total.hours.append(hours)
        rows[_key(per_committee, committee_id, kind, worker_id)].hours.append(hours)
    _label(rows, per_committee)
    ordered = sorted(rows.values(), key=lambda r: (isinstance(r.key, str), r.label))
    return Figures(start, end, total, ordered, "committee" if per_committee else "worker")


def _label(rows: dict[object, Row], per_committee: bool) -> None:
    ids = [k for k in rows if isinstance(k, int)]
    model = Area if per_committee else User
    names = dict(model.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    for key, row in rows.items():
        if isinstance(key, int):
            row.label = names.get(key, str(key))
        elif key == "none":
            row.label = str(_("Not yet assigned"))
        else:
            row.label = str(Assignee(str(key)).label)
