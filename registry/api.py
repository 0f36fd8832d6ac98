"""API endpoints of the household registry: the same services and selectors as the pages, the
same scope. Identity numbers are masked everywhere but ``/reveal``, which logs its reason.

Who may do what: reading needs a role that sees people (social worker, committee lead,
building leader, street/district/city admin); changing needs one that keeps the registry;
revealing, one that may reveal; an unmasked export, a lead. Anything outside the role's area
answers 404, exactly like something that does not exist.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from accounts.roles import Capability
from accounts.schemas import MAX_ID, Error, ValidationErrorOut
from accounts.scope import staff_scope
from areas.api import CODE, CODE_PARAM, Pages
from areas.models import Area, Level
from registry import privacy, selectors, services, verification
from registry.census import uploads
from registry.census.export import export_xlsx
from registry.community_map import build_plan
from registry.models import (
    AccessLog,
    CensusImport,
    Household,
    Proxy,
    Registration,
    RegistrationStatus,
    Residence,
    Resident,
    Tag,
)
from registry.models import (
    Status as ResidentStatus,
)
from registry.rules import PersonInput
from registry.schemas import (
    AccessLogOut,
    AccountIn,
    AccountOut,
    BulkTagIn,
    BulkTagOut,
    CandidateOut,
    ConsentIn,
    ExportIn,
    HouseholdDetailOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdPatch,
    ImportOut,
    LeaderIn,
    LeaderOut,
    MapOut,
    MoveIn,
    MoveOutIn,
    MyRegistryOut,
    PersonIn,
    ProxyIn,
    ProxyOut,
    RegisterIn,
    RegistrationOut,
    RejectIn,
    ResidentOut,
    RevealIn,
    RevealOut,
    SelfVerifyIn,
    SummaryOut,
    TagsIn,
    VerifyIn,
)

router = Router(tags=["registry"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}
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
UPLOAD = File(..., description="The census sheet, .xlsx or .csv.")
COMMITTEE_FORM = Form(..., max_length=64, description="The committee's code.")
PROXY_ID = Path(..., ge=1, le=MAX_ID, description="A proxy link's id.")


# --- Lookups through the scope -------------------------------------------------------------------


def _area(request, code: str, capability: str = Capability.VIEW_PEOPLE) -> Area:
    scope = staff_scope(request, capability)
    area = (
        scope.restrict(Area.objects.select_related("parent")).filter(code=code).first()
        if CODE.match(code)
        else None
    )
    if area is None:
        raise HttpError(404, _("No area with code %(code)s in your area.") % {"code": code[:64]})
    return area


def _living():
    return Prefetch(
        "residents",
        queryset=Resident.objects.filter(status=ResidentStatus.LIVING, anonymised_at__isnull=True)
        .prefetch_related("tags")
        .order_by("pk"),
        to_attr="living",
    )


def _household(request, household_id: int, capability: str = Capability.VIEW_PEOPLE) -> Household:
    scope = staff_scope(request, capability)
    found = scope.restrict(Household.objects.select_related("building").prefetch_related(_living())).filter(
        pk=household_id
    )
    household = found.first()
    if household is None:
        raise HttpError(404, _("No household %(id)d in your area.") % {"id": household_id})
    return household


def _resident(request, resident_id: int, capability: str = Capability.VIEW_PEOPLE) -> Resident:
    scope = staff_scope(request, capability)
    person = (
        scope.restrict(
            Resident.objects.select_related("household__building", "committee").prefetch_related("tags")
        )
        .filter(pk=resident_id, anonymised_at__isnull=True)
        .first()
    )
    if person is None:
        raise HttpError(404, _("No resident %(id)d in your area.") % {"id": resident_id})
    return person


def _building(request, code: str) -> Area:
    area = _area(request, code, Capability.EDIT_REGISTRY)
    if area.level != Level.BUILDING:
        raise HttpError(422, _("%(name)s is not a building.") % {"name": area.name})
    return area


def _person(payload: PersonIn, keep: bool = False) -> PersonInput:
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


# --- Figures, map, lists ---------------------------------------------------------------------------


@router.get("/areas/{code}/summary", response={200: SummaryOut, **ERRORS}, summary="Figures of an area")
def area_summary(request, code: str = CODE_PARAM):
    """Households, living residents, verified accounts and the on-cloud rate of the area and of
    its parts (a committee's building groups, a street's committees…), and residents per tag."""
    area = _area(request, code)
    overview = selectors.overview(area)

    def figures(row):
        return {
            "area": row.area,
            "households": row.households,
            "residents": row.residents,
            "verified": row.verified,
            "on_cloud_rate": row.on_cloud_rate,
        }

    return {
        "figures": figures(overview.figures),
        "parts": [figures(row) for row in overview.children],
        "tags": overview.tags,
    }


@router.get("/areas/{code}/map", response={200: MapOut, **ERRORS}, summary="Community map of a committee")
def area_map(request, code: str = CODE_PARAM, metric: str = Query("residents", max_length=30)):
    """The committee's buildings with their plan positions and the chosen figure: residents,
    households, on_cloud, or a tag (living_alone, aged_80 …)."""
    area = _area(request, code)
    if area.level != Level.COMMITTEE:
        raise HttpError(422, _("The community map is drawn for a committee."))
    plan = build_plan(area, metric)
    return {
        "metric": plan.metric.key,
        "metric_label": str(plan.metric.label),
        "percent": plan.metric.percent,
        "width": plan.width,
        "height": plan.height,
        "cells": [
            {
                "building": c.building,
                "group": c.group,
                "value": c.value,
                "placed": c.placed,
                "x": c.x,
                "y": c.y,
            }
            for c in plan.cells
        ],
    }


class ResidentFilters(Schema):
    q: str = Query(
        "", max_length=50, description="Name, pinyin, initials, part of a phone, a room or a whole ID."
    )
    area: str | None = Query(None, max_length=64, description="Only residents under this area code.")
    tag: Tag | None = None
    status: ResidentStatus = ResidentStatus.LIVING


@router.get("/residents", response={200: list[ResidentOut], **ERRORS}, summary="Search and list residents")
@paginate(Pages)
def list_residents(request, filters: Query[ResidentFilters]):
    """With `q`, the search of the registry pages (best matches first, at most 50); otherwise the
    residents under `area` (default: the role's area) by door, optionally with one tag."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    area = _area(request, filters.area) if filters.area else scope.area
    if filters.q.strip():
        found = selectors.search_residents(scope, filters.q)
        return [p for p in found if p.household.building.path.startswith(area.path)]
    return selectors.residents_in(scope, area, tag=filters.tag or "", status=filters.status)


@router.get("/residents/{resident_id}", response={200: ResidentOut, **ERRORS}, summary="One resident")
def get_resident(request, resident_id: int = RESIDENT_ID):
    return _resident(request, resident_id)


@router.patch("/residents/{resident_id}", response={200: ResidentOut, **ERRORS}, summary="Change a resident")
def update_resident(request, payload: PersonIn, resident_id: int = RESIDENT_ID):
    """Correct a person's details. The identity number and the notes are kept unless sent;
    `tags`, when sent, become the resident's staff-set tags."""
    person = _resident(request, resident_id, Capability.EDIT_REGISTRY)
    with transaction.atomic():
        services.update_resident(request.scope, person, _person(payload, keep=True))
        if payload.tags is not None:
            services.set_tags(request.scope, person, payload.tags, request.user)
    return _resident(request, resident_id)


@router.post(
    "/residents/{resident_id}/move", response={200: ResidentOut, **ERRORS}, summary="Move to another door"
)
def move_resident(request, payload: MoveIn, resident_id: int = RESIDENT_ID):
    """Moved to another door of the same committee; the door's household is made if missing."""
    person = _resident(request, resident_id, Capability.EDIT_REGISTRY)
    building = _building(request, payload.building)
    with transaction.atomic():
        unit, room = services.clean_door(payload.unit, payload.room)
        home = Household.objects.filter(building=building, unit=unit, room=room).first()
        home = home or services.create_household(request.scope, building, unit=unit, room=room)
        services.move_resident(request.scope, person, home, payload.relation, on=payload.on)
    return _resident(request, resident_id)


@router.post(
    "/residents/{resident_id}/move-out", response={200: ResidentOut, **ERRORS}, summary="Moved away or died"
)
def move_out(request, payload: MoveOutIn, resident_id: int = RESIDENT_ID):
    person = _resident(request, resident_id, Capability.EDIT_REGISTRY)
    services.move_out(request.scope, person, on=payload.on, deceased=payload.deceased)
    return _resident(request, resident_id)


@router.put(
    "/residents/{resident_id}/tags", response={200: ResidentOut, **ERRORS}, summary="Set a resident's tags"
)
def set_tags(request, payload: TagsIn, resident_id: int = RESIDENT_ID):
    """Exactly these staff-set tags; age tags (aged_80, minor) follow the birth date."""
    person = _resident(request, resident_id, Capability.EDIT_REGISTRY)
    services.set_tags(request.scope, person, payload.tags, request.user)
    return _resident(request, resident_id)


@router.post(
    "/residents/{resident_id}/consent", response={200: ResidentOut, **ERRORS}, summary="Record consent"
)
def record_consent(request, payload: ConsentIn, resident_id: int = RESIDENT_ID):
    person = _resident(request, resident_id, Capability.EDIT_REGISTRY)
    services.record_consent(request.scope, person, on=payload.on, how=payload.how)
    return _resident(request, resident_id)


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
    person = _resident(request, resident_id, Capability.REVEAL_IDENTITY)
    value = privacy.reveal(request.user, request.scope, person, payload.field, payload.reason)
    return {"field": payload.field, "value": value}


# --- Households ----------------------------------------------------------------------------------


@router.get("/households", response={200: list[HouseholdOut], **ERRORS}, summary="Households of an area")
@paginate(Pages)
def list_households(
    request, area: str | None = Query(None, max_length=64, description="An area code; default: your role's.")
):
    """The doors under the area, by building and room, each with who lives there now."""
    scope = staff_scope(request, Capability.VIEW_PEOPLE)
    place = _area(request, area) if area else scope.area
    return (
        scope.restrict(Household.objects.filter(building__path__startswith=place.path))
        .select_related("building")
        .prefetch_related(_living())
        .order_by("building__path", "sort_key")
    )


@router.post("/households", response={201: HouseholdDetailOut, **ERRORS}, summary="Add a household")
def create_household(request, payload: HouseholdIn):
    building = _building(request, payload.building)
    home = services.create_household(
        request.scope, building, unit=payload.unit, room=payload.room, phone=payload.phone, note=payload.note
    )
    return Status(201, _household_detail(request, home.pk))


def _household_detail(request, household_id: int) -> Household:
    home = _household(request, household_id)
    home.history = list(
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
    home = _household(request, household_id, Capability.EDIT_REGISTRY)
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
    home = _household(request, household_id, Capability.EDIT_REGISTRY)
    with transaction.atomic():
        person = services.add_resident(request.scope, home, _person(payload))
        if payload.tags:
            services.set_tags(request.scope, person, payload.tags, request.user)
    return Status(201, _resident(request, person.pk))


# --- Building leaders ------------------------------------------------------------------------------


@router.get("/areas/{code}/leaders", response={200: list[LeaderOut], **ERRORS}, summary="Building leaders")
def list_leaders(request, code: str = CODE_PARAM):
    group = _area(request, code)
    if group.level != Level.BUILDING_GROUP:
        raise HttpError(422, _("Building leaders belong to a building group."))
    return selectors.leaders_of(group)


@router.post(
    "/areas/{code}/leaders", response={201: LeaderOut, **ERRORS}, summary="Appoint a building leader"
)
def appoint_leader(request, payload: LeaderIn, code: str = CODE_PARAM):
    group = _area(request, code, Capability.EDIT_REGISTRY)
    person = _resident(request, payload.resident_id, Capability.EDIT_REGISTRY)
    return Status(201, services.assign_leader(request.scope, group, person, payload.position))


# --- Exports, the access log -----------------------------------------------------------------------


def _xlsx(path, area: Area, masked: bool) -> FileResponse:
    stamp = timezone.localtime().strftime("%Y%m%d")
    name = f"{area.code}-registry-{stamp}{'-masked' if masked else ''}.xlsx"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=XLSX)
    path.unlink()
    return response


@router.get(
    "/areas/{code}/export",
    response={200: None, **ERRORS},
    summary="Export the registry (masked)",
    openapi_extra=XLSX_RESPONSE,
)
def export_masked(request, code: str = CODE_PARAM):
    """The residents under the area as .xlsx in the census layout, identity numbers masked."""
    area = _area(request, code)
    path, _count = export_xlsx(request.scope, area, unmasked=False)
    return _xlsx(path, area, masked=True)


@router.post(
    "/areas/{code}/export",
    response={200: None, **ERRORS},
    summary="Export the registry in full",
    openapi_extra=XLSX_RESPONSE,
)
def export_full(request, payload: ExportIn, code: str = CODE_PARAM):
    """Full identity numbers and notes, for a committee lead, with a reason: written to the
    access log with the number of records. It imports back unchanged."""
    area = _area(request, code, Capability.EXPORT_UNMASKED)
    path, count = export_xlsx(request.scope, area, unmasked=True)
    privacy.log_export(request.user, request.scope, area, count, payload.reason)
    return _xlsx(path, area, masked=False)


@router.get("/access-log", response={200: list[AccessLogOut], **ERRORS}, summary="The access log")
@paginate(Pages)
def access_log(request):
    """Who saw which full value, when and why (for committee leads and above)."""
    scope = staff_scope(request, Capability.READ_AUDIT)
    return scope.restrict(AccessLog.objects.select_related("actor", "resident")).order_by("-at", "-pk")


# --- Census imports --------------------------------------------------------------------------------


def _census(request, import_id: int) -> CensusImport:
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    census = scope.restrict(CensusImport.objects.select_related("committee")).filter(pk=import_id).first()
    if census is None:
        raise HttpError(404, _("No census import %(id)d in your area.") % {"id": import_id})
    return census


@router.post("/imports", response={201: ImportOut, **ERRORS}, summary="Upload a census sheet (dry run)")
def create_import(request, file: UploadedFile = UPLOAD, committee: str = COMMITTEE_FORM):
    """Check a .xlsx or .csv census for a committee: nothing is written; the answer is the
    report. Apply it with POST /imports/{id}/apply once it has no problems."""
    area = _area(request, committee, Capability.EDIT_REGISTRY)
    if area.level != Level.COMMITTEE:
        raise HttpError(422, _("A census is imported for a committee."))
    census = uploads.check_upload(request.user, request.scope, area, file)
    return Status(201, census)


@router.get(
    "/imports/{import_id}", response={200: ImportOut, **ERRORS}, summary="A census import and its report"
)
def get_import(request, import_id: int = IMPORT_ID):
    return _census(request, import_id)


@router.post(
    "/imports/{import_id}/apply", response={200: ImportOut, **ERRORS}, summary="Apply a checked census"
)
def apply_import(request, import_id: int = IMPORT_ID):
    """All rows in one transaction, or none: the checks of the dry run run again inside."""
    census = _census(request, import_id)
    return uploads.apply_upload(request.user, request.scope, census)


@router.post("/imports/{import_id}/discard", response={200: ImportOut, **ERRORS}, summary="Discard an upload")
def discard_import(request, import_id: int = IMPORT_ID):
    census = _census(request, import_id)
    return uploads.discard_upload(request.user, request.scope, census)


# --- Accounts: verification, staff-made accounts, proxies --------------------------------------------


@router.get(
    "/registrations", response={200: list[RegistrationOut], **ERRORS}, summary="Registrations to verify"
)
@paginate(Pages)
def list_registrations(request, status: RegistrationStatus = RegistrationStatus.PENDING):
    scope = staff_scope(request, Capability.MANAGE_ACCOUNTS)
    found = scope.restrict(
        Registration.objects.filter(status=status).select_related("user", "area", "committee")
    )
    return found.order_by("created_at", "pk")


def _registration(request, registration_id: int) -> Registration:
    scope = staff_scope(request, Capability.MANAGE_ACCOUNTS)
    entry = (
        scope.restrict(Registration.objects.select_related("user", "area", "committee"))
        .filter(pk=registration_id)
        .first()
    )
    if entry is None:
        raise HttpError(404, _("No registration %(id)d in your area.") % {"id": registration_id})
    return entry


@router.get(
    "/registrations/{registration_id}/candidates",
    response={200: list[CandidateOut], **ERRORS},
    summary="Records a registration may belong to",
)
def registration_candidates(request, registration_id: int = REGISTRATION_ID):
    entry = _registration(request, registration_id)
    return verification.candidates(entry) if entry.status == RegistrationStatus.PENDING else []


@router.post(
    "/registrations/{registration_id}/verify", response={200: RegistrationOut, **ERRORS}, summary="Verify"
)
def verify_registration(request, payload: VerifyIn, registration_id: int = REGISTRATION_ID):
    entry = _registration(request, registration_id)
    person = _resident(request, payload.resident_id, Capability.MANAGE_ACCOUNTS)
    verification.verify(request.user, request.scope, entry, person)
    return _registration(request, registration_id)


@router.post(
    "/registrations/{registration_id}/reject",
    response={200: RegistrationOut, **ERRORS},
    summary="Not verified",
)
def reject_registration(request, payload: RejectIn, registration_id: int = REGISTRATION_ID):
    entry = _registration(request, registration_id)
    return verification.reject(request.user, request.scope, entry, payload.note)


@router.post(
    "/residents/{resident_id}/account",
    response={201: AccountOut, **ERRORS},
    summary="Make an account for a resident",
)
def create_account(request, payload: AccountIn, resident_id: int = RESIDENT_ID):
    """For a resident who cannot register themselves: verified at once; the temporary password
    is in this answer only, and must be changed at the first login."""
    person = _resident(request, resident_id, Capability.MANAGE_ACCOUNTS)
    user, password = verification.create_account(request.user, request.scope, person, payload.phone)
    return Status(201, {"phone": user.phone, "temporary_password": password})


@router.get(
    "/residents/{resident_id}/proxies", response={200: list[ProxyOut], **ERRORS}, summary="Family proxies"
)
def list_proxies(request, resident_id: int = RESIDENT_ID):
    person = _resident(request, resident_id, Capability.MANAGE_ACCOUNTS)
    return list(person.proxies.filter(revoked_at__isnull=True).select_related("user"))


@router.post(
    "/residents/{resident_id}/proxies", response={201: ProxyOut, **ERRORS}, summary="Link a family proxy"
)
def link_proxy(request, payload: ProxyIn, resident_id: int = RESIDENT_ID):
    """A family member (who has an account) acts for the resident: 家属代办."""
    person = _resident(request, resident_id, Capability.MANAGE_ACCOUNTS)
    return Status(
        201, verification.link_proxy(request.user, request.scope, person, payload.phone, payload.relation)
    )


@router.delete(
    "/residents/{resident_id}/proxies/{proxy_id}",
    response={204: None, **ERRORS},
    summary="Unlink a family proxy",
)
def unlink_proxy(request, resident_id: int = RESIDENT_ID, proxy_id: int = PROXY_ID):
    person = _resident(request, resident_id, Capability.MANAGE_ACCOUNTS)
    proxy = Proxy.objects.filter(resident=person, pk=proxy_id, revoked_at__isnull=True).first()
    if proxy is None:
        raise HttpError(404, _("No such family proxy of this resident."))
    verification.unlink_proxy(request.user, request.scope, proxy)
    return Status(204, None)


# --- The resident's own ----------------------------------------------------------------------------


@router.post(
    "/register",
    auth=None,
    response={201: RegistrationOut, 400: Error, 404: Error, 422: ValidationErrorOut},
    summary="Sign up",
)
def register(request, payload: RegisterIn):
    """A new resident account and a registration with the committee, to be verified by staff
    or with POST /registry/me/verify. Log in with POST /auth/token afterwards."""
    committee = Area.objects.filter(code=payload.committee, level=Level.COMMITTEE).active().first()
    if committee is None:
        raise HttpError(404, _("No committee with code %(code)s.") % {"code": payload.committee[:64]})
    building = None
    if payload.building:
        building = Area.objects.subtree(committee).filter(code=payload.building, level=Level.BUILDING).first()
        if building is None:
            raise HttpError(
                404, _("No building %(code)s in that committee.") % {"code": payload.building[:64]}
            )
    entry = verification.register(
        phone=payload.phone,
        name=payload.name,
        password=payload.password,
        committee=committee,
        building=building,
        unit=payload.unit,
        room=payload.room,
    )
    return Status(201, entry)


@router.get("/me", response={200: MyRegistryOut, 401: Error}, summary="My registry record")
def my_registry(request):
    user = request.user
    record = (
        Resident.objects.filter(user=user, anonymised_at__isnull=True)
        .select_related("household__building")
        .prefetch_related("tags")
        .first()
    )
    return {
        "record": record,
        "registration": verification.pending_registration(user),
        "acting_for": [p.resident for p in verification.acting_for(user)],
    }


@router.post(
    "/me/verify",
    response={200: MyRegistryOut, 400: Error, 401: Error, 422: ValidationErrorOut},
    summary="Verify myself",
)
def verify_me(request, payload: SelfVerifyIn):
    """Type your identity number: it must match the committee's record of you (same name).
    Five wrong numbers and only the committee can verify you."""
    verification.verify_self(request.user, payload.id_number)
    return my_registry(request)


@router.get("/me/data", response={200: dict, 401: Error}, summary="Everything held about me")
def my_data(request):
    """Your account, your record in full, where you lived, who looked at your data and why.
    The download itself is logged."""
    return privacy.own_data(request.user)
