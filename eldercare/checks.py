"""Recording checks, and handling alerts: acknowledge (stops the climb) and close with an outcome.

A check recorded late settles what it proves: any still-open missed-check alert of the same
person, same day, for its slot or an earlier one (a light seen on at night shows the
morning's unseen curtains were nothing), is acknowledged and closed as "fine" by whoever
recorded the check, with a note saying so; those already told hear that all is well.
"Something is wrong" is a check too (the slot was looked at), and raises its own alert at
once, straight to the social workers, the family following after the committee's delay.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.scope import Capability, Scope, get_or_404
from eldercare import rules
from eldercare.models import (
    Alert,
    AlertLevel,
    Cause,
    Check,
    CheckKind,
    FamilyReach,
    Outcome,
    Slot,
    Watch,
    Watcher,
)
from eldercare.telling import tell_workers, workers_of
from notifications.backends import send_sms
from notifications.models import NotificationKind
from notifications.services import notify

SLOT_ORDER = {Slot.DAY: 0, Slot.NIGHT: 1}


def is_watcher(user: User, watch: Watch) -> bool:
    return (
        user.is_authenticated
        and Watcher.objects.filter(watch=watch, user=user, ended_at__isnull=True).exists()
    )


def may_record(user: User, scope: Scope, watch: Watch) -> bool:
    """Its watchers, and staff keeping the watch over the resident's home."""
    staff = scope.can(Capability.RUN_WATCH) and scope.covers_path(watch.resident.household.building.path)
    return staff or is_watcher(user, watch)


def watch_to_record(user: User, scope: Scope, watch_id: int, missing: str = "") -> Watch:
    """The watch ``user`` may record a check on (see ``may_record``); a 404 saying
    ``missing`` for any other. The page and the API both ask here."""
    watch = get_or_404(
        Watch.objects.select_related("resident__household__building", "committee__watch_policy"),
        missing,
        pk=watch_id,
    )
    if not may_record(user, scope, watch):
        raise Http404(missing)
    return watch


def require_handler(scope: Scope, alert: Alert) -> None:
    if not scope.can(Capability.RUN_WATCH):
        raise PermissionDenied(_("Your active role may not handle elderly watch alerts."))
    if not scope.covers_path(alert.watch.resident.household.building.path):
        raise PermissionDenied(_("This alert is about a resident outside your area."))


@transaction.atomic
def record_check(
    actor: User,
    watch: Watch,
    kind: str,
    *,
    note: str = "",
    scope: Scope,
    now: datetime | None = None,
) -> Check:
    """One check of one person by a watcher (or staff). Settles the open missed-check alerts
    it proves unneeded; "something is wrong" raises an alert to the social workers at once."""
    now = now or timezone.now()
    if not may_record(actor, scope, watch):
        raise PermissionDenied(_("You do not watch this person."))
    if kind not in CheckKind.values:
        raise ValidationError({"kind": _("Choose what you saw.")})
    if not watch.is_active:
        raise ValidationError(_("The watch of %(name)s is paused or ended.") % {"name": watch.resident.name})
    note = " ".join((note or "").split())[:300]
    if kind == CheckKind.CONCERN and not note:
        note = str(_("No details given."))
    the_rules = rules.rules_for(watch)
    day, slot = rules.placement(kind, now, the_rules)
    check = Check.objects.create(watch=watch, day=day, slot=slot, kind=kind, note=note, at=now, by=actor)
    if kind == CheckKind.CONCERN:
        _raise_concern(check, the_rules)
    elif slot:
        _settle(check)
    return check


def _raise_concern(check: Check, the_rules: rules.Rules) -> Alert:
    watch = check.watch
    alert = Alert.objects.create(
        watch=watch,
        committee_id=watch.committee_id,
        day=check.day,
        slot=check.slot,
        cause=Cause.CONCERN,
        level=AlertLevel.WORKERS,
        raised_at=check.at,
        workers_due_at=check.at,
        workers_told_at=check.at,
        family_due_at=check.at + rules.minutes(the_rules.family_after),
        raised_by_check=check,
    )
    tell_workers([(watch.committee_id, watch.resident.name, check.slot)], concern=True)
    others = [w.user for w in watch.watchers.filter(ended_at__isnull=True).select_related("user")]
    notify(
        [u for u in others if u.pk != check.by_id],
        kind=NotificationKind.WATCH,
        title=_("%(who)s is worried about %(name)s")
        % {"who": check.by.name if check.by else "", "name": watch.resident.name},
        body=check.note,
        url=alert.get_absolute_url(),
    )
    return alert


