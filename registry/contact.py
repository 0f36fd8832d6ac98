"""The numbers a worker calls a resident back on: one rule for every staff page that needs
it (a request's triage and detail, the elderly watch's alerts, a household visit).

A number is shown only to a role that may see residents' personal data, over the resident's
home. The resident's own number first (their phone in the registry, else their account's,
else the household's), then the family member who asked for them, if another number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import User
from common.scope import Capability, Scope
from registry.models import Resident


@dataclass(frozen=True)
class CallBack:
    phone: str
    name: str
    # Empty: the resident's own number; else who the person is to the resident.
    relation: str = ""

    @property
    def tel(self) -> str:
        """The number as a ``tel:`` link dials it: digits and a leading plus only."""
        return re.sub(r"[^\d+]", "", self.phone)


def own_number(resident: Resident) -> str:
    """The resident's own number: in the registry, else their account's, else their home's."""
    if resident.phone:
        return resident.phone
    account = resident.user if resident.user_id else None
    if account is not None and account.phone:
        return account.phone
    return resident.household.phone


def call_back(scope: Scope, resident: Resident, *, reporter: User | None = None) -> list[CallBack]:
    """The numbers to call ``resident`` back on, for ``scope``; none for a role that may not
    see personal data, or outside its area. ``reporter``: who asked on the resident's behalf."""
    if not scope.can(Capability.VIEW_PEOPLE) or not scope.covers_path(resident.household.building.path):
        return []
    numbers = []
    own = own_number(resident)
    if own:
        numbers.append(CallBack(own, resident.name))
    if reporter is not None and reporter.pk != resident.user_id and reporter.phone and reporter.phone != own:
        numbers.append(CallBack(reporter.phone, reporter.name, _("who asked for them")))
    return numbers
