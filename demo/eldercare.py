"""The demo elderly watch (日看窗帘夜看灯, seeds 001 and 003) in 延长新村.

王社工 put the committee's residents living alone, in elderly-only households or aged 80+ of
62号楼组 on the watch list two weeks ago: 张楼组长 watches them all as building leader, 赵志愿者
as volunteer, and 刘阿姨's daughter (her registered family proxy) is her family contact.
Checks were recorded every day since, morning and evening. Three days ago nobody saw
刘阿姨's curtains by 10:00: the alert reached the social workers, and closed as fine when she
answered the phone at 10:40 (she had gone to the market early). Today her curtains have
not been seen: the alert has just reached the social workers, who have not acknowledged it.

Everything is dated relative to the moment of loading, so the story is always "today".
Made through the services where there is one (watch list, watchers, checks), with the
alerts' timeline written as the cutoff job would have. Idempotent: nothing is added once
延长新村 has watches.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.scope import resolve_scope
from areas.models import Area, Level
from audit.context import acting_as
from eldercare import checks, services
from eldercare.models import Alert, Check, CheckKind, Outcome, Slot, Watch, WatcherKind
from eldercare.models import Level as AlertLevel
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
    group = Area.objects.subtree(committee).get(level=Level.BUILDING_GROUP, name=GROUP)
    scope = resolve_scope(worker, {})
    found = list(candidates(scope).filter(household__building__path__startswith=group.path)[:WATCHED])
    found.sort(key=lambda p: (p.user is None or p.user.phone != LIU, p.household.sort_key))
    return found


def _history(watch: Watch, watcher: User, today, *, skip_liu_day: int | None) -> None:
    """Two checks a day for the past days (bulk: the service would alert nobody in the past)."""
    rows = []
    for back in range(HISTORY_DAYS - 1, 0, -1):
        day = today - timedelta(days=back)
        minute = (watch.pk * 7 + back * 3) % 50
        if back != skip_liu_day:
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


def _today(watches: list[Watch], liu: Watch, leader: User, now: datetime) -> None:
    """Everyone checked so far today but 刘阿姨, whose missed curtains reached the workers."""
    today = timezone.localdate(now)
    for n, watch in enumerate(watches):
        if watch == liu:
            continue
        morning = _at(today, 8, 5 + n * 4)
        if morning < now:
            checks.record_check(leader, watch, CheckKind.CURTAINS, now=morning)
        evening = _at(today, 18, 5 + n * 4)
        if evening < now:
            checks.record_check(leader, watch, CheckKind.LIGHT, now=evening)
    raised = now - timedelta(minutes=70)
    local = timezone.localtime(raised).time()
    if time(6) <= local <= time(18):
        # Her own cutoff, so that the alert's times agree with the list whenever the demo loads.
        liu.day_cutoff = local.replace(second=0, microsecond=0)
        liu.note = "起得早，七点多窗帘就拉开了；钥匙在张楼组长家。"
        liu.save()
    Alert.objects.create(
        watch=liu,
        committee_id=liu.committee_id,
        day=today,
        slot=Slot.DAY,
        level=AlertLevel.WORKERS,
        raised_at=raised,
        workers_due_at=raised + timedelta(minutes=60),
        workers_told_at=raised + timedelta(minutes=60),
        family_due_at=raised + timedelta(minutes=180),
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
        liu = next((w for w in watches if w.resident.user_id and w.resident.user.phone == LIU), None)
        for watch in watches:
            _history(watch, leader, today, skip_liu_day=3 if watch == liu else None)
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
