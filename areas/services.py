"""Committees define their own grids, building groups and buildings.

Official levels (city, district, street, committee) change only through
``areas.importer``; every function here refuses them.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import ALLOWED_PARENTS, LOCAL_LEVELS, LOCAL_PREFIX, Area, AreaLevel
from audit.services import record
from common.scope import Capability

NAME_MAX_LENGTH = Area._meta.get_field("name").max_length or 100


def _refuse_official(area: Area) -> None:
    if area.official:
        raise ValidationError(
            _("%(name)s is an official division; it changes only when the official list is imported.")
            % {"name": area.name}
        )


def _clean_name(parent: Area, name: str, exclude: Area | None = None) -> str:
    """A name in plain words, not already used by an active sibling."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Please give it a name.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": _("Keep the name under %(n)d characters.") % {"n": NAME_MAX_LENGTH}})
    siblings = Area.objects.filter(parent=parent, name=name).active()
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        raise ValidationError(
            {
                "name": _("%(parent)s already has a part called %(name)s.")
                % {"parent": parent.name, "name": name}
            }
        )
    return name


def _next_number_and_order(parent: Area, prefix: str) -> tuple[int, int]:
    """The next code number (one more than any ever used: codes are never reused) and the
    position at the end of the parent's list."""
    start = f"{parent.code}.{prefix}"
    numbers, orders = [0], [0]
    for code, order in Area.objects.filter(parent=parent).values_list("code", "sort_order"):
        orders.append(order)
        if code.startswith(start) and code[len(start) :].isdigit():
            numbers.append(int(code[len(start) :]))
    return max(numbers) + 1, max(orders) + 1


@transaction.atomic
def create_local_area(parent: Area, level: str, name: str, sort_order: int | None = None) -> Area:
    """Add a grid, building group or building under a unit that may hold it.

    Its code is the parent's code, a dot, the level's letter and the next free number
    (``310106019001.W3``); the parent must be active; the name must be new among the
    parent's active parts.
    """
    # Lock the parent so that two people adding at once do not pick the same number.
    parent = Area.objects.select_for_update().get(pk=parent.pk)
    if level not in LOCAL_LEVELS:
        raise ValidationError(
            {
                "level": _(
                    "Only grids, building groups and buildings can be added; official units are imported."
                )
            }
        )
    if parent.level not in ALLOWED_PARENTS[AreaLevel(level)]:
        raise ValidationError(
            {
                "level": _("A %(level)s cannot be placed under a %(parent)s.")
                % {"level": AreaLevel(level).label, "parent": AreaLevel(parent.level).label}
            }
        )
    if parent.is_retired:
        raise ValidationError(
            _("%(name)s is retired; nothing new can be added under it.") % {"name": parent.name}
        )
    name = _clean_name(parent, name)
    prefix = LOCAL_PREFIX[AreaLevel(level)]
    number, last = _next_number_and_order(parent, prefix)
    area = Area(
        code=f"{parent.code}.{prefix}{number}",
        name=name,
        level=level,
        parent=parent,
        sort_order=last if sort_order is None else sort_order,
    )
    area.save()
    return area


@transaction.atomic
def update_local_area(area: Area, *, name: str, sort_order: int) -> Area:
    """Rename or reorder a committee-defined unit (its pinyin follows the new name)."""
    _refuse_official(area)
    assert area.parent is not None  # a local unit always hangs under a committee
    area.name = _clean_name(area.parent, name, exclude=area)
    area.sort_order = sort_order
    area.save()
    return area


@transaction.atomic
def retire_area(area: Area) -> int:
    """Retire a committee-defined unit and everything under it; nothing is deleted.

    Residents, roles and records keep pointing at retired units, which can be restored.
    Returns how many units under it were retired with it.
    """
    _refuse_official(area)
    if area.is_retired:
        raise ValidationError(_("%(name)s is already retired.") % {"name": area.name})
    now = timezone.now()
    area.retired_at = now
    area.save(update_fields=["retired_at", "updated_at"])
    below = Area.objects.subtree(area, include_self=False).active().update(retired_at=now, updated_at=now)
    if below:
        record("update", area, changes={"retired_below": below}, note=_("retired with everything under it"))
    return below


@transaction.atomic
def restore_area(area: Area) -> int:
    """Bring back a retired unit and the units that were retired together with it."""
    _refuse_official(area)
    if not area.is_retired:
        raise ValidationError(_("%(name)s is not retired.") % {"name": area.name})
    assert area.parent is not None
    if area.parent.is_retired:
        raise ValidationError(_("%(parent)s is retired; restore it first.") % {"parent": area.parent.name})
    _clean_name(area.parent, area.name, exclude=area)
    when, now = area.retired_at, timezone.now()
    area.retired_at = None
    area.save(update_fields=["retired_at", "updated_at"])
    below = (
        Area.objects.subtree(area, include_self=False)
        .filter(retired_at=when)
        .update(retired_at=None, updated_at=now)
    )
    if below:
        record(
            "update",
            area,
            changes={"restored_below": below},
            note=_("restored with the units retired with it"),
        )
    return below


@transaction.atomic
def place_buildings(scope, positions: dict[int, tuple[Decimal, Decimal] | None]) -> int:
    """Set (or clear, with None) where buildings stand on the community map.

    Positions are percent of the plan (0–100 across, 0–100 down). Only active buildings of
    the scope's area are placed; any other id is refused. Returns how many changed.
    """

    if not scope.can(Capability.MANAGE_AREAS):
        raise PermissionDenied(_("Your active role may not change the map."))
    buildings = {
        a.pk: a
        for a in scope.restrict(
            Area.objects.filter(pk__in=list(positions), level=AreaLevel.BUILDING)
        ).active()
    }
    unknown = set(positions) - buildings.keys()
    if unknown:
        raise ValidationError(_("Some buildings are not in your area."))
    changed = 0
    for pk, place in positions.items():
        building = buildings[pk]
        x, y = place if place is not None else (None, None)
        for value in (x, y):
            if value is not None and not (0 <= value <= 100):
                raise ValidationError(
                    _("%(name)s: positions are from 0 to 100 (percent of the plan).")
                    % {"name": building.name}
                )
        if (building.map_x, building.map_y) != (x, y):
            building.map_x, building.map_y = x, y
            building.save(update_fields=["map_x", "map_y", "updated_at"])
            changed += 1
    return changed
