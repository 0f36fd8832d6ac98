"""Who hears about an alert, and how: watchers in the app, social workers in the app and by
SMS, the family contact through their account or, without one, an SMS straight to the phone.

Messages are grouped by recipient, so a building leader with three people unchecked gets
one message naming the three, and the cutoff job writes them all in one ``notify_each``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import RoleGrant, User
from accounts.roles import Role
from eldercare.models import Slot
from notifications.backends import sms_backend
from notifications.models import Kind
from notifications.services import Message, notify_each

log = logging.getLogger(__name__)
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
    return notify_each(messages, kind=Kind.WATCH)


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
    return notify_each(messages, kind=Kind.WATCH, sms=True)


def family_sms(to: str, text: str) -> bool:
    """One SMS straight to a family contact without an account; False if the gateway failed."""
    try:
        sms_backend().send(to, text)
    except Exception as error:  # noqa: BLE001 - a gateway's failure is recorded, never raised
        log.warning("SMS to a family contact failed: %s", error)
        return False
    return True


def signed(text: str) -> str:
    from django.conf import settings

    return f"【{settings.MULIN_SMS_SIGNATURE}】{text}"
