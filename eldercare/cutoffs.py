"""The cutoff job: raise an alert for every slot past its cutoff without a check, and move
open alerts up a step once their delay has passed.

Set-based throughout, so one run over a whole city (100,000 watched residents) is a handful
of queries: one select of the watches past a cutoff today without a check or an alert for
that slot, one ``bulk_create`` of the alerts (the unique constraint on watch, day and slot
makes a repeated or concurrent run insert nothing twice), then one ``UPDATE`` per step
whose rows are read back by the moment it stamped. Messages are grouped per recipient and
written with one ``notify_each`` per step. Nothing waits on a gateway inside a transaction:
the SMS to family contacts without an account go out from a task queued once the step has
committed (``text_families``), each alert's outcome written as it is sent.

A run does only what is due at ``now``: run late, it catches up (an alert whose both delays
have passed climbs two steps at once); run twice, the second run finds nothing to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import User
from audit.context import suspended
from eldercare import rules
from eldercare.joblog import log_step
from eldercare.models import Alert, AlertLevel, Cause, Check, FamilyReach, Slot, Watch, Watcher, WatchStatus
from eldercare.telling import family_text, tell_watchers, tell_workers, text_families
from notifications.models import NotificationKind
from notifications.services import Message, notify_each
from registry.models import living_q

BATCH = 2000


@dataclass
class Summary:
    raised: int = 0
    to_workers: int = 0
    to_family: int = 0
    notifications: int = 0
    family_sms: int = 0

    def __str__(self) -> str:
        return (
            f"{self.raised} alerts raised, {self.to_workers} to social workers, "
            f"{self.to_family} to families; "
            f"{self.notifications} notifications, {self.family_sms} SMS to families queued"
        )


def due_watches(today, clock, slot: str):
    """Active watches past ``slot``'s cutoff at local ``clock`` on ``today``, with no check
    and no missed-check alert for it yet: one query, whatever the number of watches."""
    cutoffs = rules.cutoff_expressions()
    field = "eff_day_cutoff" if slot == Slot.DAY else "eff_night_cutoff"
    return (
        Watch.objects.filter(living_q("resident__"), status=WatchStatus.ACTIVE, checks_from__lte=today)
        .annotate(**{field: cutoffs[field]})
        .filter(**{f"{field}__lte": clock})
        .filter(~Exists(Check.objects.filter(watch=OuterRef("pk"), day=today, slot=slot)))
        .filter(~Exists(Alert.objects.filter(watch=OuterRef("pk"), day=today, slot=slot, cause=Cause.MISSED)))
    )


ALERT_COLUMNS = {
    # column: annotation of the select that feeds it
    "watch_id": "a_watch",
    "committee_id": "a_committee",
    "day": "a_day",
    "slot": "a_slot",
    "cause": "a_cause",
    "level": "a_level",
    "raised_at": "a_raised",
    "workers_due_at": "a_workers_due",
    "family_due_at": "a_family_due",
    "family_reached": "a_blank",
    "outcome": "a_blank",
    "outcome_note": "a_blank",
}


def _insert_alerts(now: datetime, today, clock, slot: str) -> int:
    """``INSERT … SELECT … ON CONFLICT DO NOTHING``: the database writes the alerts straight
    from the select of due watches, one statement per distinct pair of delays (a handful:
    the committees' policies), so no row passes through Python. Returns the rows inserted."""
    due = due_watches(today, clock, slot).annotate(**rules.delay_expressions()).order_by()
    delays = list(due.values_list("eff_workers_after", "eff_family_after").distinct())
    inserted = 0
    for workers_after, family_after in delays:
        workers_due = now + rules.minutes(workers_after)
        select = (
            due.filter(eff_workers_after=workers_after, eff_family_after=family_after)
            .annotate(
                a_watch=F("pk"),
                a_committee=F("committee_id"),
                a_day=Value(today, output_field=DateField()),
                a_slot=Value(slot, output_field=CharField()),
                a_cause=Value(Cause.MISSED.value, output_field=CharField()),
                a_level=Value(AlertLevel.WATCHERS.value, output_field=IntegerField()),
                a_raised=Value(now, output_field=DateTimeField()),
                a_workers_due=Value(workers_due, output_field=DateTimeField()),
                a_family_due=Value(workers_due + rules.minutes(family_after), output_field=DateTimeField()),
                a_blank=Value("", output_field=CharField()),
            )
            .values_list(*ALERT_COLUMNS.values())
        )
        sql, params = select.query.sql_with_params()
        table = connection.ops.quote_name(Alert._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in ALERT_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql} ON CONFLICT DO NOTHING", params)
            inserted += max(cursor.rowcount, 0)
    if inserted and connection.vendor == "postgresql":
        # Up to 100,000 rows just appeared: without fresh statistics the planner takes the
        # alerts table for nearly empty and joins it row by row in the next statements.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return inserted


def _raise_missed(now: datetime, summary: Summary) -> None:
    # The watch day still running (before dawn, yesterday's: a run after midnight raises what
    # that night missed), with the clock to compare its cutoffs with.
    today, clock = rules.clock(now)
    for slot in Slot.values:
        summary.raised += _insert_alerts(now, today, clock, slot)
    if not summary.raised:
        return
    # Tell the watchers of what this run inserted (another run's rows carry another ``raised_at``).
    mine = {
        "watch__alerts__raised_at": now,
        "watch__alerts__cause": Cause.MISSED,
        "watch__alerts__day": today,
    }
    watching = Watcher.objects.filter(ended_at__isnull=True, **mine)
    users = {
        u.pk: u
        for u in User.objects.filter(Exists(watching.filter(user=OuterRef("pk")))).only(
            "pk", "name", "phone", "is_active", "email", "sms_notifications", "email_notifications"
        )
    }
    pairs = (
        (users[user_id], name, slot)
        for user_id, name, slot in watching.values_list(
            "user_id", "watch__resident__name", "watch__alerts__slot"
        ).iterator(chunk_size=BATCH)
        if user_id in users
    )
    summary.notifications += tell_watchers(pairs)


def _to_workers(now: datetime, summary: Summary) -> None:
    summary.to_workers = Alert.objects.filter(
        closed_at__isnull=True,
        acknowledged_at__isnull=True,
        level=AlertLevel.WATCHERS,
        workers_due_at__lte=now,
    ).update(level=AlertLevel.WORKERS, workers_told_at=now)
    if summary.to_workers:
        told = Alert.objects.filter(level=AlertLevel.WORKERS, workers_told_at=now).values_list(
            "committee_id", "watch__resident__name", "slot"
        )
        summary.notifications += tell_workers(told.iterator(chunk_size=BATCH))


def _to_family(now: datetime, summary: Summary) -> None:
    """One ``UPDATE`` moves the alerts up and says, from their watch, how the family is
    reached: an active account, else an SMS to the phone (queued), else nobody."""
    watch = Watch.objects.filter(pk=OuterRef("watch_id"))
    summary.to_family = Alert.objects.filter(
        closed_at__isnull=True, acknowledged_at__isnull=True, level=AlertLevel.WORKERS, family_due_at__lte=now
    ).update(
        level=AlertLevel.FAMILY,
        family_told_at=now,
        family_reached=Case(
            When(Exists(watch.filter(family_user__is_active=True)), then=Value(FamilyReach.ACCOUNT)),
            When(Exists(watch.exclude(family_phone="")), then=Value(FamilyReach.SMS_QUEUED)),
            default=Value(FamilyReach.NOBODY),
        ),
    )
    if not summary.to_family:
        return
    told = Alert.objects.filter(level=AlertLevel.FAMILY, family_told_at=now)
    today = rules.local(now).date()
    accounts = told.filter(family_reached=FamilyReach.ACCOUNT).select_related(
        "watch__resident", "watch__family_user"
    )
    messages = [
        Message(alert.watch.family_user, family_text(alert, today), url="")
        for alert in accounts.iterator(chunk_size=BATCH)
        if alert.watch.family_user is not None
    ]
    summary.notifications += notify_each(messages, kind=NotificationKind.WATCH, sms=True)
    texts = list(
        told.filter(family_reached=FamilyReach.SMS_QUEUED).order_by("pk").values_list("pk", flat=True)
    )
    summary.family_sms = len(texts)
    if texts:
        for start in range(0, len(texts), BATCH):
            transaction.on_commit(partial(text_families.enqueue, texts[start : start + BATCH]))


def run_cutoffs(now: datetime | None = None) -> Summary:
    """Everything due at ``now``: raise missed-check alerts, then climb the open ones."""
    now = now or timezone.now()
    summary = Summary()
    # The audit log gets one entry per committee and step, not one per alert (eldercare/joblog.py).
    with transaction.atomic():
        with suspended():
            _raise_missed(now, summary)
        if summary.raised:
            log_step(
                Alert.objects.filter(raised_at=now, cause=Cause.MISSED), "alerts_raised", "elderly watch"
            )
    with transaction.atomic():
        with suspended():
            _to_workers(now, summary)
        if summary.to_workers:
            log_step(Alert.objects.filter(workers_told_at=now), "alerts_to_social_workers", "elderly watch")
    with transaction.atomic():
        with suspended():
            _to_family(now, summary)
        if summary.to_family:
            log_step(Alert.objects.filter(family_told_at=now), "alerts_to_families", "elderly watch")
    return summary
