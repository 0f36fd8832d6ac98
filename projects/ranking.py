"""The result of each entry and the order of a round: the one definition, for the staff's
page, the 公示, the results and the API.

- An entry's result is the mean of its judges' current scores (each score a weighted total out
  of 100); with 5 or more scores the highest and the lowest are dropped first (a trimmed mean).
- Ties on the result are broken, in order, by the higher median score, then by the more top
  marks (criteria given their full points), then by the earlier entry.
- Entries not eligible are not ranked; an eligible entry without scores comes last, unranked.
- The round's ``pick`` best are chosen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from projects.models import CriterionScore, Eligibility, Entry, Round, Score

TRIM_FROM = 5
CENT = Decimal("0.01")

RULE = _(
    "Each entry's result is the mean of its judges' scores (weighted, out of 100); with 5 or more "
    "scores the highest and the lowest are dropped first. Ties are broken by the higher median "
    "score, then by more criteria given full points, then by the earlier entry."
)
TIE_MEDIAN = _("tie broken by the median")
TIE_TOPS = _("tie broken by full-point criteria")
TIE_ORDER = _("tie broken by the earlier entry")


def trimmed_mean(totals: list[Decimal]) -> Decimal | None:
    if not totals:
        return None
    kept = sorted(totals)
    if len(kept) >= TRIM_FROM:
        kept = kept[1:-1]
    return (sum(kept, Decimal(0)) / len(kept)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Row:
    entry: Entry
    totals: list[Decimal] = field(default_factory=list)
    tops: int = 0
    result: Decimal | None = None
    median: Decimal | None = None
    rank: int | None = None
    chosen: bool = False
    tie: str = ""

    @property
    def trimmed(self) -> bool:
        return len(self.totals) >= TRIM_FROM


def _key(row: Row):
    return (
        row.result is None,
        -(row.result or 0),
        -(row.median or 0),
        -row.tops,
        row.entry.entered_at,
        row.entry.pk,
    )


def rank(round_: Round) -> list[Row]:
    """The eligible entries of ``round_`` in order, with their results (three queries)."""
    entries = list(round_.entries.filter(eligibility=Eligibility.ELIGIBLE).select_related("project", "area"))
    rows = {entry.pk: Row(entry) for entry in entries}
    current = Score.objects.filter(entry__round=round_, superseded_at__isnull=True)
    for entry_id, total in current.values_list("entry_id", "total"):
        if entry_id in rows:
            rows[entry_id].totals.append(total)
    tops: dict[int, int] = defaultdict(int)
    full = CriterionScore.objects.filter(
        score__entry__round=round_, score__superseded_at__isnull=True, points__gte=F("criterion__max_points")
    )
    for entry_id in full.values_list("score__entry_id", flat=True):
        tops[entry_id] += 1
    for row in rows.values():
        row.tops = tops.get(row.entry.pk, 0)
        row.result = trimmed_mean(row.totals)
        row.median = Decimal(median(row.totals)).quantize(CENT) if row.totals else None
    ordered = sorted(rows.values(), key=_key)
    place = 0
    for before, row in zip([None, *ordered], ordered, strict=False):
        if row.result is None:
            continue
        place += 1
        row.rank = place
        row.chosen = place <= round_.pick
        if before is not None and before.result == row.result:
            if before.median != row.median:
                row.tie = str(TIE_MEDIAN)
            elif before.tops != row.tops:
                row.tie = str(TIE_TOPS)
            else:
                row.tie = str(TIE_ORDER)
    return ordered


def frozen(round_: Round) -> list[Entry]:
    """The entries as the 公示 froze them, best first (one query)."""
    return list(
        round_.entries.filter(eligibility=Eligibility.ELIGIBLE, rank__isnull=False)
        .select_related("project", "area", "project__team", "project__partner")
        .order_by("rank")
    )
