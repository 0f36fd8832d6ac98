"""Writes with rules on the registry: households, residents, moves, tags and building leaders.

Every function takes the acting scope and checks, itself, that the active role may keep the
registry and that what it touches lies in its area, so that the page, the API and the admin
cannot forget. Each runs in one transaction; the audit log records every row it changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel
from areas.selectors import committee_of
from common.scope import Capability, Scope
from common.text import normal_code
from registry import crypto
from registry.identity import normalize_contact_phone
from registry.models import (
    SETTABLE_TAGS,
    EndReason,
    GroupLeader,
    Household,
    LeaderPosition,
    Relation,
    Residence,
    Resident,
    ResidentStatus,
    ResidentTag,
    Tag,
    TagSource,
)
from registry.rules import CheckedPerson, PersonInput, check_person, door_problems

# --- Guards -----------------------------------------------------------------------------------


def require_editor(scope: Scope) -> None:
    if not scope.can(Capability.EDIT_REGISTRY):
        raise PermissionDenied(_("Your active role may not change the registry."))


def _require_household_in_scope(scope: Scope, household: Household) -> None:
    if not scope.covers(household.building):
        raise PermissionDenied(_("This household lies outside your area."))


def _require_resident_in_scope(scope: Scope, resident: Resident) -> None:
    _require_household_in_scope(scope, resident.household)
    if resident.anonymised_at is not None:
        raise ValidationError(_("This record has been anonymised; it can no longer be changed."))


def _raise(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(dict(problems.items()))


# --- Households -------------------------------------------------------------------------------


def clean_door(unit: str, room: str) -> tuple[str, str]:
    """'2单元', '３０１室' → '2', '301' (read as a census sheet's door is, ``common.text``); the
    room is required, both are short."""
    unit = normal_code(unit).removesuffix("单元")
    room = normal_code(room).removesuffix("室")
    _raise(door_problems(unit, room))
    return unit, room


def _check_building(scope: Scope, building: Area) -> Area:
    if building.level != AreaLevel.BUILDING:
        raise ValidationError({"building": _("%(name)s is not a building.") % {"name": building.name}})
    if not scope.covers(building):
        raise PermissionDenied(_("%(name)s lies outside your area.") % {"name": building.name})
    if building.is_retired:
        raise ValidationError(
            {
                "building": _("%(name)s is retired; households cannot be added to it.")
                % {"name": building.name}
            }
        )
    committee = committee_of(building)
    if committee is None:
        raise ValidationError({"building": _("%(name)s belongs to no committee.") % {"name": building.name}})
    return committee


def _door_taken(building: Area, unit: str, room: str, exclude: Household | None = None) -> None:
    taken = Household.objects.filter(building=building, unit=unit, room=room)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        door = Household(building=building, unit=unit, room=room)
        raise ValidationError(
            {"room": _("%(address)s already has a household record.") % {"address": door.address}}
        )


@transaction.atomic
def create_household(
    scope: Scope, building: Area, *, unit: str = "", room: str, phone: str = "", note: str = ""
) -> Household:
    """A new door in a building of the scope's area; one record per door."""
    require_editor(scope)
    committee = _check_building(scope, building)
    unit, room = clean_door(unit, room)
    _door_taken(building, unit, room)
    household = Household(building=building, committee=committee, unit=unit, room=room)
    household.phone = _clean_phone(phone)
    household.note = note.strip()
    household.save()
    return household


@transaction.atomic
def update_household(
    scope: Scope, household: Household, *, unit: str, room: str, phone: str = "", note: str = ""
) -> Household:
    require_editor(scope)
    _require_household_in_scope(scope, household)
    unit, room = clean_door(unit, room)
    _door_taken(household.building, unit, room, exclude=household)
    household.unit, household.room = unit, room
    household.phone = _clean_phone(phone)
    household.note = note.strip()
    household.save()
    return household


def _clean_phone(phone: str) -> str:

    try:
        return normalize_contact_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None


# --- Residents --------------------------------------------------------------------------------


def _householder_taken(household: Household, relation: str, exclude: Resident | None = None) -> None:
    """At most one living householder per household."""
    if relation != Relation.HOUSEHOLDER:
        return
    others = Resident.objects.living().filter(household=household, relation=Relation.HOUSEHOLDER)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    current = others.first()
    if current is not None:
        raise ValidationError(
            {
                "relation": _(
                    "%(name)s is already the householder here; change their relation first, or "
                    "choose another relation."
                )
                % {"name": current.name}
            }
        )


def _same_person(committee: Area, checked: CheckedPerson, exclude: Resident | None = None) -> Resident | None:
    if checked.card is None:
        return None
    found = Resident.objects.filter(committee=committee, id_hash=checked.id_hash).select_related(
        "household__building"
    )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.first()


def _apply_person(resident: Resident, checked: CheckedPerson) -> None:
    resident.name = checked.name
    resident.gender = checked.gender
    resident.birth_date = checked.birth_date
    resident.phone = checked.phone
    resident.relation = checked.relation
    resident.residence_type = checked.residence_type
    resident.moved_in_on = checked.moved_in_on
    for attr, value in checked.stored_identity().items():
        setattr(resident, attr, value)
    if checked.health_notes is not None:
        resident.health_cipher = crypto.encrypt(checked.health_notes)
    if checked.key_notes is not None:
        resident.key_note_cipher = crypto.encrypt(checked.key_notes)


@transaction.atomic
def add_resident(
    scope: Scope, household: Household, data: PersonInput, today: date | None = None
) -> Resident:
    """Record a person living in ``household``.

    The rules: the role keeps the registry and the household is in its area; the person's
    values pass ``check_person``; at most one living householder per household; one record
    per identity-card number per committee. Someone who lived here before and moved away is
    brought back on their old record (one history), not recorded twice.
    """
    require_editor(scope)
    _require_household_in_scope(scope, household)
    today = today or timezone.localdate()
    checked = check_person(data, today)
    _raise(checked.problems)
    _householder_taken(household, checked.relation)
    earlier = _same_person(household.committee, checked)
    if earlier is not None:
        if earlier.status == ResidentStatus.LIVING:
            raise ValidationError(
                {
                    "id_number": _("This number is already recorded for %(name)s at %(address)s.")
                    % {"name": earlier.name, "address": earlier.household.address}
                }
            )
        _apply_person(earlier, checked)
        return _move(earlier, household, checked.relation, checked.moved_in_on or today)
    resident = Resident(committee=household.committee, household=household)
    _apply_person(resident, checked)
    resident.save()
    Residence.objects.create(
        resident=resident, household=household, relation=resident.relation, moved_in_on=resident.moved_in_on
    )
    return resident


@transaction.atomic
def update_resident(
    scope: Scope, resident: Resident, data: PersonInput, today: date | None = None
) -> Resident:
    """Correct a person's details; the same rules as ``add_resident``."""
    require_editor(scope)
    _require_resident_in_scope(scope, resident)
    checked = check_person(data, today or timezone.localdate())
    _raise(checked.problems)
    if resident.status == ResidentStatus.LIVING:
        _householder_taken(resident.household, checked.relation, exclude=resident)
    other = _same_person(resident.committee, checked, exclude=resident)
    if other is not None:
        raise ValidationError(
            {
                "id_number": _("This number is already recorded for %(name)s at %(address)s.")
                % {"name": other.name, "address": other.household.address}
            }
        )
    _apply_person(resident, checked)
    resident.save()
    Residence.objects.filter(resident=resident, end_reason="").exclude(relation=resident.relation).update(
        relation=resident.relation
    )
    return resident


def _move(resident: Resident, household: Household, relation: str, on: date) -> Resident:
    """Close the current stay (if any) and open one in ``household``."""
    current = Residence.objects.filter(resident=resident, end_reason="").first()
    if current is not None:
        current.moved_out_on = on
        current.end_reason = EndReason.MOVED_WITHIN
        current.save()
    resident.household = household
    resident.relation = relation
    resident.status = ResidentStatus.LIVING
    resident.moved_in_on = on
    resident.moved_out_on = None
    resident.save()
    Residence.objects.create(resident=resident, household=household, relation=relation, moved_in_on=on)
    return resident


@transaction.atomic
def move_resident(
    scope: Scope, resident: Resident, household: Household, relation: str, on: date | None = None
) -> Resident:
    """Move a person to another door of the same committee (or back in after moving away)."""
    require_editor(scope)
    _require_resident_in_scope(scope, resident)
    _require_household_in_scope(scope, household)
    on = on or timezone.localdate()
    if household.committee_id != resident.committee_id:
        raise ValidationError(
            {"household": _("A move to another committee is recorded there: record the move-out here.")}
        )
    if household.pk == resident.household_id and resident.status == ResidentStatus.LIVING:
        raise ValidationError({"household": _("%(name)s already lives here.") % {"name": resident.name}})
    if relation not in Relation.values:
        raise ValidationError({"relation": _("Choose the relation to the householder.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date of the move is in the future.")})
    _householder_taken(household, relation, exclude=resident)
    return _move(resident, household, relation, on)


@transaction.atomic
def move_out(scope: Scope, resident: Resident, *, on: date | None = None, deceased: bool = False) -> Resident:
    """Record that a person moved away or died. The record and its history stay; after the
    retention period the identity is removed (``registry.privacy.anonymise_expired``)."""
    require_editor(scope)
    _require_resident_in_scope(scope, resident)
    on = on or timezone.localdate()
    if not resident.is_living:
        raise ValidationError(_("%(name)s no longer lives here.") % {"name": resident.name})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date is in the future.")})
    if resident.moved_in_on and on < resident.moved_in_on:
        raise ValidationError({"on": _("The date is before the move-in date.")})
    Residence.objects.filter(resident=resident, end_reason="").update(
        moved_out_on=on, end_reason=EndReason.DECEASED if deceased else EndReason.MOVED_OUT
    )
    resident.status = ResidentStatus.DECEASED if deceased else ResidentStatus.MOVED_OUT
    resident.moved_out_on = on
    resident.save()
    GroupLeader.objects.filter(resident=resident, until__isnull=True).update(until=on)
    return resident


@transaction.atomic
def record_consent(scope: Scope, resident: Resident, *, on: date, how: str) -> Resident:
    """When and how the person agreed to their data being kept (PIPL)."""
    require_editor(scope)
    _require_resident_in_scope(scope, resident)
    how = how.strip()
    if not how:
        raise ValidationError({"how": _("Say how consent was given, e.g. “signed the paper form”.")})
    resident.consent_on, resident.consent_note = on, how[:100]
    resident.save()
    return resident


# --- Tags -------------------------------------------------------------------------------------


def _check_tag(tag: str) -> None:
    if tag not in SETTABLE_TAGS:
        if tag in Tag.values:
            raise ValidationError(
                {"tag": _("“%(tag)s” is worked out from the birth date.") % {"tag": Tag(tag).label}}
            )
        raise ValidationError({"tag": _("“%(tag)s” is not a tag.") % {"tag": tag}})


@transaction.atomic
def set_tags(scope: Scope, resident: Resident, tags: Iterable[str], actor: User | None) -> list[str]:
    """Make the resident's staff-set tags exactly ``tags``; returns what changed."""
    require_editor(scope)
    _require_resident_in_scope(scope, resident)
    wanted = set(tags)
    for tag in wanted:
        _check_tag(tag)
    have = {t.tag: t for t in resident.tags.all()}
    changed = []
    for tag in sorted(wanted - have.keys()):
        ResidentTag.objects.create(resident=resident, tag=tag, set_by=actor, source=TagSource.MANUAL)
        changed.append(f"+{tag}")
    for tag in sorted(have.keys() - wanted):
        have[tag].delete()
        changed.append(f"-{tag}")
    return changed


@transaction.atomic
def bulk_tag(scope: Scope, resident_ids: Iterable[int], tag: str, *, add: bool, actor: User | None) -> int:
    """Add or remove one tag on many residents of the scope; returns how many changed.

    Ids outside the scope are ignored, never tagged: a tampered form changes nothing it
    should not.
    """
    require_editor(scope)
    _check_tag(tag)
    residents = scope.restrict(Resident.objects.filter(pk__in=list(resident_ids), anonymised_at__isnull=True))
    if add:
        have = set(
            ResidentTag.objects.filter(resident__in=residents, tag=tag).values_list("resident_id", flat=True)
        )
        new = [
            ResidentTag(resident_id=pk, tag=tag, set_by=actor, source=TagSource.MANUAL)
            for pk in residents.values_list("pk", flat=True)
            if pk not in have
        ]
        for row in new:
            row.save()  # one by one, so that each gets its audit entry
        return len(new)
    removed = 0
    for row in ResidentTag.objects.filter(resident__in=residents, tag=tag):
        row.delete()
        removed += 1
    return removed


# --- Building leaders -------------------------------------------------------------------------


@transaction.atomic
def assign_leader(
    scope: Scope, group: Area, resident: Resident, position: str, since: date | None = None
) -> GroupLeader:
    """A living resident of the building group becomes its 楼组长 or 第二楼组长.

    A group has one building leader at a time (the new one ends the old one's post) and may
    have several second leaders.
    """
    require_editor(scope)
    if group.level != AreaLevel.BUILDING_GROUP or not scope.covers(group):
        raise PermissionDenied(_("This building group lies outside your area."))
    _require_resident_in_scope(scope, resident)
    if position not in LeaderPosition.values:
        raise ValidationError({"position": _("Choose building leader or second building leader.")})
    if not resident.is_living or not resident.household.building.path.startswith(group.path):
        raise ValidationError(
            {
                "resident": _("%(name)s does not live in %(group)s.")
                % {"name": resident.name, "group": group.name}
            }
        )
    since = since or timezone.localdate()
    active = GroupLeader.objects.filter(group=group, until__isnull=True)
    if active.filter(resident=resident).exists():
        raise ValidationError(
            {
                "resident": _("%(name)s already holds a post in %(group)s.")
                % {"name": resident.name, "group": group.name}
            }
        )
    if position == LeaderPosition.LEADER:
        for post in active.filter(position=LeaderPosition.LEADER):
            post.until = since
            post.save()
    return GroupLeader.objects.create(group=group, resident=resident, position=position, since=since)


@transaction.atomic
def end_leader(scope: Scope, post: GroupLeader, until: date | None = None) -> GroupLeader:
    require_editor(scope)
    if not scope.covers(post.group):
        raise PermissionDenied(_("This building group lies outside your area."))
    if post.until is not None:
        raise ValidationError(_("This post has already ended."))
    post.until = until or timezone.localdate()
    post.save()
    return post
