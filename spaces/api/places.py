"""Sites, spaces, their hours, closures and rules; the public page: the API.

``GET /public/{code}`` and ``GET /spaces/{id}`` answer any logged-in user, like the public
page (which needs no login at all); the rest is for staff with the spaces capability, through
the same services as the pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Path, Router, Status, UploadedFile
from ninja.errors import HttpError

from areas.models import Area
from areas.selectors import committee_of
from common.api import ERRORS, id_path
from common.schemas import Text
from common.scope import Capability, get_or_404, staff_scope
from spaces import places, selectors
from spaces.models import AudienceRule, Closure, PrioritySlot, Site, Space, SpacePhoto
from spaces.schemas import (
    AudienceRuleIn,
    AudienceRuleOut,
    ClosureIn,
    ClosureOut,
    HoursIn,
    OpeningHoursOut,
    PrioritySlotIn,
    PrioritySlotOut,
    PublicSiteOut,
    PublicSpaceOut,
    SiteIn,
    SiteOut,
    SpaceIn,
    SpaceOut,
    SpacePhotoOut,
)
from spaces.selectors import PublicSpace
from volunteers.models import Team

router = Router(tags=["spaces"])
SITE_ID = id_path("A site's id.")
SPACE_ID = id_path("A space's id.")
CODE = Path(..., max_length=40, description="A committee's (or its part's) code.")
PHOTO = File(..., description="A photo: JPG, PNG, WebP or GIF.")


def _public(row: PublicSpace) -> Space:
    """The space, carrying what its public page shows, for ``PublicSpaceOut``."""
    row.space.public = row  # type: ignore[attr-defined]
    return row.space


@router.get("/public/{code}", response={200: list[PublicSiteOut], **ERRORS}, summary="A committee's spaces")
def public(request, code: Text = CODE):
    """What the committee's public page shows: its sites and spaces, hours, rules, photos and
    the free times of the coming seven days. Names nobody."""
    area = Area.objects.filter(code=code).first()
    committee = committee_of(area) if area is not None else None
    if committee is None:
        raise HttpError(404, _("No committee with code %(code)s.") % {"code": code})
    return [
        {"site": group.site, "spaces": [_public(row) for row in group.spaces]}
        for group in selectors.public_places(committee)
    ]


@router.get("/spaces/{int:space_id}", response={200: PublicSpaceOut, **ERRORS}, summary="One space")
def get_space(request, space_id: int = SPACE_ID):
    found = get_or_404(
        Space.objects.current().select_related("area", "site"), _("No such space."), pk=space_id
    )
    return _public(selectors.public_space(found))


# --- Staff ---------------------------------------------------------------------------------------


def _scope(request):
    return staff_scope(request, Capability.MANAGE_SPACES)


def _kept(request, space_id: int) -> Space:
    scope = _scope(request)
    return scope.get(selectors.kept_spaces(scope), _("No space you keep."), pk=space_id)


def _site_of(request, site_id: int | None) -> Site | None:
    if site_id is None:
        return None
    scope = _scope(request)
    return scope.get(Site.objects.select_related("area"), _("No site you keep."), pk=site_id)


@router.get("/places", response={200: list[SpaceOut], **ERRORS}, summary="Spaces staff keep or see")
def staff_spaces(request):
    return list(selectors.staff_spaces(_scope(request)).order_by("archived_at", "name", "pk")[:500])


@router.get("/sites", response={200: list[SiteOut], **ERRORS}, summary="Sites staff keep or see")
def staff_sites(request):
    return list(selectors.staff_sites(_scope(request)).order_by("closed_at", "name", "pk")[:500])


@router.post("/sites", response={201: SiteOut, **ERRORS}, summary="Add a site")
def create_site(request, payload: SiteIn):
    scope = _scope(request)
    return Status(201, places.create_site(request.user, scope.area, payload.dict(), scope=scope))


@router.put("/sites/{int:site_id}", response={200: SiteOut, **ERRORS}, summary="Change a site")
def change_site(request, payload: SiteIn, site_id: int = SITE_ID):
    found = _site_of(request, site_id)
    assert found is not None
    return places.change_site(request.user, found, payload.dict(), scope=request.scope)


@router.post("/sites/{int:site_id}/close", response={200: SiteOut, **ERRORS}, summary="Close a site")
def close_site(request, site_id: int = SITE_ID):
    found = _site_of(request, site_id)
    assert found is not None
    return places.close_site(request.user, found, scope=request.scope)


def _space_fields(request, payload: SpaceIn) -> dict:
    fields = payload.dict()
    fields["site"] = _site_of(request, payload.site)
    return fields


@router.post("/spaces", response={201: SpaceOut, **ERRORS}, summary="Add a space")
def create_space(request, payload: SpaceIn):
    scope = _scope(request)
    return Status(
        201, places.create_space(request.user, scope.area, _space_fields(request, payload), scope=scope)
    )


@router.put("/spaces/{int:space_id}", response={200: SpaceOut, **ERRORS}, summary="Change a space")
def change_space(request, payload: SpaceIn, space_id: int = SPACE_ID):
    found = _kept(request, space_id)
    return places.change_space(request.user, found, _space_fields(request, payload), scope=request.scope)


@router.post("/spaces/{int:space_id}/archive", response={200: SpaceOut, **ERRORS}, summary="Archive a space")
def archive_space(request, space_id: int = SPACE_ID):
    return places.archive_space(request.user, _kept(request, space_id), scope=request.scope)


@router.put(
    "/spaces/{int:space_id}/hours", response={200: list[OpeningHoursOut], **ERRORS}, summary="Set the week"
)
def set_hours(request, payload: HoursIn, space_id: int = SPACE_ID):
    week: dict[int, list] = {}
    for stretch in payload.hours:
        week.setdefault(stretch.weekday, []).append((stretch.opens, stretch.closes))
    return places.set_hours(request.user, _kept(request, space_id), week, scope=request.scope)


@router.post("/spaces/{int:space_id}/closures", response={201: ClosureOut, **ERRORS}, summary="Add a closure")
def add_closure(request, payload: ClosureIn, space_id: int = SPACE_ID):
    found = _kept(request, space_id)
    return Status(
        201,
        places.add_closure(
            request.user, found, payload.starts_at, payload.ends_at, payload.reason, scope=request.scope
        ),
    )


@router.post(
    "/spaces/{int:space_id}/audience-rules",
    response={201: AudienceRuleOut, **ERRORS},
    summary="Add an audience rule",
)
def add_audience_rule(request, payload: AudienceRuleIn, space_id: int = SPACE_ID):
    found = _kept(request, space_id)
    return Status(
        201,
        places.add_audience_rule(
            request.user,
            found,
            scope=request.scope,
            days=payload.weekdays,
            starts=payload.starts,
            ends=payload.ends,
            note=payload.note,
            min_age=payload.min_age,
            tags=payload.tags,
            free=payload.free,
        ),
    )


@router.post(
    "/spaces/{int:space_id}/priority-slots",
    response={201: PrioritySlotOut, **ERRORS},
    summary="Add a priority slot",
)
def add_priority_slot(request, payload: PrioritySlotIn, space_id: int = SPACE_ID):
    found = _kept(request, space_id)
    team = Team.objects.filter(pk=payload.team).first()
    if team is None:
        raise HttpError(422, _("No team %(id)d.") % {"id": payload.team})
    return Status(
        201,
        places.add_priority_slot(
            request.user,
            found,
            team,
            scope=request.scope,
            days=payload.weekdays,
            starts=payload.starts,
            ends=payload.ends,
            release_hours=payload.release_hours,
        ),
    )


@router.post("/spaces/{int:space_id}/photos", response={201: SpacePhotoOut, **ERRORS}, summary="Add a photo")
def add_photo(request, space_id: int = SPACE_ID, file: UploadedFile = PHOTO):
    made = places.add_photos(request.user, _kept(request, space_id), [file], scope=request.scope)[0]
    return Status(201, {"id": made.pk, "name": made.name, "url": reverse("spaces:photo", args=[made.pk])})


def _remove(request, model, pk: int, service) -> Status:
    scope = _scope(request)
    service(request.user, scope.get(model.objects.select_related("space__area"), pk=pk), scope=scope)
    return Status(204, None)


@router.delete("/closures/{int:closure_id}", response={204: None, **ERRORS}, summary="Remove a closure")
def remove_closure(request, closure_id: int = id_path("A closure's id.")):
    return _remove(request, Closure, closure_id, places.remove_closure)


@router.delete(
    "/audience-rules/{int:audience_rule_id}",
    response={204: None, **ERRORS},
    summary="Remove an audience rule",
)
def remove_audience_rule(request, audience_rule_id: int = id_path("An audience rule's id.")):
    return _remove(request, AudienceRule, audience_rule_id, places.remove_audience_rule)


@router.delete(
    "/priority-slots/{int:priority_slot_id}", response={204: None, **ERRORS}, summary="Remove a priority slot"
)
def remove_priority_slot(request, priority_slot_id: int = id_path("A priority slot's id.")):
    return _remove(request, PrioritySlot, priority_slot_id, places.remove_priority_slot)


@router.delete("/photos/{int:space_photo_id}", response={204: None, **ERRORS}, summary="Remove a photo")
def remove_photo(request, space_photo_id: int = id_path("A photo's id.")):
    return _remove(request, SpacePhoto, space_photo_id, places.remove_photo)
