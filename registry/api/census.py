"""Census imports (upload for a dry run, apply, discard) and exports of an area."""

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from areas.api import CODE_PARAM
from areas.models import Area, AreaLevel
from common.api import ERRORS
from common.downloads import named
from common.schemas import Text
from common.scope import Capability, staff_scope
from registry import privacy
from registry.api.common import COMMITTEE_FORM, IMPORT_ID, UPLOAD, XLSX, XLSX_RESPONSE, area_in_scope
from registry.census import uploads
from registry.census.export import export_file_names, export_xlsx
from registry.models import CensusImport
from registry.schemas import ExportIn, ImportOut

router = Router(tags=["registry"])


# --- Exports, the access log -----------------------------------------------------------------------


def _xlsx(path, area: Area, masked: bool) -> FileResponse:
    stamp = timezone.localtime().strftime("%Y%m%d")
    response = named(
        FileResponse(path.open("rb"), content_type=XLSX), *export_file_names(area, stamp, masked=masked)
    )
    path.unlink()
    return response


@router.get(
    "/areas/{code}/export",
    response={200: None, **ERRORS},
    summary="Export the registry (masked)",
    openapi_extra=XLSX_RESPONSE,
)
def export_masked(request, code: Text = CODE_PARAM):
    """The residents under the area as .xlsx in the census layout, identity numbers masked."""
    area = area_in_scope(request, code)
    path, _count = export_xlsx(request.scope, area, unmasked=False)
    return _xlsx(path, area, masked=True)


@router.post(
    "/areas/{code}/export",
    response={200: None, **ERRORS},
    summary="Export the registry in full",
    openapi_extra=XLSX_RESPONSE,
)
def export_full(request, payload: ExportIn, code: Text = CODE_PARAM):
    """Full identity numbers and notes, for a committee lead, with a reason: written to the
    access log with the number of records. It imports back unchanged."""
    area = area_in_scope(request, code, Capability.EXPORT_UNMASKED)
    path, count = export_xlsx(request.scope, area, unmasked=True)
    privacy.log_export(request.user, request.scope, area, count, payload.reason)
    return _xlsx(path, area, masked=False)


# --- Census imports --------------------------------------------------------------------------------


def _census(request, import_id: int) -> CensusImport:
    scope = staff_scope(request, Capability.EDIT_REGISTRY)
    census = scope.restrict(CensusImport.objects.select_related("committee")).filter(pk=import_id).first()
    if census is None:
        raise HttpError(404, _("No census import %(id)d in your area.") % {"id": import_id})
    return census


@router.post("/imports", response={201: ImportOut, **ERRORS}, summary="Upload a census sheet (dry run)")
def create_import(request, file: UploadedFile = UPLOAD, committee: Text = COMMITTEE_FORM):
    """Check a .xlsx, .xls, .ods or .csv census for a committee: nothing is written; the answer is the
    report. Apply it with POST /imports/{id}/apply once it has no problems."""
    area = area_in_scope(request, committee, Capability.EDIT_REGISTRY)
    if area.level != AreaLevel.COMMITTEE:
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
