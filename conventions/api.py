"""API endpoints of conventions: residents read the conventions of their building, comment
during consultation and sign (themselves or those they act for); staff draft, move them
through their phases, tick paper signatures and read the figures. Same services and scope
as the pages; a convention outside the role's area answers 404."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from areas.api import CODE
from areas.models import Area
from common.api import ERRORS, MAX_ID, Pages
from common.schemas import Text
from common.scope import Capability, get_or_404, staff_scope
from conventions import figures, selectors, services, signing
from conventions.models import Clause, Convention, ConventionVersion, Signature, VersionState
from conventions.schemas import (
    ConventionCommentIn,
    ConventionCommentOut,
    ConventionDetailOut,
    ConventionEntryOut,
    ConventionFiguresReport,
    ConventionIn,
    ConventionPhaseIn,
    ConventionSignatureOut,
    ConventionSignerOut,
    ConventionSignIn,
    ConventionStaffCommentOut,
    StaffConventionOut,
)
from conventions.services import ClauseDraft, ConventionDraft
from registry.models import Resident

router = Router(tags=["conventions"])
CONVENTION_ID = Path(..., ge=1, le=MAX_ID, description="A convention's id.")
SIGNATURE_ID = Path(..., ge=1, le=MAX_ID, description="A signature's id.")


class VersionQuery(Schema):
    version: int | None = Query(None, ge=1, le=32767, description="A version's number; default as the page.")


class ConventionListQuery(VersionQuery):
    building: Text | None = Query(None, max_length=64, description="A building's code: only its residents.")


def _visible(request, convention_id: int) -> tuple[Convention, list[ConventionVersion]]:
    missing = _("No convention %(id)d for you.") % {"id": convention_id}
    convention, versions, _staff = selectors.visible_to(request.user, request.scope, convention_id, missing)
    return convention, versions


def _own(request, convention_id: int) -> Convention:
    scope = staff_scope(request, Capability.MANAGE_CONVENTIONS)
    return scope.get(
        Convention.objects.select_related("area", "committee"),
        _("No convention %(id)d in your area.") % {"id": convention_id},
        pk=convention_id,
    )


def _recorded(request, convention_id: int) -> tuple[Convention, list[ConventionVersion]]:
    scope = staff_scope(request, Capability.RECORD_SIGNATURES)
    missing = _("No convention %(id)d in your area.") % {"id": convention_id}
    convention = get_or_404(selectors.for_staff(scope), missing, pk=convention_id)
    versions = list(convention.versions.order_by("number"))
    for version in versions:
        version.convention = convention
    return convention, versions


def _pick(versions: list[ConventionVersion], number: int | None, default=None) -> ConventionVersion:
    if number is not None:
        found = next((v for v in versions if v.number == number), None)
    else:
        found = default if default is not None else selectors.default_version(versions)
    if found is None:
        raise HttpError(404, _("No such version."))
    return found


def _resident(request, resident_id: int) -> Resident:
    person = Resident.objects.living().select_related("household__building").filter(pk=resident_id).first()
    if person is None or signing.acting_as(request.user, person, request.scope) is None:
        raise HttpError(404, _("No resident %(id)d you may act for.") % {"id": resident_id})
    return person


def _detail(request, convention: Convention, versions: list[ConventionVersion], version: ConventionVersion):
    version.convention = convention
    version.clause_list = selectors.clauses_of(version)  # type: ignore[attr-defined]
    counted = version.has_final_text
    return {
        "id": convention.pk,
        "title": convention.title,
        "committee": convention.committee,
        "area": convention.area,
        "per_household": convention.per_household,
        "url": convention.get_absolute_url(),
        "versions": versions,
        "version": version,
        "people": [
            {
                "resident": row.person.pk,
                "name": row.person.name,
                "signature": row.signature,
                "problem": row.problem,
                "comment_problem": row.comment_problem,
            }
            for row in selectors.people_rows(request.user, version)
        ],
        "figures": figures.report(version).total if counted else None,
    }


# --- Residents -------------------------------------------------------------------------------


@router.get(
    "", response={200: list[ConventionEntryOut], **ERRORS}, summary="Conventions for me and my family"
)
def entries(request):
    """Those of your building (and of the people you act for), from consultation on."""
    return [
        {
            "convention": e.convention,
            "version": e.shown,
            "consulting": e.consulting,
            "signed": e.signed,
        }
        for e in selectors.conventions_for(request.user)
    ]


@router.get("/{int:convention_id}", response={200: ConventionDetailOut, **ERRORS}, summary="One convention")
def get_convention(request, query: Query[VersionQuery], convention_id: int = CONVENTION_ID):
    """The text of one version by clause, with you and your family's signatures."""
    convention, versions = _visible(request, convention_id)
    return _detail(request, convention, versions, _pick(versions, query.version))


