"""Reading the watch: what needs attention now, a watcher's people today, the staff lists,
a person's last two weeks. Each a fixed number of queries, staff reads always scoped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from common.scope import Scope
from eldercare import rules
from eldercare.models import Alert, CalendarMark, Check, Slot, Watch, Watcher, WatchStatus, watch_day
from registry.contact import call_back
from registry.models import Resident, Tag, tag_q

WATCH_TAGS = (Tag.LIVING_ALONE, Tag.ELDERLY_ONLY, Tag.AGED_80)
ATTENTION_ALERTS = 20
ATTENTION_OVERDUE = 50
DUE_SOON = timedelta(hours=2)
CALENDAR_DAYS = 14


def _clock(now: datetime) -> tuple[date, time]:
    return rules.clock(now)


def _checked(today: date, slot: str) -> Exists:
    return Exists(Check.objects.filter(watch=OuterRef("pk"), day=today, slot=slot))


def with_today(watches: QuerySet[Watch], today: date) -> QuerySet[Watch]:
    """Annotates effective cutoffs, whether each slot is checked today and open alerts."""
    return watches.annotate(
        **rules.cutoff_expressions(),
        day_done=_checked(today, Slot.DAY),
        night_done=_checked(today, Slot.NIGHT),
        alerting=Exists(Alert.objects.filter(watch=OuterRef("pk"), closed_at__isnull=True)),
    )


def _late_q(slot: str, clock: time) -> Q:
    """A slot is late once its cutoff has passed with no check today (``with_today``'s names)."""
    return Q(**{f"eff_{slot}_cutoff__lte": clock, f"{slot}_done": False})


def _overdue_q(clock: time) -> Q:
    return _late_q(Slot.DAY, clock) | _late_q(Slot.NIGHT, clock)


def _due(today: date) -> Q:
    return Q(status=WatchStatus.ACTIVE, checks_from__lte=today)


def open_alerts(scope: Scope) -> QuerySet[Alert]:
    """Open alerts in scope: the most escalated, then the oldest, first."""
    return (
        scope.restrict(Alert.objects.filter(closed_at__isnull=True))
        .select_related(
            "watch__resident__household__building", "watch__resident__user", "committee", "acknowledged_by"
        )
        .order_by("-level", "raised_at", "pk")
    )


@dataclass
class Attention:
    alerts: list[Alert]
    overdue: list[Watch]
    due_soon: int
    open_alerts: int
    overdue_count: int = 0


def attention(scope: Scope, *, now: datetime) -> Attention:
    """For the social worker's today page: open alerts (at most 20), watches past a cutoff
    today without a check for it (whether or not the job has raised an alert yet; at most
    50, each with ``late_slots``), and the checks due in the next two hours. Four queries."""
    today, clock = _clock(now)
    later = rules.local(now) + DUE_SOON
    soon = later.time().replace(microsecond=0) if later.date() == today else time(23, 59, 59)
    alerts = open_alerts(scope)
    watches = with_today(scope.restrict(Watch.objects.filter(_due(today))), today)
    overdue = list(
        watches.filter(_overdue_q(clock))
        .select_related("resident__household__building", "committee")
        .order_by("resident__household__building__path", "resident__household__sort_key", "pk")[
            :ATTENTION_OVERDUE
        ]
    )
    for watch in overdue:
        watch.late_slots = [  # type: ignore[attr-defined]
            slot
            for slot, cutoff, done in (
                (Slot.DAY, watch.eff_day_cutoff, watch.day_done),  # type: ignore[attr-defined]
                (Slot.NIGHT, watch.eff_night_cutoff, watch.night_done),  # type: ignore[attr-defined]
            )
            if cutoff <= clock and not done
        ]
    counts = watches.aggregate(
        overdue=Count("pk", filter=_overdue_q(clock)),
        day_soon=Count("pk", filter=Q(eff_day_cutoff__gt=clock, eff_day_cutoff__lte=soon, day_done=False)),
        night_soon=Count(
            "pk", filter=Q(eff_night_cutoff__gt=clock, eff_night_cutoff__lte=soon, night_done=False)
        ),
    )
    return Attention(
        alerts=list(alerts[:ATTENTION_ALERTS]),
        overdue=overdue,
        due_soon=counts["day_soon"] + counts["night_soon"],
        open_alerts=alerts.count(),
        overdue_count=counts["overdue"],
    )


# --- A watcher's people today ------------------------------------------------------------------


@dataclass
class SlotToday:
    slot: str
    cutoff: time
    checks: list[Check]
    alert: Alert | None
    now: time
    due: bool  # checks are due today (the watch runs, and ran before today)

    @property
    def done(self) -> bool:
        return bool(self.checks)

    @property
    def late(self) -> bool:
        return self.due and not self.checks and self.cutoff <= self.now

    @property
    def is_ahead(self) -> bool:
        """Due today and not yet checked, with the cutoff still ahead."""
        return self.due and not self.done and not self.late

    @property
    def state(self) -> str:
        """done / late / due (the cutoff is still ahead) / off (nothing due today)."""
        if self.done:
            return "done"
        if not self.due:
            return "off"
        return "late" if self.late else "due"


@dataclass
class WatchToday:
    watch: Watch
    day: SlotToday
    night: SlotToday
    alerts: list[Alert] = field(default_factory=list)

    @property
    def slots(self) -> list[SlotToday]:
        return [self.day, self.night]

    @property
    def needs_you(self) -> bool:
        return self.watch.is_active and (self.day.late or self.night.late)


def today_of(watches: list[Watch], now: datetime) -> list[WatchToday]:
    """Each watch with today's two slots; the watches must carry ``today_checks`` and
    ``open_alerts`` (see ``_today_prefetch``) and their committee's policy."""
    today, clock = _clock(now)
    out = []
    for watch in watches:
        the_rules = rules.rules_for(watch)
        checks: list[Check] = watch.today_checks  # type: ignore[attr-defined]
        alerts: list[Alert] = watch.open_alerts  # type: ignore[attr-defined]
        due = watch.checks_due_on(today)
        day, night = (
            SlotToday(
                slot,
                the_rules.cutoff(slot),
                [c for c in checks if c.slot == slot],
                next((a for a in alerts if a.slot == slot and a.day == today), None),
                clock,
                due,
            )
            for slot in (Slot.DAY, Slot.NIGHT)
        )
        out.append(WatchToday(watch, day, night, alerts))
    return out


def _today_prefetch(today: date) -> list[Prefetch]:
    return [
        Prefetch(
            "checks",
            queryset=Check.objects.filter(day=today).select_related("by").order_by("at", "pk"),
            to_attr="today_checks",
        ),
        Prefetch(
            "alerts",
            queryset=Alert.objects.filter(closed_at__isnull=True).order_by("raised_at"),
            to_attr="open_alerts",
        ),
    ]


def my_watch(user: User, *, now: datetime) -> list[WatchToday]:
    """The running or paused watches ``user`` is a watcher of, with today's checks: three
    queries. Those needing a look first, then by door."""
    if not user.is_authenticated:
        return []
    today = watch_day(now)
    watches = list(
        Watch.objects.filter(
            Exists(Watcher.objects.filter(watch=OuterRef("pk"), user=user, ended_at__isnull=True)),
            status__in=(WatchStatus.ACTIVE, WatchStatus.PAUSED),
        )
        .select_related("resident__household__building", "committee__watch_policy")
        .prefetch_related(*_today_prefetch(today))
        .order_by("resident__household__building__path", "resident__household__sort_key", "pk")
    )
    rows = today_of(watches, now)
    return sorted(rows, key=lambda r: (not r.needs_you, r.watch.status != WatchStatus.ACTIVE))


def watches_of_user(user: User) -> QuerySet[Watch]:
    return Watch.objects.filter(watchers__user=user, watchers__ended_at__isnull=True)


# --- Staff lists ------------------------------------------------------------------------------


class TodayFilter:
    ALL = ""
    LATE = "late"
    CHECKED = "checked"
    ALERT = "alert"
    PAUSED = "paused"
    ENDED = "ended"


def watch_list(
    scope: Scope, *, now: datetime, today_filter: str = "", tag: str = "", building: str = ""
) -> QuerySet[Watch]:
    """The list in scope with today's state annotated; by building and door."""
    today, clock = _clock(now)
    watches = scope.restrict(Watch.objects.all())
    if today_filter == TodayFilter.ENDED:
        watches = watches.filter(status=WatchStatus.ENDED)
    elif today_filter == TodayFilter.PAUSED:
        watches = watches.filter(status=WatchStatus.PAUSED)
    else:
        watches = watches.exclude(status=WatchStatus.ENDED)
    watches = with_today(watches, today).annotate(
        day_late=ExpressionWrapper(_late_q(Slot.DAY, clock), output_field=BooleanField()),
        night_late=ExpressionWrapper(_late_q(Slot.NIGHT, clock), output_field=BooleanField()),
    )
    if today_filter == TodayFilter.LATE:
        watches = watches.filter(_due(today)).filter(_overdue_q(clock))
    elif today_filter == TodayFilter.CHECKED:
        watches = watches.filter(_due(today)).exclude(_overdue_q(clock))
    elif today_filter == TodayFilter.ALERT:
        watches = watches.filter(alerting=True)  # type: ignore[misc]
    if tag in WATCH_TAGS:
        watches = watches.filter(
            Exists(Resident.objects.filter(tag_q(tag, today), pk=OuterRef("resident_id")))
        )
    if building:
        watches = watches.filter(resident__household__building__code=building)
    return (
        watches.select_related("resident__household__building", "committee")
        .annotate(watcher_count=Count("watchers", filter=Q(watchers__ended_at__isnull=True), distinct=True))
        .order_by("resident__household__building__path", "resident__household__sort_key", "pk")
    )


def candidates(scope: Scope, *, tag: str = "", today: date | None = None) -> QuerySet[Resident]:
    """Living residents in scope tagged living alone, elderly-only or 80+ (or the one ``tag``),
    not on the watch list (an ended watch does not count), by door."""
    today = today or timezone.localdate()
    wanted = [tag] if tag in WATCH_TAGS else list(WATCH_TAGS)
    tagged = Q()
    for one in wanted:
        tagged |= Q(Exists(Resident.objects.filter(tag_q(one, today), pk=OuterRef("pk"))))
    return (
        scope.restrict(Resident.objects.living())
        .filter(tagged)
        .exclude(Exists(Watch.objects.filter(resident=OuterRef("pk")).exclude(status=WatchStatus.ENDED)))
        .select_related("household__building")
        .prefetch_related("tags")
        .order_by("household__building__path", "household__sort_key", "pk")
    )


def watches_with_details() -> QuerySet[Watch]:
    """Watches with what a watch's page shows; look one up with ``scope.get``."""
    return Watch.objects.select_related(
        "resident__household__building",
        "resident__user",
        "committee__watch_policy",
        "family_user",
        "started_by",
    )


def alerts_with_details() -> QuerySet[Alert]:
    """Alerts with what an alert's page shows; look one up with ``scope.get``."""
    return Alert.objects.select_related(
        "watch__resident__household__building",
        "watch__resident__user",
        "watch__family_user",
        "committee",
        "acknowledged_by",
        "closed_by",
        "raised_by_check__by",
        "resolved_by_check__by",
    )


def watch_in(scope: Scope, watch_id: int) -> Watch | None:
    return scope.restrict(watches_with_details()).filter(pk=watch_id).first()


def alert_in(scope: Scope, alert_id: int) -> Alert | None:
    return scope.restrict(alerts_with_details()).filter(pk=alert_id).first()


def watchers_of(watch: Watch) -> list[Watcher]:
    return list(
        watch.watchers.filter(ended_at__isnull=True).select_related("user").order_by("added_at", "pk")
    )


@dataclass
class CalendarDay:
    day: date
    day_checks: list[Check]
    night_checks: list[Check]
    alerts: list[Alert]
    day_state: CalendarMark
    night_state: CalendarMark


def _calendar_state(checks: list[Check], due: bool, cutoff_ahead: bool) -> CalendarMark:
    """Seen, or nothing was due, or due today with the cutoff ahead, or missed."""
    if checks:
        return CalendarMark.SEEN
    if not due:
        return CalendarMark.OFF
    return CalendarMark.DUE if cutoff_ahead else CalendarMark.MISSED


def calendar(watch: Watch, *, now: datetime, days: int = CALENDAR_DAYS) -> list[CalendarDay]:
    """The last ``days`` days, oldest first, with each day's checks and alerts: two queries.
    Days before the watch started count as nothing due; a pause leaves no trace here."""
    today, clock = _clock(now)
    the_rules = rules.rules_for(watch)
    first = today - timedelta(days=days - 1)
    checks = list(watch.checks.filter(day__gte=first).select_related("by").order_by("at", "pk"))
    alerts = list(watch.alerts.filter(day__gte=first).order_by("raised_at"))
    out = []
    for n in range(days):
        day = first + timedelta(days=n)
        due = day >= watch.checks_from
        mine = [c for c in checks if c.day == day]
        day_checks = [c for c in mine if c.slot == Slot.DAY]
        night_checks = [c for c in mine if c.slot == Slot.NIGHT]
        out.append(
            CalendarDay(
                day,
                day_checks,
                night_checks,
                [a for a in alerts if a.day == day],
                _calendar_state(day_checks, due, day == today and the_rules.day_cutoff > clock),
                _calendar_state(night_checks, due, day == today and the_rules.night_cutoff > clock),
            )
        )
    return out


def with_call_back(scope: Scope, alerts: Iterable[Alert]) -> None:
    """Gives each alert ``call_back``: the numbers to call its resident on, as ``scope`` may
    see them (``registry.contact``). No query for alerts read through ``open_alerts``."""
    for alert in alerts:
        alert.call_back = call_back(scope, alert.watch.resident)  # type: ignore[attr-defined]


def recent_alerts(watch: Watch, limit: int = 20) -> list[Alert]:
    return list(
        watch.alerts.select_related("acknowledged_by", "closed_by").order_by("-raised_at", "-pk")[:limit]
    )


def closed_alerts(scope: Scope, limit: int = 20) -> list[Alert]:
    return list(
        scope.restrict(Alert.objects.filter(closed_at__isnull=False))
        .select_related("watch__resident__household__building", "closed_by")
        .order_by("-closed_at", "-pk")[:limit]
    )
