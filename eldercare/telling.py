"""Who hears about an alert, and how: watchers in the app, social workers in the app and by
SMS, the family contact through their account or, without one, an SMS straight to the phone.

Messages are grouped by recipient, so a building leader with three people unchecked gets
one message naming the three, and the cutoff job writes them all in one ``notify_each``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.models import RoleGrant, User
from accounts.roles import Role
from audit.context import suspended
from eldercare.joblog import log_step
from eldercare.models import Alert, FamilyReach, Slot
from notifications.backends import send_sms
from notifications.models import NotificationKind
from notifications.services import Message, notify_each

WORKER_ROLES = (Role.SOCIAL_WORKER, Role.COMMITTEE_LEAD)
NAMES_SHOWN = 5


def slot_words(slot: str) -> str:
    return _("curtains not seen opened") if slot == Slot.DAY else _("light not seen on")


def people_text(items: list[tuple[str, str]]) -> str:
    """'刘阿姨 (curtains not seen opened), 钱老伯 (light not seen on) and 3 more'."""
    shown = [f"{name} ({slot_words(slot)})" for name, slot in items[:NAMES_SHOWN]]
    text = _(", ").join(shown)
    if len(items) > NAMES_SHOWN:
        text += " " + _("and %(n)d more") % {"n": len(items) - NAMES_SHOWN}
    return text


def workers_of(committee_ids: Iterable[int]) -> dict[int, list[User]]:
    """The social workers and leads of each committee (active grants over it): one query."""
    found: dict[int, list[User]] = defaultdict(list)
    ids = set(committee_ids)
    if not ids:
        return found
    grants = RoleGrant.objects.filter(
        Q(area_id__in=ids), revoked_at__isnull=True, role__in=WORKER_ROLES, user__is_active=True
    ).select_related("user")
    for grant in grants:
        if grant.user not in found[grant.area_id]:
            found[grant.area_id].append(grant.user)
    return found


def tell_watchers(pairs: Iterable[tuple[User, str, str]]) -> int:
    """(watcher, resident's name, slot) → one message per watcher."""
    per_user: dict[int, tuple[User, list[tuple[str, str]]]] = {}
    for user, name, slot in pairs:
        per_user.setdefault(user.pk, (user, []))[1].append((name, slot))
    url = reverse("eldercare:mine")
    messages = [
        Message(
            user,
            _("Please look in on: %(people)s") % {"people": people_text(items)},
            _("Nobody has recorded a check by the cutoff. Look in or call, then record it."),
            url,
        )
        for user, items in per_user.values()
    ]
    return notify_each(messages, kind=NotificationKind.WATCH)


def tell_workers(alerts: Iterable[tuple[int, str, str]], *, concern: bool = False) -> int:
    """(committee id, resident's name, slot) → one urgent message per social worker."""
    per_committee: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for committee_id, name, slot in alerts:
        per_committee[committee_id].append((name, slot))
    staff = workers_of(per_committee)
    per_user: dict[int, tuple[User, list[tuple[str, str]]]] = {}
    for committee_id, items in per_committee.items():
        for user in staff.get(committee_id, []):
            per_user.setdefault(user.pk, (user, []))[1].extend(items)
    url = reverse("eldercare:alerts")
    messages = []
    for user, items in per_user.values():
        if concern:
            title = _("A watcher is worried about %(name)s") % {"name": ", ".join(n for n, _s in items)}
        else:
            title = _("Elderly watch alert: %(people)s") % {"people": people_text(items)}
        messages.append(Message(user, title, _("Acknowledge the alert once someone is on it."), url))
    return notify_each(messages, kind=NotificationKind.WATCH, sms=True)


def family_text(alert: Alert, today: date) -> str:
    """Said on the day it is read: a night check's alert reaches the family after its delays,
    often past midnight, when "today" would be the wrong night."""
    words = {"name": alert.watch.resident.name, "what": slot_words(alert.slot)}
    if alert.day == today:
        text = _("%(name)s: %(what)s today. The committee is looking into it; please call or visit.")
    elif alert.day == today - timedelta(days=1) and alert.slot == Slot.NIGHT:
        text = _("%(name)s: %(what)s last night. The committee is looking into it; please call or visit.")
    elif alert.day == today - timedelta(days=1):
        text = _("%(name)s: %(what)s yesterday. The committee is looking into it; please call or visit.")
    else:
        text = _("%(name)s: %(what)s on %(day)s. The committee is looking into it; please call or visit.")
        words["day"] = date_format(alert.day, "MONTH_DAY_FORMAT")
    return text % words


def send_family_texts(alert_ids: list[int]) -> int:
    """The SMS of the family step to contacts without an account, for these alerts: each
    still waiting is sent and its outcome written at once, so a run cut short and run again
    sends none twice. Returns how many the gateway took."""
    sent = 0
    waiting = list(
        Alert.objects.filter(pk__in=alert_ids, family_reached=FamilyReach.SMS_QUEUED)
        .select_related("watch__resident")
        .order_by("pk")
    )
    today = timezone.localdate()
    for alert in waiting:
        ok = not send_sms(alert.watch.family_phone, family_text(alert, today))
        with suspended():  # one entry per committee for the batch, below
            Alert.objects.filter(pk=alert.pk, family_reached=FamilyReach.SMS_QUEUED).update(
                family_reached=FamilyReach.SMS if ok else FamilyReach.SMS_FAILED
            )
        sent += ok
    if waiting:
        done = Alert.objects.filter(pk__in=[a.pk for a in waiting])
        log_step(done.filter(family_reached=FamilyReach.SMS), "family_sms_sent", "elderly watch")
        log_step(done.filter(family_reached=FamilyReach.SMS_FAILED), "family_sms_failed", "elderly watch")
    return sent


@task()
def text_families(alert_ids: list[int]) -> int:
    """SMS to the family contacts (without an account) of these alerts, queued by the cutoff
    job once it has committed."""
    return send_family_texts(alert_ids)
