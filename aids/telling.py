"""Who hears about a borrower's aids, and who staff call: the borrower, or for an elderly
resident without an account, their family or their building leader.

A borrower is reached, in this order:

1. their own verified account (in the app, and by SMS when the message asks for it);
2. without an account, an SMS straight to the phone the registry holds for them;
3. without either, the family members linked in the registry (家属代办), through their accounts;
4. without any of these, the building leader (楼组长, then the second) of their building
   group: through the leader's account, else an SMS to the leader's phone.

``contacts_for`` works this out for many residents in three queries, so the overdue list and
the reminder job ask the same question the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.backends import send_sms
from notifications.models import NotificationKind
from notifications.services import Message, notify_each
from registry.identity import mask_contact_phone
from registry.models import GroupLeader, Proxy, Resident

# Care aids have no kind of message of their own yet: they are elder care's (为老服务).
KIND = NotificationKind.CARE_AID


class Via:
    SELF = "self"
    PHONE = "phone"
    FAMILY = "family"
    LEADER = "leader"
    NOBODY = "nobody"


@dataclass
class Contact:
    """How to reach one borrower: ``users`` to tell in the app, else ``sms_to`` a phone;
    ``call`` the number staff ring, ``who`` whose number it is (the borrower, a daughter, the
    building leader), ``via`` which of the four ways."""

    resident: Resident
    via: str = Via.NOBODY
    users: list[User] = field(default_factory=list)
    sms_to: str = ""
    who: str = ""
    call: str = ""

    @property
    def is_self(self) -> bool:
        return self.via == Via.SELF or self.via == Via.PHONE

    @property
    def through_family(self) -> bool:
        return self.via == Via.FAMILY

    @property
    def through_leader(self) -> bool:
        return self.via == Via.LEADER

    @property
    def unreachable(self) -> bool:
        return self.via == Via.NOBODY

    def shown_phone(self, *, unmasked: bool) -> str:
        """The number to call, masked as the registry masks it unless the viewer may see it."""
        if not self.call:
            return ""
        return self.call if unmasked else mask_contact_phone(self.call)


def contacts_for(residents: Iterable[Resident]) -> dict[int, Contact]:
    """How to reach each resident (their household's building selected, and their ``user``):
    three queries, whatever the number."""
    people = {r.pk: r for r in residents}
    found: dict[int, Contact] = {}
    family: dict[int, list[User]] = defaultdict(list)
    for proxy in Proxy.objects.filter(
        resident_id__in=list(people), revoked_at__isnull=True, user__is_active=True
    ).select_related("user"):
        family[proxy.resident_id].append(proxy.user)
    groups = {r.household.building.parent_id for r in people.values() if r.household.building.parent_id}
    leaders: dict[int, list[GroupLeader]] = defaultdict(list)
    for post in (
        GroupLeader.objects.filter(group_id__in=groups, until__isnull=True)
        .select_related("resident__user")
        .order_by("position", "since", "pk")
    ):
        leaders[post.group_id].append(post)
    for pk, person in people.items():
        group = person.household.building.parent_id or 0
        found[pk] = _contact(person, family.get(pk, []), leaders.get(group, []))
    return found


def _contact(person: Resident, family: list[User], leaders: list[GroupLeader]) -> Contact:
    own = person.user if person.user_id and person.user and person.user.is_active else None
    if own is not None:
        return Contact(person, Via.SELF, [own], "", person.name, person.phone or own.phone)
    if person.phone:
        return Contact(person, Via.PHONE, [], person.phone, person.name, person.phone)
    if family:
        first = family[0]
        return Contact(person, Via.FAMILY, family, "", first.name, first.phone)
    for post in leaders:
        leader = post.resident
        account = leader.user if leader.user_id and leader.user and leader.user.is_active else None
        if account is not None:
            return Contact(person, Via.LEADER, [account], "", leader.name, leader.phone or account.phone)
        if leader.phone:
            return Contact(person, Via.LEADER, [], leader.phone, leader.name, leader.phone)
    return Contact(person)


def contact_of(resident: Resident) -> Contact:
    return contacts_for([resident])[resident.pk]


def tell(contact: Contact, title: str, body: str, url: str, *, sms: bool = False) -> int:
    """One message about ``contact.resident``: in the app to the accounts that reach them, or
    one SMS after the commit. When it goes to someone else, it says whom it is about."""
    if contact.unreachable:
        return 0
    if not contact.is_self:
        title = _("About %(name)s: %(title)s") % {"name": contact.resident.name, "title": title}
    if contact.users:
        return notify_each([Message(user, title, body, url) for user in contact.users], kind=KIND, sms=sms)
    transaction.on_commit(partial(send_sms, contact.sms_to, f"{title} {body}"))
    return 1
