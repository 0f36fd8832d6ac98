"""Census uploads from the website: upload and dry run, then apply or discard.

The rules: only a role that keeps the registry, only for a committee in its area; the file is
kept (under ``settings.REGISTRY_UPLOAD_DIR``) between the dry run and the apply, and applied
only if it is byte for byte the file that was checked and its dry run was clean; an applied
or discarded upload cannot be applied again. The file is deleted once applied or discarded, and
an upload left unapplied for ``settings.REGISTRY_UPLOAD_HOURS`` is discarded: the sheet holds
identity numbers in the clear and should not outlive its check for long.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel
from common.scope import Capability, Scope
from registry.census.importer import import_census
from registry.models import CensusImport, ImportStatus

ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def upload_dir() -> Path:
    folder = Path(settings.REGISTRY_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _paths(census: CensusImport) -> tuple[Path, Path]:
    folder = upload_dir()
    return folder / census.stored_name, folder / f"{census.stored_name}.problems.csv"


def _require(scope: Scope, committee: Area) -> None:
    if not scope.can(Capability.EDIT_REGISTRY):
        raise PermissionDenied(_("Your active role may not change the registry."))
    if committee.level != AreaLevel.COMMITTEE or not scope.covers(committee):
        raise PermissionDenied(_("This committee lies outside your area."))


def problems_file(census: CensusImport) -> Path | None:
    path = _paths(census)[1]
    return path if path.exists() else None


def discard_stale_uploads() -> int:
    """Discard uploads checked more than ``REGISTRY_UPLOAD_HOURS`` ago and never applied."""
    cutoff = timezone.now() - timedelta(hours=settings.REGISTRY_UPLOAD_HOURS)
    stale = list(
        CensusImport.objects.filter(
            status__in=[ImportStatus.CHECKED, ImportStatus.PROBLEMS], created_at__lt=cutoff
        ).only("pk", "stored_name")
    )
    for census in stale:
        for path in _paths(census):
            path.unlink(missing_ok=True)
    CensusImport.objects.filter(pk__in=[c.pk for c in stale]).update(status=ImportStatus.DISCARDED)
    return len(stale)


def check_upload(actor: User, scope: Scope, committee: Area, upload) -> CensusImport:
    """Keep the uploaded file and run the dry run; the record holds the report."""
    _require(scope, committee)
    discard_stale_uploads()
    name = Path(upload.name or "census").name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(
            {
                "file": _("Upload the census as .xlsx, .xls, .ods or .csv; “%(name)s” is none of them.")
                % {"name": name}
            }
        )
    limit = settings.REGISTRY_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB; split it by building group.")
                % {"mb": limit // 2**20}
            }
        )
    stored = f"{uuid.uuid4().hex}{suffix}"
    path = upload_dir() / stored
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
    census = CensusImport(
        committee=committee,
        file_name=name,
        stored_name=stored,
        sha256=digest.hexdigest(),
        size=upload.size,
        created_by=actor,
        status=ImportStatus.CHECKED,
    )
    _run(census, apply=False, actor=actor)
    return census


def _run(census: CensusImport, *, apply: bool, actor: User) -> None:
    path, problems = _paths(census)
    report = import_census(
        census.committee, path, file_name=census.file_name, apply=apply, actor=actor, problems_path=problems
    )
    census.rows = report.rows
    census.problem_count = report.problem_count
    census.report = report.as_dict()
    if report.applied:
        census.status = ImportStatus.APPLIED
        census.applied_by = actor
        census.applied_at = timezone.now()
    else:
        census.status = ImportStatus.CHECKED if report.ok else ImportStatus.PROBLEMS
    census.save()
    if report.applied:
        path.unlink(missing_ok=True)


def apply_upload(actor: User, scope: Scope, census: CensusImport) -> CensusImport:
    """Write a checked upload: the dry run's checks run again inside the apply."""
    _require(scope, census.committee)
    if not census.is_checked:
        raise ValidationError(_("Only a sheet checked without problems can be applied."))
    path = _paths(census)[0]
    if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != census.sha256:
        raise ValidationError(_("The uploaded file is no longer there; upload it again."))
    _run(census, apply=True, actor=actor)
    return census


def discard_upload(actor: User, scope: Scope, census: CensusImport) -> CensusImport:
    _require(scope, census.committee)
    if census.is_applied:
        raise ValidationError(_("An applied import cannot be discarded; import a corrected sheet instead."))
    for path in _paths(census):
        path.unlink(missing_ok=True)
    census.status = ImportStatus.DISCARDED
    census.save()
    return census