def _settle(check: Check) -> None:
    open_alerts = Alert.objects.select_for_update().filter(
        watch=check.watch, day=check.day, cause=Cause.MISSED, closed_at__isnull=True
    )
    for alert in open_alerts:
        if SLOT_ORDER[alert.slot] > SLOT_ORDER[check.slot]:  # type: ignore[index]
            continue
        note = _("Checked late: %(what)s at %(time)s by %(who)s.") % {
            "what": check.get_kind_display(),
            "time": rules.local(check.at).strftime("%H:%M"),
            "who": check.by.name if check.by else "",
        }
        _close(alert, check.by, check.at, Outcome.FINE, note, resolved_by=check)


def _close(
    alert: Alert, actor: User | None, now: datetime, outcome: str, note: str, resolved_by: Check | None = None
) -> Alert:
    alert.acknowledged_at = alert.acknowledged_at or now
    alert.acknowledged_by = alert.acknowledged_by or actor
    alert.closed_at, alert.closed_by = now, actor
    alert.outcome, alert.outcome_note = outcome, note[:300]
    alert.resolved_by_check = resolved_by
    alert.save()
    _tell_outcome(alert)
    return alert


def _tell_outcome(alert: Alert) -> None:
    """Those the alert reached hear how it ended: social workers, and the family."""
    name = alert.watch.resident.name
    text = _("%(name)s: %(outcome)s. %(note)s") % {
        "name": name,
        "outcome": alert.get_outcome_display(),
        "note": alert.outcome_note,
    }
    if alert.level >= AlertLevel.WORKERS:
        notify(
            workers_of([alert.committee_id]).get(alert.committee_id, []),
            kind=NotificationKind.WATCH,
            title=text,
            url=alert.get_absolute_url(),
        )
    if alert.family_told_at is None:
        return
    family = alert.watch.family_user
    if alert.family_reached == FamilyReach.ACCOUNT and family is not None:
        notify([family], kind=NotificationKind.WATCH, title=text, sms=True)
    elif (
        alert.family_reached in (FamilyReach.SMS_QUEUED, FamilyReach.SMS, FamilyReach.SMS_FAILED)
        and alert.watch.family_phone
    ):
        # After the close has committed: no gateway waited on inside it, none told of a close
        # that rolled back.
        transaction.on_commit(partial(send_sms, alert.watch.family_phone, text))


@transaction.atomic
def acknowledge(actor: User, scope: Scope, alert: Alert, *, now: datetime | None = None) -> Alert:
    """Someone is on it: the alert climbs no further."""
    require_handler(scope, alert)
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.closed_at is not None:
        raise ValidationError(_("This alert is already closed."))
    if locked.acknowledged_at is not None:
        raise ValidationError(
            _("%(who)s already acknowledged it.")
            % {"who": locked.acknowledged_by.name if locked.acknowledged_by else "—"}
        )
    locked.acknowledged_at, locked.acknowledged_by = now or timezone.now(), actor
    locked.save()
    return locked


@transaction.atomic
def close_alert(
    actor: User, scope: Scope, alert: Alert, outcome: str, note: str = "", *, now: datetime | None = None
) -> Alert:
    """Closed with what happened (fine / help sent / hospital / other, with a note)."""
    require_handler(scope, alert)
    locked = (
        Alert.objects.select_for_update(of=("self",))
        .select_related("watch__resident", "watch__family_user")
        .get(pk=alert.pk)
    )
    note = " ".join((note or "").split())
    if locked.closed_at is not None:
        raise ValidationError(_("This alert is already closed."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what happened.")})
    if outcome != Outcome.FINE and not note:
        raise ValidationError({"note": _("Write a few words on what happened.")})
    return _close(locked, actor, now or timezone.now(), outcome, note)


@transaction.atomic
def report_concern(watch: Watch, *, by: User, note: str, now: datetime | None = None) -> Alert:
    """A concern reported from outside the watch (a meal deliverer found nobody at home):
    recorded as a "something is wrong" check by ``by`` (who need not be a watcher), and the
    alert raised to the social workers at once, as a watcher's concern is. The caller decides
    who may report; the watch must be active."""
    now = now or timezone.now()
    if not watch.is_active:
        raise ValidationError(_("The watch of %(name)s is paused or ended.") % {"name": watch.resident.name})
    note = " ".join((note or "").split())[:300] or str(_("No details given."))
    the_rules = rules.rules_for(watch)
    day, slot = rules.placement(CheckKind.CONCERN, now, the_rules)
    check = Check.objects.create(
        watch=watch, day=day, slot=slot, kind=CheckKind.CONCERN, note=note, at=now, by=by
    )
    return _raise_concern(check, the_rules)
