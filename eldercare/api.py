"""API endpoints of the elderly watch: staff (RUN_WATCH) keep the list, its watchers, family
contacts and cutoffs, and handle alerts; a watcher reads "my watch" and records checks.
Same services and scope as the pages; anything outside the role's area answers 404."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from accounts.models import User
from accounts.phone import normalize_phone
from common.api import ERRORS, MAX_ID, Pages
from common.schemas import Text
from common.scope import Capability, staff_scope
from eldercare import checks, rules, selectors, services
from eldercare.models import Alert, Watch, Watcher, WatchPolicy, watch_day
from eldercare.schemas import (
    AlertOut,
    AttentionOut,
    CheckIn,
    CheckOut,
    CloseIn,
    CutoffsIn,
    FamilyIn,
    PolicyIn,
    PolicyOut,
    StatusIn,
    WatchCandidateOut,
    WatchDetailOut,
    WatcherIn,
    WatcherOut,
    WatchIn,
    WatchListQuery,
    WatchOut,
    WatchTodayOut,
)
from registry.models import Proxy, Resident

router = Router(tags=["eldercare"])
WATCH_ID = Path(..., ge=1, le=MAX_ID, description="A watch's id.")
ALERT_ID = Path(..., ge=1, le=MAX_ID, description="An alert's id.")
USER_ID = Path(..., ge=1, le=MAX_ID, description="The watcher's account id.")


# --- Output ------------------------------------------------------------------------------------


class Mapped:
    """A queryset the paginator slices, each row of the page turned into its output."""

    def __init__(self, queryset, out) -> None:
        self.queryset, self.out = queryset, out

    def __getitem__(self, window: slice) -> list[dict]:
        return [self.out(row) for row in self.queryset[window]]

    def __len__(self) -> int:
        return self.queryset.count()


def watch_out(watch: Watch) -> dict:
    person = watch.resident
    the_rules = rules.rules_for(watch)
    return {
        "id": watch.pk,
        "resident": {
            "id": person.pk,
            "name": person.name,
            "address": person.household.address,
            "phone": person.phone,
        },
        "committee": watch.committee.code,
        "status": watch.status,
        "stop_reason": watch.stop_reason,
        "checks_from": watch.checks_from,
        "day_cutoff": the_rules.day_cutoff,
        "night_cutoff": the_rules.night_cutoff,
        "own_day_cutoff": watch.day_cutoff,
        "own_night_cutoff": watch.night_cutoff,
        "family_name": watch.family_name,
        "family_relation": watch.family_relation,
        "family_phone": watch.family_phone,
        "family_account": watch.family_user_id,
        "note": watch.note,
        "started_at": watch.started_at,
    }


def check_out(check) -> dict:
    return {
        "id": check.pk,
        "day": check.day,
        "slot": check.slot,
        "kind": check.kind,
        "note": check.note,
        "at": check.at,
        "by": check.by.name if check.by else "",
    }


def alert_out(alert: Alert) -> dict:
    person = alert.watch.resident
    return {
        "id": alert.pk,
        "watch": alert.watch_id,
        "resident": person.name,
        "address": person.household.address,
        "day": alert.day,
        "slot": alert.slot,
        "cause": alert.cause,
        "level": alert.level,
        "level_label": alert.get_level_display(),
        "raised_at": alert.raised_at,
        "workers_due_at": alert.workers_due_at,
        "family_due_at": alert.family_due_at,
        "workers_told_at": alert.workers_told_at,
        "family_told_at": alert.family_told_at,
        "family_reached": alert.family_reached,
        "acknowledged_at": alert.acknowledged_at,
        "acknowledged_by": alert.acknowledged_by.name if alert.acknowledged_by else "",
        "closed_at": alert.closed_at,
        "outcome": alert.outcome,
        "outcome_note": alert.outcome_note,
    }


def _slot_out(slot: selectors.SlotToday) -> dict:
    return {
        "slot": slot.slot,
        "cutoff": slot.cutoff,
        "state": slot.state,
        "checks": [check_out(c) for c in slot.checks],
    }


def today_out(row: selectors.WatchToday) -> dict:
    return {
        "watch": watch_out(row.watch),
        "day": _slot_out(row.day),
        "night": _slot_out(row.night),
        "open_alerts": len(row.alerts),
    }


def watcher_out(watcher: Watcher) -> dict:
    return {
        "id": watcher.pk,
        "user": watcher.user_id,
        "name": watcher.user.name,
        "phone": watcher.user.phone,
        "kind": watcher.kind,
        "added_at": watcher.added_at,
    }


# --- Lookups ------------------------------------------------------------------------------------


def _own_watch(request, watch_id: int) -> tuple:
    scope = staff_scope(request, Capability.RUN_WATCH)
    missing = _("No watch %(id)d in your area.") % {"id": watch_id}
    return scope, scope.get(selectors.watches_with_details(), missing, pk=watch_id)


def _own_alert(request, alert_id: int) -> tuple:
    scope = staff_scope(request, Capability.RUN_WATCH)
    missing = _("No alert %(id)d in your area.") % {"id": alert_id}
    return scope, scope.get(selectors.alerts_with_details(), missing, pk=alert_id)


def _written_watch(scope, watch_id: int) -> Watch:
    """The watch just written, read again with all its answer shows."""
    watch = selectors.watch_in(scope, watch_id)
    assert watch is not None  # written a moment ago, inside this very scope
    return watch


def _written_alert(scope, alert_id: int) -> Alert:
    """The alert just written, read again with all its answer shows."""
    alert = selectors.alert_in(scope, alert_id)
    assert alert is not None  # written a moment ago, inside this very scope
    return alert


def _detail(watch: Watch) -> dict:
    now = timezone.now()
    today = watch_day(now)
    watch.today_checks = list(watch.checks.filter(day=today).select_related("by"))  # type: ignore[attr-defined]
    watch.open_alerts = list(watch.alerts.filter(closed_at__isnull=True))  # type: ignore[attr-defined]
    [row] = selectors.today_of([watch], now)
    alerts = selectors.recent_alerts(watch)
    for alert in alerts:
        alert.watch = watch
    return {
        **today_out(row),
        "watchers": [watcher_out(w) for w in selectors.watchers_of(watch)],
        "alerts": [alert_out(a) for a in alerts],
    }


# --- A watcher ----------------------------------------------------------------------------------


@router.get("/mine", response={200: list[WatchTodayOut], **ERRORS}, summary="The people I watch, today")
def mine(request):
    return [today_out(row) for row in selectors.my_watch(request.user, now=timezone.now())]


@router.post("/watches/{int:watch_id}/checks", response={201: CheckOut, **ERRORS}, summary="Record a check")
def record_check(request, payload: CheckIn, watch_id: int = WATCH_ID):
    """By one of the person's watchers, or staff keeping the watch over their home. "concern"
    (something is wrong) raises an alert to the social workers at once."""
    missing = _("No watch %(id)d of yours.") % {"id": watch_id}
    watch = checks.watch_to_record(request.user, request.scope, watch_id, missing)
    check = checks.record_check(request.user, watch, payload.kind, note=payload.note, scope=request.scope)
    return Status(201, check_out(check))


# --- Staff: the list ----------------------------------------------------------------------------


@router.get("/attention", response={200: AttentionOut, **ERRORS}, summary="What needs attention now")
def attention(request):
    scope = staff_scope(request, Capability.RUN_WATCH)
    found = selectors.attention(scope, now=timezone.now())
    return {
        "alerts": [alert_out(a) for a in found.alerts],
        "overdue": [watch_out(w) for w in found.overdue],
        "overdue_count": found.overdue_count,
        "due_soon": found.due_soon,
        "open_alerts": found.open_alerts,
    }


@router.get("/watches", response={200: list[WatchOut], **ERRORS}, summary="The watch list")
@paginate(Pages)
def list_watches(request, filters: Query[WatchListQuery]):
    scope = staff_scope(request, Capability.RUN_WATCH)
    watches = selectors.watch_list(
        scope, now=timezone.now(), today_filter=filters.today, tag=filters.tag, building=filters.building
    ).select_related("committee__watch_policy")
    return Mapped(watches, watch_out)


@router.post("/watches", response={201: WatchOut, **ERRORS}, summary="Put a resident on the list")
def add_watch(request, payload: WatchIn):
    scope = staff_scope(request, Capability.RUN_WATCH)
    missing = _("No resident %(id)d in your area.") % {"id": payload.resident}
    person = scope.get(Resident.objects.select_related("household__building"), missing, pk=payload.resident)
    watch = services.add_watch(request.user, scope, person)
    return Status(201, watch_out(_written_watch(scope, watch.pk)))


@router.get(
    "/candidates", response={200: list[WatchCandidateOut], **ERRORS}, summary="Tagged, not watched yet"
)
@paginate(Pages)
def candidates(request, tag: Text = ""):
    scope = staff_scope(request, Capability.RUN_WATCH)
    today = timezone.localdate()

    def out(p: Resident) -> dict:
        return {
            "id": p.pk,
            "name": p.name,
            "address": p.household.address,
            "age": p.age(today),
            "tags": [t.tag for t in p.tags.all()] + p.derived_tags(today),
        }

    return Mapped(selectors.candidates(scope, tag=tag, today=today), out)


@router.get("/watches/{int:watch_id}", response={200: WatchDetailOut, **ERRORS}, summary="One watch")
def get_watch(request, watch_id: int = WATCH_ID):
    _scope, watch = _own_watch(request, watch_id)
    return _detail(watch)


@router.get(
    "/watches/{int:watch_id}/checks", response={200: list[CheckOut], **ERRORS}, summary="Checks, last 14 days"
)
def list_checks(request, watch_id: int = WATCH_ID):
    _scope, watch = _own_watch(request, watch_id)
    days = selectors.calendar(watch, now=timezone.now())
    return [check_out(c) for d in days for c in d.day_checks + d.night_checks]


@router.post(
    "/watches/{int:watch_id}/status", response={200: WatchOut, **ERRORS}, summary="Pause, end, resume"
)
def set_status(request, payload: StatusIn, watch_id: int = WATCH_ID):
    scope, watch = _own_watch(request, watch_id)
    services.change_status(request.user, scope, watch, payload.status, payload.reason or "", payload.note)
    return watch_out(_written_watch(scope, watch.pk))


@router.put("/watches/{int:watch_id}/family", response={200: WatchOut, **ERRORS}, summary="Family contact")
def set_family(request, payload: FamilyIn, watch_id: int = WATCH_ID):
    scope, watch = _own_watch(request, watch_id)
    account = None
    if payload.account is not None:
        proxy = Proxy.objects.filter(
            resident=watch.resident, user_id=payload.account, revoked_at__isnull=True
        )
        account = User.objects.filter(pk=payload.account).first() if proxy.exists() else None
        if account is None:
            raise HttpError(
                422, _("Account %(id)d is not a family proxy of this resident.") % {"id": payload.account}
            )
    services.set_family(
        scope, watch, name=payload.name, relation=payload.relation, phone=payload.phone, user=account
    )
    return watch_out(watch)


@router.put(
    "/watches/{int:watch_id}/cutoffs", response={200: WatchOut, **ERRORS}, summary="This person's times"
)
def set_cutoffs(request, payload: CutoffsIn, watch_id: int = WATCH_ID):
    scope, watch = _own_watch(request, watch_id)
    services.set_cutoffs(scope, watch, day=payload.day_cutoff, night=payload.night_cutoff, note=payload.note)
    return watch_out(watch)


@router.get(
    "/watches/{int:watch_id}/watchers", response={200: list[WatcherOut], **ERRORS}, summary="Watchers"
)
def list_watchers(request, watch_id: int = WATCH_ID):
    _scope, watch = _own_watch(request, watch_id)
    return [watcher_out(w) for w in selectors.watchers_of(watch)]


@router.post(
    "/watches/{int:watch_id}/watchers", response={201: WatcherOut, **ERRORS}, summary="Add a watcher"
)
def add_watcher(request, payload: WatcherIn, watch_id: int = WATCH_ID):
    scope, watch = _own_watch(request, watch_id)
    try:
        phone = normalize_phone(payload.phone)
    except Exception as error:
        raise HttpError(422, _("Enter an 11-digit mobile number.")) from error
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        raise HttpError(422, _("No account with this number; ask them to register first."))
    return Status(201, watcher_out(services.add_watcher(request.user, scope, watch, user, payload.kind)))


@router.delete(
    "/watches/{int:watch_id}/watchers/{int:user_id}",
    response={204: None, **ERRORS},
    summary="Remove a watcher",
)
def remove_watcher(request, watch_id: int = WATCH_ID, user_id: int = USER_ID):
    scope, watch = _own_watch(request, watch_id)
    watcher = Watcher.objects.filter(watch=watch, user_id=user_id, ended_at__isnull=True).first()
    if watcher is None:
        raise HttpError(404, _("Account %(id)d does not watch this person.") % {"id": user_id})
    services.remove_watcher(scope, watcher)
    return Status(204, None)


# --- Staff: alerts ------------------------------------------------------------------------------


@router.get("/alerts", response={200: list[AlertOut], **ERRORS}, summary="Open alerts")
@paginate(Pages)
def list_alerts(request):
    """Most escalated and oldest first."""
    scope = staff_scope(request, Capability.RUN_WATCH)
    return Mapped(selectors.open_alerts(scope), alert_out)


@router.get("/alerts/{int:alert_id}", response={200: AlertOut, **ERRORS}, summary="One alert")
def get_alert(request, alert_id: int = ALERT_ID):
    _scope, alert = _own_alert(request, alert_id)
    return alert_out(alert)


@router.post(
    "/alerts/{int:alert_id}/acknowledge", response={200: AlertOut, **ERRORS}, summary="Acknowledge an alert"
)
def acknowledge(request, alert_id: int = ALERT_ID):
    """Someone is on it: nobody further is told."""
    scope, alert = _own_alert(request, alert_id)
    checks.acknowledge(request.user, scope, alert)
    return alert_out(_written_alert(scope, alert.pk))


@router.post(
    "/alerts/{int:alert_id}/close", response={200: AlertOut, **ERRORS}, summary="Close with an outcome"
)
def close(request, payload: CloseIn, alert_id: int = ALERT_ID):
    scope, alert = _own_alert(request, alert_id)
    checks.close_alert(request.user, scope, alert, payload.outcome, payload.note)
    return alert_out(_written_alert(scope, alert.pk))


# --- Staff: the committee's policy --------------------------------------------------------------


def _policy_out(policy: WatchPolicy) -> dict:
    return {
        "committee": policy.committee.code,
        "day_cutoff": policy.day_cutoff,
        "night_cutoff": policy.night_cutoff,
        "night_from": policy.night_from,
        "workers_after": policy.workers_after,
        "family_after": policy.family_after,
    }


@router.get("/policy", response={200: PolicyOut, **ERRORS}, summary="The committee's cutoffs and delays")
def get_policy(request):
    committee = services.committee_for_policy(staff_scope(request, Capability.RUN_WATCH))
    policy = WatchPolicy.objects.filter(committee=committee).first() or WatchPolicy(committee=committee)
    return _policy_out(policy)


@router.put("/policy", response={200: PolicyOut, **ERRORS}, summary="Set the committee's cutoffs and delays")
def put_policy(request, payload: PolicyIn):
    scope = staff_scope(request, Capability.RUN_WATCH)
    return _policy_out(services.save_policy(request.user, scope, **payload.dict()))
