"""Recognition (表彰): hours and person-times from the hours ledger, and stars by yearly hours.

What counts: confirmed entries only (pending and declined ones do not); a reversal (an entry
with ``reverses`` set and negative hours) nets its entry out. Hours are the sum of the
confirmed entries' hours, reversals included; person-times (人次) are the confirmed entries
that are neither a reversal nor reversed. A reversal counts on its entry's day, so a
correction made in January still takes the hours out of the December they were served in.
Months and years are those of ``HoursEntry.day``, the day in Shanghai the service was given.

Every figure is grouped in the database: a fixed number of queries whatever the number of
volunteers, teams or committees. A committee's staff see its volunteers (or teams); a street,
district or city sees the areas one level below it side by side, each with a link down.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from areas.models import Area, AreaLevel
from areas.selectors import compares_parts, part_path, parts_of
from common.scope import Scope
from volunteers.models import HoursEntry, HoursEntryQuerySet, Membership, MembershipStatus, Team, Volunteer

ZERO = Decimal("0.00")
MONTHS = range(1, 13)

# What the rows of a committee's figures can be: its volunteers or its teams.
BY_VOLUNTEER = "volunteer"
BY_TEAM = "team"
BY_CHOICES = ((BY_VOLUNTEER, gettext_lazy("By volunteer")), (BY_TEAM, gettext_lazy("By team")))


# --- Stars -----------------------------------------------------------------------------------


def star_thresholds() -> tuple[int, ...]:
    """The yearly hours of one star, two stars… (``settings.MULIN_VOLUNTEER_STAR_HOURS``)."""
    return tuple(sorted(settings.MULIN_VOLUNTEER_STAR_HOURS))


def stars(hours: Decimal | int | float | None) -> int:
    """Stars earned by ``hours`` of one year: one for each threshold reached (20 hours is one
    star, 19.75 none; 300 and more five with the default thresholds)."""
    if hours is None:
        return 0
    value = Decimal(str(hours))
    return sum(1 for threshold in star_thresholds() if value >= threshold)


def hours_to_next_star(hours: Decimal) -> Decimal | None:
    """How many more hours this year to the next star; None at the top."""
    for threshold in star_thresholds():
        if hours < threshold:
            return Decimal(threshold) - hours
    return None


# --- What counts -----------------------------------------------------------------------------

_HOURS: DecimalField = DecimalField(max_digits=12, decimal_places=2)
# A confirmed entry, neither a reversal nor reversed by a confirmed one: one person-time.
_COUNTED_ONCE = Q(reverses__isnull=True) & (Q(reversal__isnull=True) | Q(reversal__confirmed_at__isnull=True))


def counted(entries: QuerySet[HoursEntry] | None = None) -> QuerySet[HoursEntry]:
    """The confirmed entries (reversals included, which are confirmed), each with its
    ``served_on``: the day of the service it counts for (a reversal: its entry's day)."""
    entries = HoursEntry.objects.all() if entries is None else entries
    return cast(HoursEntryQuerySet, entries).confirmed().annotate(served_on=Coalesce("reverses__day", "day"))


def in_period(entries: QuerySet[HoursEntry], start: date, end: date) -> QuerySet[HoursEntry]:
    """Entries served from ``start`` up to, not including, ``end``."""
    return entries.filter(served_on__gte=start, served_on__lt=end)  # type: ignore[misc]  # annotated by counted()


def _hours(value: Decimal | None) -> Decimal:
    """Hours to the hundredth, as stored: SQLite's sums come back as 22.5, PostgreSQL's as 22.50."""
    return Decimal(value or 0).quantize(ZERO)


def _sums(entries: QuerySet[HoursEntry], *keys: str):
    """Hours, person-times and different volunteers, grouped by ``keys``: one query."""
    return (
        entries.values(*keys)
        .order_by(*keys)
        .annotate(
            total=Coalesce(Sum("hours"), ZERO, output_field=_HOURS),
            times=Count("pk", filter=_COUNTED_ONCE),
            people=Count("volunteer", distinct=True, filter=_COUNTED_ONCE),
        )
    )


def _whole(entries: QuerySet[HoursEntry]) -> dict:
    return entries.aggregate(
        total=Coalesce(Sum("hours"), ZERO, output_field=_HOURS),
        times=Count("pk", filter=_COUNTED_ONCE),
        people=Count("volunteer", distinct=True, filter=_COUNTED_ONCE),
    )


# --- Figures ---------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    key: object = None
    hours: Decimal = ZERO
    times: int = 0  # 人次
    people: int = 0  # different volunteers
    area: Area | None = None  # the part one level down that the row counts (street and above)
    volunteer: Volunteer | None = None

    @property
    def stars(self) -> int:
        return stars(self.hours)

    def add(self, sums: dict) -> None:
        self.hours += _hours(sums["total"])
        self.times += sums["times"] or 0
        self.people += sums["people"] or 0


@dataclass
class MonthRow:
    year: int
    month: int
    hours: Decimal = ZERO
    times: int = 0
    people: int = 0

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


@dataclass
class Figures:
    area: Area
    year: int
    month: int | None  # None: the whole year
    by: str  # "volunteer", "team", or the level of the parts compared ("committee"…)
    total: Row
    months: list[MonthRow]
    rows: list[Row] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        """The name of the level compared ("Committee"), or "" inside a committee."""
        return str(AreaLevel(self.by).label) if self.by in AreaLevel.values else ""

    @property
    def compares_parts(self) -> bool:
        return bool(self.level_label)

    @property
    def by_team(self) -> bool:
        return self.by == BY_TEAM

    @property
    def shows_stars(self) -> bool:
        """Stars are earned by a year's hours, so only a year's rows of volunteers show them."""
        return self.by == BY_VOLUNTEER and self.month is None

    def chart(self) -> dict:
        """The ECharts option of the months: hours as bars, person-times as a line."""
        labels = [str(m.month) for m in self.months]
        return {
            "tooltip": {"trigger": "axis"},
            "legend": {"data": [pgettext("recognition", "Hours"), str(_("Person-times"))]},
            "grid": {"left": 40, "right": 40, "bottom": 30, "top": 40},
            "xAxis": {"type": "category", "data": labels, "name": str(_("Month"))},
            "yAxis": [
                {"type": "value", "name": pgettext("recognition", "Hours")},
                {"type": "value", "name": str(_("Person-times"))},
            ],
            "series": [
                {
                    "name": pgettext("recognition", "Hours"),
                    "type": "bar",
                    "data": [float(m.hours) for m in self.months],
                },
                {
                    "name": str(_("Person-times")),
                    "type": "line",
                    "yAxisIndex": 1,
                    "data": [m.times for m in self.months],
                },
            ],
        }


def period_of(year: int, month: int | None) -> tuple[date, date]:
    """The first day of the year (or month) and the first day after it."""
    if month is None:
        return date(year, 1, 1), date(year + 1, 1, 1)
    start = date(year, month, 1)
    return start, date(year + (month == 12), month % 12 + 1, 1)


def _served_in(scope: Scope, area: Area) -> QuerySet[HoursEntry]:
    entries = scope.restrict(HoursEntry.objects.all())
    if area != scope.area:
        entries = entries.filter(area__path__startswith=area.path)
    return counted(entries)


def figures(
    scope: Scope, year: int, *, month: int | None = None, area: Area | None = None, by: str = BY_VOLUNTEER
) -> Figures:
    """Hours, person-times and different volunteers served in ``area`` (inside the scope; the
    scope's own area by default) in ``year`` (or one month of it): by month, and per volunteer
    or team inside a committee, per part one level down for a street and above. Four queries."""
    area = area or scope.area
    entries = _served_in(scope, area)
    year_entries = in_period(entries, *period_of(year, None))
    months = {m: MonthRow(year, m) for m in MONTHS}
    for sums in _sums(year_entries.annotate(month=ExtractMonth("served_on")), "month"):
        row = months[sums["month"]]
        row.hours, row.times, row.people = _hours(sums["total"]), sums["times"], sums["people"]
    period = in_period(entries, *period_of(year, month))
    total = Row(label=str(_("Total")))
    total.add(_whole(period))
    if compares_parts(area):
        parts = parts_of(area)
        rows = _by_part(period, parts, area)
        by = parts[0].level if parts else AreaLevel.COMMITTEE
    elif by == BY_TEAM:
        rows = _by_team(period)
    else:
        by, rows = BY_VOLUNTEER, _by_volunteer(period)
    return Figures(area, year, month, by, total, list(months.values()), rows)


def _by_part(period: QuerySet[HoursEntry], parts: list[Area], area: Area) -> list[Row]:
    """Every part named, a part without hours as a row of zeros: the comparison is complete.
    Hours served for the area itself (a street-wide team's) are a row of their own, last."""
    rows = {p.path: Row(label=p.name, key=p.path, area=p) for p in parts}
    itself = Row(label=_("%(area)s itself") % {"area": area.name}, key="")
    for sums in _sums(period.annotate(part=part_path(parts, "area__path")), "part"):
        rows.get(sums["part"], itself).add(sums)
    ordered = sorted(rows.values(), key=lambda r: (-r.hours, r.key))
    return ordered + ([itself] if itself.times or itself.hours else [])


def _by_volunteer(period: QuerySet[HoursEntry]) -> list[Row]:
    """Most hours first: one query, the names joined in."""
    rows = []
    for sums in _sums(period, "volunteer_id", "volunteer__name"):
        rows.append(Row(label=sums["volunteer__name"], key=sums["volunteer_id"]))
        rows[-1].add(sums)
    return sorted(rows, key=lambda r: (-r.hours, r.label, r.key))


def _by_team(period: QuerySet[HoursEntry]) -> list[Row]:
    """One row per team, and one for hours served outside any team."""
    rows = []
    for sums in _sums(period, "team_id", "team__name"):
        label = sums["team__name"] or str(_("Not in a team"))
        rows.append(Row(label=label, key=sums["team_id"]))
        rows[-1].add(sums)
    return sorted(rows, key=lambda r: (r.key is None, -r.hours, r.label))


# --- One volunteer ---------------------------------------------------------------------------


@dataclass
class MyYear:
    volunteer: Volunteer
    year: int
    hours: Decimal
    times: int

    @property
    def stars(self) -> int:
        return stars(self.hours)

    @property
    def star_range(self) -> range:
        return range(self.stars)

    @property
    def unearned_range(self) -> range:
        return range(len(star_thresholds()) - self.stars)

    @property
    def to_next_star(self) -> Decimal | None:
        return hours_to_next_star(self.hours)


def hours_of(volunteer: Volunteer, start: date, end: date) -> tuple[Decimal, int]:
    """A volunteer's hours and person-times served from ``start`` up to ``end`` (excluded),
    wherever they served: their hours move with them. One query."""
    sums = _whole(in_period(counted(HoursEntry.objects.filter(volunteer=volunteer)), start, end))
    return _hours(sums["total"]), sums["times"] or 0


def my_year(volunteer: Volunteer, year: int) -> MyYear:
    """A volunteer's hours, person-times and stars of ``year``: one query."""
    hours, times = hours_of(volunteer, *period_of(year, None))
    return MyYear(volunteer, year, hours, times)


def stars_this_year(volunteer: Volunteer) -> int:
    """A volunteer's stars by their confirmed hours of this year (in Shanghai): one query."""
    return my_year(volunteer, timezone.localdate().year).stars


# --- The yearly recognition list (表彰) --------------------------------------------------------


@dataclass
class Honour:
    rank: int
    volunteer_id: int
    name: str
    hours: Decimal
    times: int
    teams: list[str]

    @property
    def stars(self) -> int:
        return stars(self.hours)


def honour_roll(scope: Scope, year: int, *, area: Area | None = None, min_stars: int = 0) -> list[Honour]:
    """The volunteers who served in ``area`` (a committee or a street, inside the scope) in
    ``year``, most hours first, with their stars (of the hours served there) and the teams
    they are members of there. Two queries, whatever the number of volunteers."""
    area = area or scope.area
    period = in_period(_served_in(scope, area), *period_of(year, None))
    ranked = [
        sums
        for sums in _sums(period, "volunteer_id", "volunteer__name")
        if (sums["total"] or ZERO) > 0 and stars(sums["total"]) >= min_stars
    ]
    ranked.sort(key=lambda s: (-s["total"], s["volunteer__name"], s["volunteer_id"]))
    teams: dict[int, list[str]] = defaultdict(list)
    if ranked:
        memberships = (
            Membership.objects.filter(
                volunteer_id__in=[s["volunteer_id"] for s in ranked],
                status=MembershipStatus.ACTIVE,
                team__area__path__startswith=area.path,
                team__in=Team.objects.current(),
            )
            .order_by("team__name")
            .values_list("volunteer_id", "team__name")
        )
        for volunteer_id, team_name in memberships:
            teams[volunteer_id].append(team_name)
    return [
        Honour(
            rank,
            s["volunteer_id"],
            s["volunteer__name"],
            _hours(s["total"]),
            s["times"],
            teams[s["volunteer_id"]],
        )
        for rank, s in enumerate(ranked, start=1)
    ]
