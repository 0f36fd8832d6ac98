"""The demo elderly watch (日看窗帘夜看灯, seeds 001 and 003) in 延长新村.

王社工 put the committee's residents living alone, in elderly-only households or aged 80+ of
62号楼组 on the watch list two weeks ago: 张楼组长 watches them all as building leader, 赵志愿者
as volunteer, and 刘阿姨's daughter (her registered family proxy) is her family contact.
Checks were recorded every day since, morning and evening. Three days ago nobody saw
刘阿姨's curtains by 10:00: the alert reached the social workers, and closed as fine when she
answered the phone at 10:40 (she had gone to the market early). Now a check of hers has not
been recorded by her cutoff: the alert has just reached the social workers, who have not
acknowledged it.

Everything is dated relative to the moment of loading, so the story is always "today": loaded
by day it is her curtains (her own cutoff 70 minutes before loading), in the evening her light
(likewise), after midnight last night's light (her cutoff 23:30; loaded after 02:30, the
family step is due too, and the job takes it on its first run) — never an alert raised before
its cutoff, or for a slot she was seen in.
Made through the services where there is one (watch list, watchers, checks), with the
alerts' timeline written as the cutoff job would have. Idempotent: nothing is added once
延长新村 has watches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.scope import resolve_scope
from areas.models import Area, AreaLevel
from audit.context import acting_as
from common.scope import NO_SCOPE
from eldercare import checks, services
from eldercare.models import Alert, AlertLevel, Check, CheckKind, Outcome, Slot, Watch, WatcherKind
from eldercare.rules import minutes, rules_for
from eldercare.selectors import candidates
from registry.models import Resident

YANCHANG = "310106019001"
WORKER = "13800000001"  # 王社工
LEADER = "13800000003"  # 张楼组长
VOLUNTEER = "13800000004"  # 赵志愿者
LIU = "13900000001"  # 刘阿姨
GROUP = "62号楼组"
WATCHED = 8
HISTORY_DAYS = 14


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _people(worker: User, committee: Area) -> list[Resident]:
    """刘阿姨 first, then the candidates of 62号楼组 by door."""
    group = Area.objects.subtree(committee).get(level=AreaLevel.BUILDING_GROUP, name=GROUP)
    scope = resolve_scope(worker, {})
    found = list(candidates(scope).filter(household__building__path__startswith=group.path)[:WATCHED])
    found.sort(key=lambda p: (p.user is None or p.user.phone != LIU, p.household.sort_key))
    return found


def _history(watch: Watch, watcher: User, today: date, *, skip: frozenset[tuple[date, str]]) -> None:
    """Two checks a day for the past days (bulk: the service would alert nobody in the past),
    but for the (day, slot) pairs in ``skip``."""
    rows = []
    for back in range(HISTORY_DAYS - 1, 0, -1):
        day = today - timedelta(days=back)
        minute = (watch.pk * 7 + back * 3) % 50
        if (day, Slot.DAY) not in skip:
            rows.append(
                Check(
                    watch=watch,
                    day=day,
                    slot=Slot.DAY,
                    kind=CheckKind.CURTAINS,
                    at=_at(day, 8, minute),
                    by=watcher,
                )
            )
        kind = CheckKind.VISIT if back % 7 == 0 else CheckKind.LIGHT
        if (day, Slot.NIGHT) not in skip:
            rows.append(
                Check(watch=watch, day=day, slot=Slot.NIGHT, kind=kind, at=_at(day, 18, minute), by=watcher)
            )
    Check.objects.bulk_create(rows)


def _earlier_alert(watch: Watch, worker: User, leader: User, day) -> None:
    """Three days ago: curtains unseen by 10:00, social workers told at 11:00, settled by the
    worker's call at 11:20 (a late check closes the alert as fine, see eldercare.checks)."""
    call = Check.objects.create(
        watch=watch,
        day=day,
        slot=Slot.DAY,
        kind=CheckKind.CALL,
        at=_at(day, 11, 20),
        by=worker,
        note="早上去菜场了，回家后接了电话。",
    )
    Alert.objects.create(
        watch=watch,
        committee_id=watch.committee_id,
        day=day,
        slot=Slot.DAY,
        level=AlertLevel.WORKERS,
        raised_at=_at(day, 10),
        workers_due_at=_at(day, 11),
        family_due_at=_at(day, 13),
        workers_told_at=_at(day, 11),
        acknowledged_at=_at(day, 11, 20),
        acknowledged_by=worker,
        closed_at=_at(day, 11, 20),
        closed_by=worker,
        outcome=Outcome.FINE,
        outcome_note="早上去菜场了，十一点二十回家接了电话，一切都好。",
        resolved_by_check=call,
    )
    Check.objects.filter(watch=watch, day=day, slot=Slot.NIGHT).update(by=leader)


