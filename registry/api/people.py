"""Residents and households: search, lists, changes, moves, tags, reveals, building leaders."""

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from areas.api import CODE_PARAM
from areas.models import AreaLevel
from common.api import ERRORS, Pages
from common.schemas import Text
from common.scope import Capability, staff_scope
from registry import privacy, selectors, services
from registry.api.common import (
    HOUSEHOLD_ID,
    RESIDENT_ID,
    area_in_scope,
    building_to_edit,
    household_in_scope,
    living_prefetch,
    person_input,
    resident_in_scope,
)
from registry.models import Household, Residence, ResidentStatus, Tag
from registry.schemas import (
    BulkTagIn,
    BulkTagOut,
    ConsentIn,
    HouseholdDetailOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdPatch,
    LeaderIn,
    LeaderOut,
    MoveIn,
    MoveOutIn,
    PersonIn,
    ResidentOut,
    RevealIn,
    RevealOut,
    TagsIn,
)

router = Router(tags=["registry"])


class ResidentFilters(Schema):
    q: Text = Query(
        "",
        max_length=50,
        description=(
            "Name, pinyin, initials, part of a phone or a room. A whole identity number is a 422 "
            "here (a query string is logged): POST it to /residents/search."
        ),
    )
    area: Text | None = Query(None, max_length=64, description="Only residents under this area code.")
    tag: Tag | None = None
    status: ResidentStatus = ResidentStatus.LIVING


@router.get("/residents", response={200: list[ResidentOut], **ERRORS}, summary="Search and list residents")
@paginate(Pages)
def list_residents(request, filters: Query[ResidentFilters]):
    """With `q`, the search of the registry pages (best matches first, at most 50); otherwise the
    residents under `area` (default: the role's area) by door, optionally with one tag."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    area = area_in_scope(request, filters.area) if filters.area else scope.area
    if filters.q.strip():
        if selectors.is_identity_query(filters.q):
            raise HttpError(
                422,
                _("Send an identity-card number in the body of POST /residents/search, never in an address."),
            )
        found = selectors.search_residents(scope, filters.q)
        return [p for p in found if p.household.building.path.startswith(area.path)]
    return selectors.residents_in(scope, area, tag=filters.tag or "", status=filters.status)


class ResidentSearchIn(Schema):
    q: Text = Field(
        ...,
        min_length=1,
        max_length=50,
        description="A whole identity number, or anything the list's `q` takes.",
    )
    area: Text | None = Field(None, max_length=64, description="Only residents under this area code.")


@router.post(
    "/residents/search", response={200: list[ResidentOut], **ERRORS}, summary="Search residents, by ID too"
)
def search_residents(request, payload: ResidentSearchIn):
    """The search of the registry pages, sent in the body: the one way to find a resident by a
    whole identity number (through its keyed hash), which must never travel in an address.
    Best matches first, at most 50."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    area = area_in_scope(request, payload.area) if payload.area else scope.area
    found = selectors.search_residents(scope, payload.q, by_identity=True)
    return [p for p in found if p.household.building.path.startswith(area.path)]


@router.get("/residents/{resident_id}", response={200: ResidentOut, **ERRORS}, summary="One resident")
def get_resident(request, resident_id: int = RESIDENT_ID):
    return resident_in_scope(request, resident_id)


@router.patch("/residents/{resident_id}", response={200: ResidentOut, **ERRORS}, summary="Change a resident")
def update_resident(request, payload: PersonIn, resident_id: int = RESIDENT_ID):
    """Correct a person's details. The identity number and the notes are kept unless sent;
    `tags`, when sent, become the resident's staff-set tags."""
    person = resident_in_scope(request, resident_id, Capability.EDIT_REGISTRY)
    with transaction.atomic():
        services.update_resident(request.scope, person, person_input(payload, keep=True))
        if payload.tags is not None:
            services.set_tags(request.scope, person, payload.tags, request.user)
    return resident_in_scope(request, resident_id)


@router.post(
    "/residents/{resident_id}/move", response={200: ResidentOut, **ERRORS}, summary="Move to another door"
)
def move_resident(request, payload: MoveIn, resident_id: int = RESIDENT_ID):
    """Moved to another door of the same committee; the door's household is made if missing."""
    person = resident_in_scope(request, resident_id, Capability.EDIT_REGISTRY)
    building = building_to_edit(request, payload.building)
    with transaction.atomic():
        unit, room = services.clean_door(payload.unit, payload.room)
        home = Household.objects.filter(building=building, unit=unit, room=room).first()
        home = home or services.create_household(request.scope, building, unit=unit, room=room)
        services.move_resident(request.scope, person, home, payload.relation, on=payload.on)
    return resident_in_scope(request, resident_id)


@router.post(
    "/residents/{resident_id}/move-out", response={200: ResidentOut, **ERRORS}, summary="Moved away or died"
)
def move_out(request, payload: MoveOutIn, resident_id: int = RESIDENT_ID):
    person = resident_in_scope(request, resident_id, Capability.EDIT_REGISTRY)
    services.move_out(request.scope, person, on=payload.on, deceased=payload.deceased)
    return resident_in_scope(request, resident_id)