@router.post(
    "/{int:convention_id}/comments",
    response={201: ConventionCommentOut, **ERRORS},
    summary="Comment on a clause",
)
def comment(request, payload: ConventionCommentIn, convention_id: int = CONVENTION_ID):
    """During consultation, until its closing day, for yourself or someone you act for."""
    _convention, versions = _visible(request, convention_id)
    clause = Clause.objects.filter(pk=payload.clause, version__in=versions).select_related("version").first()
    if clause is None:
        raise HttpError(404, _("No clause %(id)d in this convention.") % {"id": payload.clause})
    clause.version = next(v for v in versions if v.pk == clause.version_id)
    person = _resident(request, payload.resident)
    try:
        return Status(201, signing.comment(request.user, person, clause, payload.text))
    except PermissionDenied:
        raise HttpError(404, _("No resident %(id)d you may act for.") % {"id": payload.resident}) from None


@router.post(
    "/{int:convention_id}/signatures",
    response={201: ConventionSignatureOut, **ERRORS},
    summary="Sign a convention",
)
def sign(request, payload: ConventionSignIn, convention_id: int = CONVENTION_ID):
    """Online, for yourself or someone you act for; default the version open for signing."""
    _convention, versions = _visible(request, convention_id)
    version = _pick(versions, payload.version, selectors.signing_version(versions))
    person = _resident(request, payload.resident)
    try:
        return Status(201, signing.sign(request.user, person, version))
    except PermissionDenied:
        raise HttpError(404, _("No resident %(id)d you may act for.") % {"id": payload.resident}) from None


@router.delete(
    "/signatures/{int:signature_id}",
    response={200: ConventionSignatureOut, **ERRORS},
    summary="Withdraw a signature",
)
def withdraw(request, signature_id: int = SIGNATURE_ID):
    """Yours or that of someone you act for (any member, for a household); staff who record
    signatures undo a paper signature. It may be given again."""
    found = (
        Signature.objects.select_related(
            "version__convention__area", "resident__household__building", "household"
        )
        .filter(pk=signature_id)
        .first()
    )
    if found is None:
        raise HttpError(404, _("No such signature."))
    try:
        return signing.withdraw(request.user, found, scope=request.scope)
    except PermissionDenied:
        raise HttpError(404, _("No such signature.")) from None


# --- Staff -----------------------------------------------------------------------------------


@router.get("/manage", response={200: list[StaffConventionOut], **ERRORS}, summary="The area's conventions")
@paginate(Pages)
def list_conventions(request):
    """With the state of their versions and the signing figures within your area."""
    scope = staff_scope(request, Capability.VIEW_WORKSPACE)
    if not (scope.can(Capability.MANAGE_CONVENTIONS) or scope.can(Capability.RECORD_SIGNATURES)):
        raise PermissionDenied
    conventions = list(selectors.for_staff(scope)[:500])
    return [
        {
            "id": row.convention.pk,
            "title": row.convention.title,
            "committee": row.convention.committee,
            "area": row.convention.area,
            "per_household": row.convention.per_household,
            "url": row.convention.get_absolute_url(),
            "current": row.current,
            "pending": row.pending,
            "figures": row.figures,
        }
        for row in figures.staff_rows(conventions, scope)
    ]


def _draft(payload: ConventionIn, committee: Area) -> ConventionDraft:
    area = (
        Area.objects.subtree(committee).filter(code=payload.area).first()
        if CODE.match(payload.area)
        else None
    )
    if area is None:
        raise HttpError(422, _("No area with code %(code)s in your committee.") % {"code": payload.area[:64]})
    return ConventionDraft(
        title=payload.title,
        area=area,
        per_household=payload.per_household,
        preamble=payload.preamble,
        clauses=[ClauseDraft(theme=c.theme, text=c.text) for c in payload.clauses],
    )


@router.post("", response={201: ConventionDetailOut, **ERRORS}, summary="Draft a convention")
def create(request, payload: ConventionIn):
    scope = staff_scope(request, Capability.MANAGE_CONVENTIONS)
    convention = services.create_convention(
        request.user, scope, _draft(payload, services.committee_of_scope(scope))
    )
    versions = list(convention.versions.all())
    return Status(201, _detail(request, convention, versions, versions[0]))


def _open(convention: Convention) -> ConventionVersion:
    version = convention.versions.filter(state__in=("draft", "consultation", "final")).first()
    if version is None:
        raise HttpError(422, _("Nothing is on its way: amend the convention to start a new version."))
    version.convention = convention
    return version