@dataclass(frozen=True)
class Missed:
    """The check of 刘阿姨's that nobody recorded: which day and slot, raised when."""

    day: date
    slot: str
    raised: datetime


def _missed(now: datetime) -> Missed:
    """Her cutoff was 70 minutes ago (the alert reached the social workers 10 minutes ago): by
    day her curtains, in the evening her light; after midnight, last night's light at 23:30."""
    raised = timezone.localtime(now - timedelta(minutes=70)).replace(second=0, microsecond=0)
    if raised.time() < time(6):
        yesterday = raised.date() - timedelta(days=1)
        return Missed(yesterday, Slot.NIGHT, _at(yesterday, 23, 30))
    return Missed(raised.date(), Slot.DAY if raised.time() < time(18) else Slot.NIGHT, raised)


def _today(watches: list[Watch], liu: Watch, leader: User, now: datetime) -> None:
    """Everyone checked so far today; 刘阿姨 too, but for the check whose alert reached the workers."""
    today = timezone.localdate(now)
    missed = _missed(now)
    for n, watch in enumerate(watches):
        morning = _at(today, 8 if watch != liu else 7, 5 + n * 4)
        if morning < now and (watch != liu or (today, Slot.DAY) != (missed.day, missed.slot)):
            checks.record_check(leader, watch, CheckKind.CURTAINS, now=morning, scope=NO_SCOPE)
        evening = _at(today, 18, 5 + n * 4)
        if evening < now and watch != liu:
            checks.record_check(leader, watch, CheckKind.LIGHT, now=evening, scope=NO_SCOPE)
    # Her own cutoff for that slot, so that the alert's times agree with the list.
    cutoff = timezone.localtime(missed.raised).time()
    if missed.slot == Slot.DAY:
        liu.day_cutoff, liu.note = cutoff, "起得早，窗帘一向拉得早；钥匙在张楼组长家。"
    else:
        liu.night_cutoff, liu.note = cutoff, "天一黑就开灯；钥匙在张楼组长家。"
    liu.save()
    rules = rules_for(liu)
    told = missed.raised + minutes(rules.workers_after)
    Alert.objects.create(
        watch=liu,
        committee_id=liu.committee_id,
        day=missed.day,
        slot=missed.slot,
        level=AlertLevel.WORKERS,
        raised_at=missed.raised,
        workers_due_at=told,
        workers_told_at=told,
        family_due_at=told + minutes(rules.family_after),
    )


def load(now: datetime | None = None) -> int:
    """The demo watch list; the number of residents watched."""
    committee = Area.objects.filter(code=YANCHANG).first()
    if committee is None or Watch.objects.filter(committee=committee).exists():
        return 0
    worker = User.objects.filter(phone=WORKER, role_grants__area=committee).first()
    leader = User.objects.filter(phone=LEADER).first()
    volunteer = User.objects.filter(phone=VOLUNTEER).first()
    if worker is None or leader is None or volunteer is None:
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    scope = resolve_scope(worker, {})
    with acting_as(worker, "social_worker"):
        people = _people(worker, committee)
        watches = [services.add_watch(worker, scope, person, now=now) for person in people]
        for watch in watches:
            services.add_watcher(worker, scope, watch, volunteer, WatcherKind.VOLUNTEER)
        Watch.objects.filter(pk__in=[w.pk for w in watches]).update(
            started_at=now - timedelta(days=HISTORY_DAYS),
            checks_from=today - timedelta(days=HISTORY_DAYS - 1),
        )
        for watch in watches:
            watch.refresh_from_db()
        liu = next((w for w in watches if w.resident.user and w.resident.user.phone == LIU), None)
        missed = _missed(now)
        for watch in watches:
            skip = frozenset({(today - timedelta(days=3), Slot.DAY), (missed.day, missed.slot)})
            _history(watch, leader, today, skip=skip if watch == liu else frozenset())
        if liu is not None:
            _earlier_alert(liu, worker, leader, today - timedelta(days=3))
            _today(watches, liu, leader, now)
    return len(watches)


def liu_alert() -> Alert | None:
    """Today's open alert about 刘阿姨 (for tests and the load_demo summary)."""
    return (
        Alert.objects.filter(Q(watch__resident__user__phone=LIU), closed_at__isnull=True)
        .order_by("-raised_at")
        .first()
    )