@router.put(
    "/residents/{resident_id}/tags", response={200: ResidentOut, **ERRORS}, summary="Set a resident's tags"
)
def set_tags(request, payload: TagsIn, resident_id: int = RESIDENT_ID):
    """Exactly these staff-set tags; age tags (aged_80, minor) follow the birth date."""
    person = resident_in_scope(request, resident_id, Capability.EDIT_REGISTRY)
    services.set_tags(request.scope, person, payload.tags, request.user)
    return resident_in_scope(request, resident_id)


@router.post(
    "/residents/{resident_id}/consent", response={200: ResidentOut, **ERRORS}, summary="Record consent"
)
def record_consent(request, payload: ConsentIn, resident_id: int = RESIDENT_ID):
    person = resident_in_scope(request, resident_id, Capability.EDIT_REGISTRY)
    services.record_consent(request.scope, person, on=payload.on, how=payload.how)
    return resident_in_scope(request, resident_id)


@router.post("/tags", response={200: BulkTagOut, **ERRORS}, summary="Tag many residents")
def bulk_tag(request, payload: BulkTagIn):
    """Add (or remove) one tag on many residents; ids outside your area are ignored."""
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    changed = services.bulk_tag(scope, payload.resident_ids, payload.tag, add=payload.add, actor=request.user)
    return {"changed": changed}


@router.post(
    "/residents/{resident_id}/reveal", response={200: RevealOut, **ERRORS}, summary="Reveal a full value"
)
def reveal(request, payload: RevealIn, resident_id: int = RESIDENT_ID):
    """The full identity number, health notes or key-person notes, with a reason that is
    written to the access log with who asked and when."""
    person = resident_in_scope(request, resident_id, Capability.REVEAL_IDENTITY)
    value = privacy.reveal(request.user, request.scope, person, payload.field, payload.reason)
    return {"field": payload.field, "value": value}


# --- Households ----------------------------------------------------------------------------------


@router.get("/households", response={200: list[HouseholdOut], **ERRORS}, summary="Households of an area")
@paginate(Pages)
def list_households(
    request, area: Text | None = Query(None, max_length=64, description="An area code; default: your role's.")
):
    """The doors under the area, by building and room, each with who lives there now."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    place = area_in_scope(request, area) if area else scope.area
    return (
        scope.restrict(Household.objects.filter(building__path__startswith=place.path))
        .select_related("building")
        .prefetch_related(living_prefetch())
        .order_by("building__path", "sort_key")
    )


@router.post("/households", response={201: HouseholdDetailOut, **ERRORS}, summary="Add a household")
def create_household(request, payload: HouseholdIn):
    building = building_to_edit(request, payload.building)
    home = services.create_household(
        request.scope, building, unit=payload.unit, room=payload.room, phone=payload.phone, note=payload.note
    )
    return Status(201, _household_detail(request, home.pk))


def _household_detail(request, household_id: int) -> Household:
    home = household_in_scope(request, household_id)
    home.history = list(  # type: ignore[attr-defined]
        Residence.objects.filter(household=home)
        .select_related("resident")
        .order_by("moved_in_on", "created_at", "pk")
    )
    return home


@router.get(
    "/households/{household_id}", response={200: HouseholdDetailOut, **ERRORS}, summary="One household"
)
def get_household(request, household_id: int = HOUSEHOLD_ID):
    """The door, who lives there, and everyone who ever did."""
    return _household_detail(request, household_id)


@router.patch(
    "/households/{household_id}", response={200: HouseholdDetailOut, **ERRORS}, summary="Change a household"
)
def update_household(request, payload: HouseholdPatch, household_id: int = HOUSEHOLD_ID):
    home = household_in_scope(request, household_id, Capability.EDIT_REGISTRY)
    data = payload.dict(exclude_unset=True)
    services.update_household(
        request.scope,
        home,
        unit=data.get("unit", home.unit) or "",
        room=data.get("room", home.room) or "",
        phone=data.get("phone", home.phone) or "",
        note=data.get("note", home.note) or "",
    )
    return _household_detail(request, household_id)


@router.post(
    "/households/{household_id}/residents", response={201: ResidentOut, **ERRORS}, summary="Add a person"
)
def add_resident(request, payload: PersonIn, household_id: int = HOUSEHOLD_ID):
    """Someone living at this door. One living householder per door; one record per identity
    number per committee (someone who lived here before is brought back on their record)."""
    home = household_in_scope(request, household_id, Capability.EDIT_REGISTRY)
    with transaction.atomic():
        person = services.add_resident(request.scope, home, person_input(payload))
        if payload.tags:
            services.set_tags(request.scope, person, payload.tags, request.user)
    return Status(201, resident_in_scope(request, person.pk))


# --- Building leaders ------------------------------------------------------------------------------


@router.get("/areas/{code}/leaders", response={200: list[LeaderOut], **ERRORS}, summary="Building leaders")
def list_leaders(request, code: Text = CODE_PARAM):
    group = area_in_scope(request, code)
    if group.level != AreaLevel.BUILDING_GROUP:
        raise HttpError(422, _("Building leaders belong to a building group."))
    return selectors.leaders_of(group)


@router.post(
    "/areas/{code}/leaders", response={201: LeaderOut, **ERRORS}, summary="Appoint a building leader"
)
def appoint_leader(request, payload: LeaderIn, code: Text = CODE_PARAM):
    group = area_in_scope(request, code, Capability.EDIT_REGISTRY)
    person = resident_in_scope(request, payload.resident_id, Capability.EDIT_REGISTRY)
    return Status(201, services.assign_leader(request.scope, group, person, payload.position))
