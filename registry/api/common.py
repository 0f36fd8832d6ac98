"""What every registry endpoint shares: the error answers, the path parameters, and the
lookups that always go through the request's scope (anything outside it is a 404)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import File, Form, Path
from ninja.errors import HttpError

from areas.api import CODE
from areas.models import Area, AreaLevel
from common.api import MAX_ID
from common.scope import Capability, staff_scope
from registry.models import Household, Resident
from registry.rules import PersonInput
from registry.schemas import PersonIn

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_RESPONSE = {
    "responses": {
        200: {
            "description": "The workbook.",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
HOUSEHOLD_ID = Path(..., ge=1, le=MAX_ID, description="A household's id.")
RESIDENT_ID = Path(..., ge=1, le=MAX_ID, description="A resident's id.")
IMPORT_ID = Path(..., ge=1, le=MAX_ID, description="A census import's id.")
REGISTRATION_ID = Path(..., ge=1, le=MAX_ID, description="A registration's id.")
UPLOAD = File(..., description="The census sheet, .xlsx, .xls, .ods or .csv.")
COMMITTEE_FORM = Form(..., max_length=64, description="The committee's code.")
PROXY_ID = Path(..., ge=1, le=MAX_ID, description="A proxy link's id.")


# --- Lookups through the scope -------------------------------------------------------------------


def area_in_scope(request, code: str, capability: str = Capability.VIEW_PEOPLE) -> Area:
    scope = staff_scope(request, capability)
    area = (
        scope.restrict(Area.objects.select_related("parent")).filter(code=code).first()
        if CODE.match(code)
        else None
    )
    if area is None:
        raise HttpError(404, _("No area with code %(code)s in your area.") % {"code": code[:64]})
    return area


def living_prefetch():
    return Prefetch(
        "residents",
        queryset=Resident.objects.living().prefetch_related("tags").order_by("pk"),
        to_attr="living",
    )


def household_in_scope(request, household_id: int, capability: str = Capability.VIEW_PEOPLE) -> Household:
    scope = staff_scope(request, capability)
    return scope.get(
        Household.objects.select_related("building").prefetch_related(living_prefetch()),
        _("No household %(id)d in your area.") % {"id": household_id},
        pk=household_id,
    )


def resident_in_scope(request, resident_id: int, capability: str = Capability.VIEW_PEOPLE) -> Resident:
    scope = staff_scope(request, capability)
    return scope.get(
        Resident.objects.select_related("household__building", "committee").prefetch_related("tags"),
        _("No resident %(id)d in your area.") % {"id": resident_id},
        pk=resident_id,
        anonymised_at__isnull=True,
    )


def building_to_edit(request, code: str) -> Area:
    area = area_in_scope(request, code, Capability.EDIT_REGISTRY)
    if area.level != AreaLevel.BUILDING:
        raise HttpError(422, _("%(name)s is not a building.") % {"name": area.name})
    return area


def person_input(payload: PersonIn, keep: bool = False) -> PersonInput:
    """A PersonInput; on an update, notes and number left out of the payload are kept."""
    data = payload.dict(exclude_unset=keep)
    return PersonInput(
        name=payload.name,
        id_number=data.get("id_number") if "id_number" in data or not keep else None,
        gender=payload.gender,
        birth_date=payload.birth_date,
        phone=payload.phone,
        relation=payload.relation,
        residence_type=payload.residence_type,
        moved_in_on=payload.moved_in_on,
        health_notes=data.get("health_notes") if "health_notes" in data else (None if keep else ""),
        key_notes=data.get("key_notes") if "key_notes" in data else (None if keep else ""),
    )
