"""Keeping the watch list: who is watched, by whom, with which family contact and cutoffs,
and the committee's policy. Checks and alerts are in ``eldercare.checks``.

Every write needs RUN_WATCH over the resident's home (a street admin may keep the lists of
all its committees); a refusal says what is wrong. Each runs in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleGrant, User
from accounts.phone import normalize_phone
from accounts.roles import Role
from areas.models import Area, AreaLevel
from common.scope import Capability, Scope
from eldercare.models import (
    DAWN,
    Alert,
    Outcome,
    StopReason,
    Watch,
    Watcher,
    WatcherKind,
    WatchPolicy,
    WatchStatus,
)
from eldercare.rules import policy_rules
from notifications.models import NotificationKind
from notifications.services import notify
from registry.models import Proxy, Resident

# Why a watch stops → the outcome its open alerts are closed with.
STOP_OUTCOME = {StopReason.IN_HOSPITAL: Outcome.HOSPITAL}


def require_watch_keeper(scope: Scope, watch: Watch | None = None, resident: Resident | None = None) -> None:
    if not scope.can(Capability.RUN_WATCH):
        raise PermissionDenied(_("Your active role may not keep the elderly watch."))
    person = resident or (watch.resident if watch else None)
    if person is not None and not scope.covers_path(person.household.building.path):
        raise PermissionDenied(_("This resident lives outside your area."))


def _tomorrow(now: datetime | None) -> date:
    return timezone.localdate(now or timezone.now()) + timedelta(days=1)


def _building_leaders(resident: Resident) -> list[User]:
    """Accounts holding the building-leader role over the resident's building group."""
    building = resident.household.building
    if building.parent is None or building.parent.level != AreaLevel.BUILDING_GROUP:
        return []
    return [
        g.user
        for g in RoleGrant.objects.filter(
            area=building.parent, role=Role.BUILDING_LEADER, revoked_at__isnull=True, user__is_active=True
        ).select_related("user")
    ]


