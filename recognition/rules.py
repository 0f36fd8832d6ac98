"""Who may keep centres and rate them, keep local talent and run awards: the one place it is
decided.

- Centres: staff with ``Capability.RATE_CENTRES`` (street, district and city admins) over the
  centre's area open and change centres, set rating sheets for their area and rate the centres
  under it with a sheet of their area or above it.
- Talent and awards: staff with ``Capability.RUN_AWARDS`` (social workers, leads, admins) over the
  resident's home, or over the award's committee.
- Residents offer their own skill and nominate in their own committee (themself, or the family
  member acting for them); the public reads rated centres, confirmed talent by the name they
  chose, and decided awards' winners.
"""

from __future__ import annotations

from django.db.models import Q

from areas.models import Area, AreaLevel
from common.scope import Capability, Scope
from recognition.models import Award, Centre, Rating, RatingSheet, Talent
from registry.models import Resident

CENTRE_LEVELS = (AreaLevel.COMMITTEE, AreaLevel.STREET)
SHEET_LEVELS = (AreaLevel.STREET, AreaLevel.DISTRICT, AreaLevel.CITY)


def keeps_centres_in(scope: Scope, area: Area | None) -> bool:
    """May open a centre of ``area`` (a committee or street of their scope)."""
    return bool(
        area is not None
        and area.level in CENTRE_LEVELS
        and scope.can(Capability.RATE_CENTRES)
        and scope.covers(area)
    )


def keeps_centre(scope: Scope, centre: Centre) -> bool:
    return scope.can(Capability.RATE_CENTRES) and scope.covers(centre.area)


def sets_sheets_in(scope: Scope, area: Area | None) -> bool:
    """May set a rating sheet for ``area`` (their street, district or city)."""
    return bool(
        area is not None
        and area.level in SHEET_LEVELS
        and scope.can(Capability.RATE_CENTRES)
        and scope.covers(area)
    )


def keeps_sheet(scope: Scope, sheet: RatingSheet) -> bool:
    return scope.can(Capability.RATE_CENTRES) and scope.covers(sheet.area)


def sheet_applies(sheet: RatingSheet, centre: Centre) -> bool:
    """A sheet rates the centres under the area that set it."""
    return centre.area.path.startswith(sheet.area.path)


def rates(scope: Scope, rating: Rating) -> bool:
    return keeps_centre(scope, rating.centre)


def runs_talent_for(scope: Scope, resident: Resident) -> bool:
    return scope.can(Capability.RUN_AWARDS) and scope.covers_path(resident.household.building.path)


def keeps_talent(scope: Scope, talent: Talent) -> bool:
    return runs_talent_for(scope, talent.resident)


def runs_award(scope: Scope, award: Award) -> bool:
    return scope.can(Capability.RUN_AWARDS) and scope.covers(award.committee)


def seen_sheets_q(scope: Scope) -> Q:
    """Sheets a rater may use or read: those of their area and of the areas above it."""
    if not scope.path or not scope.can(Capability.RATE_CENTRES):
        return Q(pk__in=[])
    above = scope.area.ancestor_paths() if scope.area is not None else []
    return Q(area__path__startswith=scope.path) | Q(area__path__in=above)
