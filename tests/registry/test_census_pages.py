"""The census import from the website: upload, dry-run report, apply or discard; templates."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from registry.census.importer import import_census
from registry.models import CensusImport, Resident
from tests.factories import id_number
from tests.registry.sheets import HEADER, person, write_csv, write_workbook


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.REGISTRY_UPLOAD_DIR = tmp_path / "census"


def _upload(client, path: Path, committee):
    with path.open("rb") as handle:
        return client.post(
            reverse("registry:import"),
            {"file": SimpleUploadedFile(path.name, handle.read()), "committee": committee.code},
        )


def test_upload_dry_run_then_apply(owner_client, tree, tmp_path, owner, settings):
    sheet = write_csv(
        tmp_path / "普查.csv",
        [
            person("王建国", id_number("1950-01-02")),
            person("李秀英", id_number("1952-01-02", male=False), relation="配偶"),
        ],
    )
    response = _upload(owner_client, sheet, tree.committee)
    census = CensusImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "registry:import_detail", args=[census.pk]
    )
    assert census.status == "checked" and census.rows == 2 and not Resident.objects.exists()
    report = owner_client.get(response["Location"]).content.decode()
    assert "What applying would do" in report and "Apply the census" in report
    owner_client.post(reverse("registry:import_action", args=[census.pk]), {"action": "apply"})
    census.refresh_from_db()
    assert census.status == "applied" and census.applied_by == owner
    assert Resident.objects.count() == 2
    assert AuditEntry.objects.filter(action="import", actor=owner).exists()
    assert not (Path(settings.REGISTRY_UPLOAD_DIR) / census.stored_name).exists()  # applied: file gone
    # Applying twice is refused.
    owner_client.post(reverse("registry:import_action", args=[census.pk]), {"action": "apply"})
    assert Resident.objects.count() == 2


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_a_wps_xls_or_a_libreoffice_ods_is_checked_and_applied(owner_client, tree, tmp_path, kind):
    rows = [
        HEADER,
        person("王建国", id_number("1950-01-02")),
        person("李秀英", id_number("1952-01-02", male=False), relation="配偶"),
    ]
    response = _upload(owner_client, write_workbook(kind, tmp_path / f"普查.{kind}", rows), tree.committee)
    census = CensusImport.objects.get()
    assert response.status_code == 302 and census.status == "checked" and census.rows == 2
    owner_client.post(reverse("registry:import_action", args=[census.pk]), {"action": "apply"})
    assert Resident.objects.count() == 2


def test_a_sheet_with_problems_lists_them_and_cannot_be_applied(owner_client, tree, tmp_path):
    sheet = write_csv(tmp_path / "bad.csv", [person("校验错", "110105194912310021")])
    _upload(owner_client, sheet, tree.committee)
    census = CensusImport.objects.get()
    assert census.status == "problems" and census.problem_count == 1
    page = owner_client.get(reverse("registry:import_detail", args=[census.pk])).content.decode()
    assert "check digit" in page and "身份证号" in page and "110***********0021" in page
    problems = owner_client.get(reverse("registry:import_problems", args=[census.pk]))
    assert "check digit" in b"".join(problems.streaming_content).decode("utf-8-sig")
    owner_client.post(reverse("registry:import_action", args=[census.pk]), {"action": "apply"})
    assert not Resident.objects.exists()


def test_discarding_deletes_the_upload(owner_client, tree, tmp_path, settings):
    sheet = write_csv(tmp_path / "c.csv", [person("王建国", id_number("1950-01-02"))])
    _upload(owner_client, sheet, tree.committee)
    census = CensusImport.objects.get()
    stored = Path(settings.REGISTRY_UPLOAD_DIR) / census.stored_name
    assert stored.exists()
    owner_client.post(reverse("registry:import_action", args=[census.pk]), {"action": "discard"})
    census.refresh_from_db()
    assert census.status == "discarded" and not stored.exists()


def test_uploads_left_unapplied_expire_with_their_files(owner_client, tree, tmp_path, settings):
    sheet = write_csv(tmp_path / "c.csv", [person("王建国", id_number("1950-01-02"))])
    _upload(owner_client, sheet, tree.committee)
    bad = write_csv(tmp_path / "bad.csv", [person("校验错", "110105194912310021")])
    _upload(owner_client, bad, tree.committee)
    old, problems = CensusImport.objects.order_by("pk")
    assert problems.status == "problems"
    stale = timezone.now() - timedelta(hours=settings.REGISTRY_UPLOAD_HOURS + 1)
    CensusImport.objects.update(created_at=stale)
    fresh = write_csv(tmp_path / "new.csv", [person("李秀英", id_number("1952-01-02", male=False))])
    _upload(owner_client, fresh, tree.committee)  # any upload sweeps the stale ones first
    folder = Path(settings.REGISTRY_UPLOAD_DIR)
    for census in (old, problems):
        census.refresh_from_db()
        assert census.status == "discarded"
        assert not (folder / census.stored_name).exists()
        assert not (folder / f"{census.stored_name}.problems.csv").exists()
    newest = CensusImport.objects.latest("pk")
    assert newest.status == "checked" and (folder / newest.stored_name).exists()
    # The daily command sweeps too.
    CensusImport.objects.filter(pk=newest.pk).update(created_at=timezone.now() - timedelta(days=2))
    out = StringIO()
    call_command("anonymise_residents", stdout=out)
    assert "1 census upload(s) left unapplied discarded" in out.getvalue()
    assert not (folder / newest.stored_name).exists()


def test_other_files_are_refused_with_a_reason(owner_client, tree):
    response = owner_client.post(
        reverse("registry:import"),
        {"file": SimpleUploadedFile("人口.docx", b"PK\x03\x04..."), "committee": tree.committee.code},
    )
    assert ".xls, .ods or .csv" in response.content.decode() and not CensusImport.objects.exists()


def test_a_committee_outside_the_scope_cannot_be_chosen(owner_client, tree, tmp_path):
    sheet = write_csv(tmp_path / "c.csv", [person("王建国", id_number("1950-01-02"))])
    response = _upload(owner_client, sheet, tree.neighbour)
    assert response.status_code == 200 and not CensusImport.objects.exists()


def test_the_templates_import_cleanly(owner_client, tree, tmp_path):
    response = owner_client.get(reverse("registry:template_xlsx"))
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    report = import_census(tree.committee, path, apply=False)
    assert report.ok and report.rows == 0  # the header alone: nothing to do, nothing wrong
    csv_text = owner_client.get(reverse("registry:template_csv")).content.decode("utf-8-sig")
    assert csv_text.strip() == ",".join(HEADER)