@transaction.atomic
def add_watch(actor: User, scope: Scope, resident: Resident, *, now: datetime | None = None) -> Watch:
    """Put a living resident on the list. The building leader(s) of their group become its
    first watchers and a registered family proxy its family contact; checks are due from
    tomorrow (nobody is alerted for a day the watch did not yet exist)."""
    require_watch_keeper(scope, resident=resident)
    if not resident.is_living:
        raise ValidationError(_("%(name)s no longer lives here.") % {"name": resident.display_name})
    if Watch.objects.filter(resident=resident).exclude(status=WatchStatus.ENDED).exists():
        raise ValidationError(_("%(name)s is already on the watch list.") % {"name": resident.name})
    proxy = (
        Proxy.objects.filter(resident=resident, revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    watch = Watch.objects.create(
        resident=resident,
        committee_id=resident.committee_id,
        checks_from=_tomorrow(now),
        started_by=actor,
        started_at=now or timezone.now(),
        family_name=proxy.user.name if proxy else "",
        family_relation=proxy.relation if proxy else "",
        family_phone=proxy.user.phone if proxy else "",
        family_user=proxy.user if proxy else None,
    )
    for leader in _building_leaders(resident):
        if leader.pk != resident.user_id:
            Watcher.objects.create(watch=watch, user=leader, kind=WatcherKind.BUILDING_LEADER, added_by=actor)
            _tell_new_watcher(leader, watch)
    return watch


def add_candidates(actor: User, scope: Scope, residents: list[Resident]) -> list[Watch]:
    """Add many at once (the candidates page's "add all"); each one as ``add_watch``."""
    with transaction.atomic():
        return [add_watch(actor, scope, person) for person in residents]


@transaction.atomic
def change_status(
    actor: User, scope: Scope, watch: Watch, status: str, reason: str = "", note: str = ""
) -> Watch:
    """Pause (in hospital, family staying) or end (moved out, died) with a reason, or resume.
    Stopping closes the watch's open alerts; resuming makes checks due again from tomorrow."""
    require_watch_keeper(scope, watch)
    locked = Watch.objects.select_for_update().get(pk=watch.pk)
    note = " ".join((note or "").split())[:200]
    if locked.is_ended:
        raise ValidationError(_("This watch has ended; add the resident again from the candidates."))
    if status == WatchStatus.ACTIVE:
        if locked.is_active:
            raise ValidationError(_("The watch is already running."))
        locked.checks_from, locked.stop_reason, locked.stop_note = _tomorrow(None), "", ""
    elif status in (WatchStatus.PAUSED, WatchStatus.ENDED):
        if reason not in StopReason.values:
            raise ValidationError({"reason": _("Say why the watch stops.")})
        if reason == StopReason.OTHER and not note:
            raise ValidationError({"note": _("Describe the other reason in the note.")})
        if status == locked.status:
            raise ValidationError(_("The watch is already paused."))
        locked.stop_reason, locked.stop_note = reason, note
        _close_for_stop(actor, locked, reason, note)
    else:
        raise ValidationError({"status": _("Unknown status.")})
    locked.status, locked.status_changed_at = status, timezone.now()
    locked.save()
    _tell_watchers_of_status(locked)
    return locked


def _tell_watchers_of_status(watch: Watch) -> None:
    """Those who look in on the person hear that they may stop, or must start again."""
    name = watch.resident.name
    if watch.is_active:
        title = _("Checks on %(name)s start again") % {"name": name}
        body = _("Record the curtains and the light again from %(day)s.") % {
            "day": watch.checks_from.isoformat()
        }
    else:
        why = str(StopReason(watch.stop_reason).label) + (f": {watch.stop_note}" if watch.stop_note else "")
        if watch.is_ended:
            title = _("The watch of %(name)s has ended") % {"name": name}
        else:
            title = _("The watch of %(name)s is paused") % {"name": name}
        body = _("No checks are due for now. %(why)s") % {"why": why}
    watchers = watch.watchers.filter(ended_at__isnull=True).select_related("user")
    notify(
        [w.user for w in watchers],
        kind=NotificationKind.WATCH,
        title=title,
        body=body,
        url=reverse("eldercare:mine"),
    )


def _close_for_stop(actor: User, watch: Watch, reason: str, note: str) -> None:
    now = timezone.now()
    words = str(StopReason(reason).label) + (f": {note}" if note else "")
    for alert in Alert.objects.filter(watch=watch, closed_at__isnull=True):
        alert.acknowledged_at = alert.acknowledged_at or now
        alert.acknowledged_by = alert.acknowledged_by or actor
        alert.closed_at, alert.closed_by = now, actor
        alert.outcome = STOP_OUTCOME.get(reason, Outcome.OTHER)  # type: ignore[call-overload]
        alert.outcome_note = (_("Watch stopped: %(why)s") % {"why": words})[:300]
        alert.save()


@transaction.atomic
def set_family(
    scope: Scope, watch: Watch, *, name: str, relation: str, phone: str, user: User | None = None
) -> Watch:
    """The family contact told last: a name and phone, and optionally their account (only
    a registered family proxy of the resident, or the account of that very phone)."""
    require_watch_keeper(scope, watch)

    name, relation = " ".join(name.split())[:50], " ".join(relation.split())[:30]
    problems: dict[str, list[str]] = {}
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            problems["phone"] = [_("Enter an 11-digit mobile number.")]
    if (phone or user) and not name:
        problems["name"] = [_("Give the family contact's name.")]
    if user is not None:
        is_proxy = Proxy.objects.filter(resident=watch.resident, user=user, revoked_at__isnull=True).exists()
        if not (is_proxy or user.phone == phone):
            problems["user"] = [
                _("Only a registered family member of the resident, or the account of this phone.")
            ]
    if problems:
        raise ValidationError(problems)
    watch.family_name, watch.family_relation, watch.family_phone = name, relation, phone
    watch.family_user = user
    if user is not None and not phone:
        watch.family_phone = user.phone
    watch.save()
    return watch


@transaction.atomic
def set_cutoffs(
    scope: Scope, watch: Watch, *, day: time | None, night: time | None, note: str | None = None
) -> Watch:
    """This person's own cutoffs (empty: the committee's), and the note watchers read."""
    require_watch_keeper(scope, watch)

    base = policy_rules(WatchPolicy.objects.filter(committee_id=watch.committee_id).first())
    if (night or base.night_cutoff) <= (day or base.day_cutoff):
        raise ValidationError({"night_cutoff": _("The light is checked after the curtains.")})
    if day is not None and day < DAWN:
        raise ValidationError({"day_cutoff": _before_dawn()})
    watch.day_cutoff, watch.night_cutoff = day, night
    if note is not None:
        watch.note = " ".join(note.split())[:300]
    watch.save()
    return watch


@transaction.atomic
def add_watcher(actor: User, scope: Scope, watch: Watch, user: User, kind: str) -> Watcher:
    """A building leader, volunteer or neighbour (a plain resident's account will do) who
    looks in on the person; told in the app that they now do."""
    require_watch_keeper(scope, watch)
    if kind not in WatcherKind.values:
        raise ValidationError(
            {"kind": _("Say whether they watch as building leader, volunteer or neighbour.")}
        )
    if not user.is_active:
        raise ValidationError({"phone": _("This account is closed.")})
    if user.pk == watch.resident.user_id:
        raise ValidationError({"phone": _("A person cannot watch themself.")})
    if watch.is_ended:
        raise ValidationError(_("This watch has ended."))
    if Watcher.objects.filter(watch=watch, user=user, ended_at__isnull=True).exists():
        raise ValidationError({"phone": _("%(name)s already watches this person.") % {"name": user.name}})
    watcher = Watcher.objects.create(watch=watch, user=user, kind=kind, added_by=actor)
    _tell_new_watcher(user, watch)
    return watcher


def _tell_new_watcher(user: User, watch: Watch) -> None:
    notify(
        [user],
        kind=NotificationKind.WATCH,
        title=_("You now look in on %(name)s") % {"name": watch.resident.name},
        body=_("Each day, record that the curtains are open by day and the light is on at night."),
        url=reverse("eldercare:mine"),
    )


@transaction.atomic
def remove_watcher(scope: Scope, watcher: Watcher) -> Watcher:
    require_watch_keeper(scope, watcher.watch)
    if watcher.ended_at is None:
        watcher.ended_at = timezone.now()
        watcher.save(update_fields=["ended_at"])
    return watcher


def _before_dawn() -> str:
    """A day cutoff before dawn could never be met: the day's window opens at dawn."""
    return _("The day's checks begin at dawn (%(dawn)s): set the curtains' cutoff after it.") % {
        "dawn": DAWN.strftime("%H:%M")
    }


def committee_for_policy(scope: Scope) -> Area:
    if not scope.can(Capability.RUN_WATCH):
        raise PermissionDenied(_("Your active role may not keep the elderly watch."))
    return scope.committee(_("Cutoffs and delays are set by a committee; act in a committee role."))


@transaction.atomic
def save_policy(
    actor: User,
    scope: Scope,
    *,
    day_cutoff: time,
    night_cutoff: time,
    night_from: time,
    workers_after: int,
    family_after: int,
) -> WatchPolicy:
    """The committee's cutoffs and escalation delays, for every watch without its own.
    Alerts already raised keep the delays they were raised with."""
    committee = committee_for_policy(scope)
    problems: dict[str, list[str]] = {}
    if night_cutoff <= day_cutoff:
        problems["night_cutoff"] = [_("The light is checked after the curtains.")]
    if day_cutoff < DAWN:
        problems["day_cutoff"] = [_before_dawn()]
    if not day_cutoff < night_from <= night_cutoff:
        problems["night_from"] = [_("Between the curtains' cutoff and the light's cutoff.")]
    for field, value in (("workers_after", workers_after), ("family_after", family_after)):
        if not 5 <= value <= 24 * 60:
            problems[field] = [_("Between 5 minutes and 24 hours (1440 minutes).")]
    if problems:
        raise ValidationError(problems)
    policy, _created = WatchPolicy.objects.get_or_create(committee=committee)
    policy.day_cutoff, policy.night_cutoff, policy.night_from = day_cutoff, night_cutoff, night_from
    policy.workers_after, policy.family_after, policy.updated_by = workers_after, family_after, actor
    policy.save()
    return policy