@router.put(
    "/{int:convention_id}/draft", response={200: ConventionDetailOut, **ERRORS}, summary="Change the draft"
)
def update(request, payload: ConventionIn, convention_id: int = CONVENTION_ID):
    """The whole text: clauses are added, changed, reordered and removed by sending the list."""
    convention = _own(request, convention_id)
    version = services.update_draft(request.scope, _open(convention), _draft(payload, convention.committee))
    convention.refresh_from_db()
    return _detail(request, convention, list(convention.versions.order_by("number")), version)


@router.delete("/{int:convention_id}/draft", response={204: None, **ERRORS}, summary="Discard the draft")
def discard(request, convention_id: int = CONVENTION_ID):
    """A draft residents have not seen; the convention goes too when it had no other version."""
    convention = _own(request, convention_id)
    services.discard_draft(request.scope, _open(convention))
    return Status(204, None)


@router.post(
    "/{int:convention_id}/phase",
    response={200: ConventionDetailOut, **ERRORS},
    summary="Move to the next phase",
)
def phase(request, payload: ConventionPhaseIn, convention_id: int = CONVENTION_ID):
    """`consult` (with `closes_on`) opens the draft for comment; `finalise` freezes it after the
    consultation has closed and opens signing; `publish` puts it on the wall (the version
    published before is superseded); `amend` starts a new draft from the published text."""
    convention = _own(request, convention_id)
    scope = request.scope
    if payload.action == "amend":
        version = services.amend(scope, convention)
    elif payload.action == "consult":
        if payload.closes_on is None:
            raise HttpError(422, _("Say when the consultation closes (closes_on)."))
        version = services.open_consultation(scope, _open(convention), payload.closes_on)
    elif payload.action == "finalise":
        version = services.finalise(scope, _open(convention))
    else:
        version = services.publish(scope, _open(convention))
    return _detail(request, convention, list(convention.versions.order_by("number")), version)


@router.get(
    "/{int:convention_id}/comments",
    response={200: list[ConventionStaffCommentOut], **ERRORS},
    summary="What residents said",
)
def comments(request, query: Query[VersionQuery], convention_id: int = CONVENTION_ID):
    convention = _own(request, convention_id)
    versions = [v for v in convention.versions.order_by("number") if v.state != VersionState.DRAFT]
    if not versions:
        return []
    version = _pick(versions, query.version, versions[-1])
    return [c for clause in selectors.comments_of(version, request.scope) for c in clause.shown]  # type: ignore[attr-defined]


@router.get(
    "/{int:convention_id}/figures",
    response={200: ConventionFiguresReport, **ERRORS},
    summary="Signatures per building",
)
def figures_per_building(request, query: Query[VersionQuery], convention_id: int = CONVENTION_ID):
    """Within your area: who may sign, who has signed online and on paper, the rate."""
    _convention, versions = _recorded(request, convention_id)
    version = _pick(versions, query.version, selectors.signing_version(versions))
    found = figures.report(version, request.scope)
    return {"version": version.number, "total": found.total, "buildings": found.buildings}


@router.get(
    "/{int:convention_id}/paper-signatures",
    response={200: list[ConventionSignerOut], **ERRORS},
    summary="Who has signed, to tick paper signatures",
)
@paginate(Pages)
def signers(request, query: Query[ConventionListQuery], convention_id: int = CONVENTION_ID):
    """Everyone (or every household) in your area the convention is for, signed or not."""
    convention, versions = _recorded(request, convention_id)
    version = _pick(versions, query.version, selectors.signing_version(versions))
    within = convention.area
    if query.building:
        building = Area.objects.filter(code=query.building).first() if CODE.match(query.building) else None
        if building is None:
            raise HttpError(404, _("No area with code %(code)s in your area.") % {"code": query.building})
        within = building
    return [
        {
            "household": row.household.pk,
            "door": row.household.address,
            "members": [m.name for m in row.members],
            "resident": row.signer.pk,
            "signature": row.signature,
        }
        for row in figures.signer_list(version, request.scope, within)
    ]


@router.post(
    "/{int:convention_id}/paper-signatures",
    response={201: ConventionSignatureOut, **ERRORS},
    summary="Record a paper signature",
)
def record_paper(request, payload: ConventionSignIn, convention_id: int = CONVENTION_ID):
    _convention, versions = _recorded(request, convention_id)
    version = _pick(versions, payload.version, selectors.signing_version(versions))
    missing = _("No resident %(id)d in your area.") % {"id": payload.resident}
    person = request.scope.get(
        Resident.objects.living().select_related("household__building"), missing, pk=payload.resident
    )
    return Status(201, signing.record_paper(request.user, request.scope, version, person))
