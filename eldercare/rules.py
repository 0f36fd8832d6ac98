"""The watch's clock: which day and slot a moment belongs to, and when each slot falls due.

Cutoffs are local times (settings.TIME_ZONE, Asia/Shanghai). A watch's own cutoff wins over
its committee's policy, which wins over the defaults; the database does the same with
``Coalesce`` (see ``cutoff_expressions``) so that the cutoff job and the "overdue" lists
never load watches one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, TimeField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from eldercare.models import (
    DAWN,
    DEFAULT_DAY_CUTOFF,
    DEFAULT_FAMILY_AFTER,
    DEFAULT_NIGHT_CUTOFF,
    DEFAULT_NIGHT_FROM,
    DEFAULT_WORKERS_AFTER,
    CheckKind,
    Slot,
    Watch,
    WatchPolicy,
    watch_day,
)

# The last moment of a day the clock compares cutoffs with: once the calendar has moved on
# (after midnight, before dawn), every cutoff of the watch day still running has passed.
DAY_OVER = time(23, 59, 59)


@dataclass(frozen=True)
class Rules:
    """What applies to one watch (or, without overrides, to a whole committee)."""

    day_cutoff: time = DEFAULT_DAY_CUTOFF
    night_cutoff: time = DEFAULT_NIGHT_CUTOFF
    night_from: time = DEFAULT_NIGHT_FROM
    workers_after: int = DEFAULT_WORKERS_AFTER
    family_after: int = DEFAULT_FAMILY_AFTER

    def cutoff(self, slot: str) -> time:
        return self.day_cutoff if slot == Slot.DAY else self.night_cutoff


def policy_rules(policy: WatchPolicy | None) -> Rules:
    if policy is None:
        return Rules()
    return Rules(
        policy.day_cutoff, policy.night_cutoff, policy.night_from, policy.workers_after, policy.family_after
    )


def committee_policy(watch: Watch) -> WatchPolicy | None:
    """The committee's policy row, read through ``select_related("committee__watch_policy")``
    where the caller did so (no query), else looked up."""
    try:
        return watch.committee.watch_policy
    except WatchPolicy.DoesNotExist:
        return None


def rules_for(watch: Watch) -> Rules:
    base = policy_rules(committee_policy(watch))
    return Rules(
        watch.day_cutoff or base.day_cutoff,
        watch.night_cutoff or base.night_cutoff,
        base.night_from,
        base.workers_after,
        base.family_after,
    )


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def at(day: date, when: time) -> datetime:
    """The aware moment of local time ``when`` on ``day``."""
    return timezone.make_aware(datetime.combine(day, when))


def clock(moment: datetime) -> tuple[date, time]:
    """The watch day running at ``moment`` and the local time to compare its cutoffs with:
    the time of day, or ``DAY_OVER`` between midnight and dawn (its night's small hours)."""
    day, here = watch_day(moment), local(moment)
    return day, here.time().replace(microsecond=0) if here.date() == day else DAY_OVER


def window_slot(moment: datetime, rules: Rules) -> str:
    """The slot whose window holds ``moment``: the day from dawn until ``night_from``, the
    night from then until the next dawn."""
    now = local(moment).time()
    return Slot.DAY if DAWN <= now < rules.night_from else Slot.NIGHT


def placement(kind: str, moment: datetime, rules: Rules) -> tuple[date, str]:
    """The watch day and slot a check made at ``moment`` fills, by the time it was made and
    the slots' windows, never by its calendar date alone: a light seen at 05:49 is the night
    before's. A call, a visit or a concern fills the slot of its window; the curtains fill
    the day's from dawn to midnight (seen open at 21:00, they were opened that day); the
    light the night's, from ``night_from`` until dawn. Otherwise the slot is blank: the
    check is kept but proves no slot (the curtains before dawn, a light at noon)."""
    day, slot = watch_day(moment), window_slot(moment, rules)
    after_dawn = day == local(moment).date()
    if kind == CheckKind.CURTAINS:
        return day, Slot.DAY if after_dawn else ""
    if kind == CheckKind.LIGHT:
        return day, Slot.NIGHT if slot == Slot.NIGHT else ""
    return day, slot


def cutoff_expressions(prefix: str = "") -> dict[str, Coalesce]:
    """Annotations giving each watch its effective cutoffs and delays, in SQL."""
    policy = f"{prefix}committee__watch_policy__"
    return {
        "eff_day_cutoff": Coalesce(
            F(f"{prefix}day_cutoff"),
            F(f"{policy}day_cutoff"),
            Value(DEFAULT_DAY_CUTOFF),
            output_field=TimeField(),
        ),
        "eff_night_cutoff": Coalesce(
            F(f"{prefix}night_cutoff"),
            F(f"{policy}night_cutoff"),
            Value(DEFAULT_NIGHT_CUTOFF),
            output_field=TimeField(),
        ),
    }


def delay_expressions() -> dict[str, Coalesce]:
    policy = "committee__watch_policy__"
    return {
        "eff_workers_after": Coalesce(F(f"{policy}workers_after"), Value(DEFAULT_WORKERS_AFTER)),
        "eff_family_after": Coalesce(F(f"{policy}family_after"), Value(DEFAULT_FAMILY_AFTER)),
    }


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)
