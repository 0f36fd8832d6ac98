"""PIPL in practice: masked by default, revealed with a logged reason, a resident's own data,
unmasked exports on record, anonymisation after the retention period."""

import json
from datetime import date, timedelta
from io import BytesIO
from zipfile import ZipFile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry
from registry import crypto, privacy, services
from registry.models import AccessLog, Proxy, Residence, Resident, ResidentStatus, ResidentTag
from registry.rules import PersonInput
from tests.factories import UserFactory, household, id_number, login_verified, scope_of


@pytest.fixture
def person(tree, worker):
    home = household(tree.building, "301")
    return services.add_resident(
        worker,
        home,
        PersonInput(name="王阿婆", id_number=id_number("1940-04-04", male=False), health_notes="糖尿病"),
    )


def test_pages_show_only_the_mask(owner_client, person):
    number = crypto.decrypt(person.id_cipher)
    for url in (
        reverse("registry:resident", args=[person.pk]),
        reverse("registry:household", args=[person.household_id]),
    ):
        page = owner_client.get(url).content.decode()
        assert person.id_masked in page and number not in page and "糖尿病" not in page


def test_revealing_asks_why_and_writes_the_access_log(owner_client, owner, person):
    url = reverse("registry:reveal", args=[person.pk])
    asked = owner_client.get(url, {"field": "id_number"}).content.decode()
    assert "Why do you need the full value?" in asked and crypto.decrypt(person.id_cipher) not in asked
    refused = owner_client.post(url, {"field": "id_number", "reason": ""}).content.decode()
    assert "Say why you need it" in refused and not AccessLog.objects.exists()
    shown = owner_client.post(url, {"field": "health", "reason": "办理助餐补贴"}).content.decode()
    assert "糖尿病" in shown
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.resident, entry.field, entry.reason) == (
        owner,
        person,
        "health",
        "办理助餐补贴",
    )
    assert entry.actor_role == "social_worker" and entry.area_path == person.household.building.path


def test_the_htmx_form_gets_the_value_alone(owner_client, person):
    response = owner_client.post(
        reverse("registry:reveal", args=[person.pk]),
        {"field": "id_number", "reason": "核对身份"},
        headers={"HX-Target": "reveal-box"},
    )
    page = response.content.decode()
    assert crypto.decrypt(person.id_cipher) in page and "<html" not in page


def test_who_may_reveal(person, leader_scope, neighbour_worker, owner, lead):
    with pytest.raises(PermissionDenied):  # a building leader sees people, not full numbers
        privacy.reveal(owner, leader_scope, person, "id_number", "好奇")
    with pytest.raises(PermissionDenied):
        privacy.reveal(owner, neighbour_worker, person, "id_number", "核对身份")
    with pytest.raises(ValidationError):
        privacy.reveal(owner, lead, person, "id_number", "  ")
    assert privacy.reveal(owner, lead, person, "id_number", "核对身份") == crypto.decrypt(person.id_cipher)


def test_the_lead_reads_the_access_log_and_the_worker_cannot(
    owner_client, client_for, colleague, owner, person, worker
):
    lead_client = client_for(colleague)
    privacy.reveal(owner, worker, person, "id_number", "给老人办理敬老卡")
    assert owner_client.get(reverse("registry:access_log")).status_code == 403
    page = lead_client.get(reverse("registry:access_log")).content.decode()
    assert "给老人办理敬老卡" in page and "社工甲" in page and "王阿婆" in page


def test_the_access_log_runs_a_fixed_number_of_queries(
    lead_client, owner, person, worker, django_assert_num_queries
):
    privacy.reveal(owner, worker, person, "id_number", "核对身份")
    lead_client.get(reverse("registry:access_log"))
    with django_assert_num_queries(6) as first:
        lead_client.get(reverse("registry:access_log"))
    for n in range(10):
        privacy.reveal(owner, worker, person, "health", f"核对理由{n}")
    with django_assert_num_queries(len(first)):
        lead_client.get(reverse("registry:access_log"))


def _sheet(response) -> str:
    data = b"".join(response.streaming_content)
    with ZipFile(BytesIO(data)) as book:
        strings = (
            book.read("xl/worksheets/sheet1.xml").decode() + book.read("xl/sharedStrings.xml").decode()
            if "xl/sharedStrings.xml" in book.namelist()
            else book.read("xl/worksheets/sheet1.xml").decode()
        )
    return strings


def test_the_export_is_masked_by_default(owner_client, tree, person):
    response = owner_client.post(reverse("registry:export", args=[tree.committee.code]), {})
    assert response["Content-Disposition"].startswith("attachment")
    sheet = _sheet(response)
    assert "王阿婆" in sheet and person.id_masked in sheet
    assert crypto.decrypt(person.id_cipher) not in sheet and "糖尿病" not in sheet
    assert not AccessLog.objects.exists()


def test_the_masked_export_masks_phones_too(owner_client, client_for, tree, person, colleague):
    services.update_resident(
        scope_of(colleague), person, PersonInput(name="王阿婆", phone="13912345678", relation="householder")
    )
    other = household(tree.building, "302")
    services.add_resident(scope_of(colleague), other, PersonInput(name="李老伯", phone="021-64561234转808"))
    url = reverse("registry:export", args=[tree.committee.code])
    sheet = _sheet(owner_client.post(url, {}))
    assert "139****5678" in sheet and "*******1234" in sheet
    assert "13912345678" not in sheet and "64561234" not in sheet
    full = _sheet(client_for(colleague).post(url, {"unmasked": "on", "reason": "区里核对户籍"}))
    assert "13912345678" in full and "02164561234转808" in full


def test_an_unmasked_export_needs_a_lead_and_a_reason_and_is_logged(
    owner_client, client_for, tree, person, colleague
):
    lead_client = client_for(colleague)
    url = reverse("registry:export", args=[tree.committee.code])
    assert owner_client.post(url, {"unmasked": "on", "reason": "区里核对"}).status_code == 403
    assert "Say why" in lead_client.post(url, {"unmasked": "on"}).content.decode()
    sheet = _sheet(lead_client.post(url, {"unmasked": "on", "reason": "区里核对户籍"}))
    assert crypto.decrypt(person.id_cipher) in sheet and "糖尿病" in sheet
    entry = AccessLog.objects.get()
    assert (entry.field, entry.count, entry.actor, entry.reason) == ("export", 1, colleague, "区里核对户籍")


def test_an_unmasked_export_imports_back_unchanged(tree, person, lead, tmp_path):
    from registry.census.export import export_xlsx
    from registry.census.importer import import_census

    path, count = export_xlsx(lead, tree.committee, unmasked=True)
    report = import_census(tree.committee, path, apply=True)
    assert count == 1 and report.ok and report.counts.unchanged + report.counts.updated == 1
    assert report.counts.created == 0


def test_a_resident_downloads_everything_held_about_them(client, person, owner, worker):
    user = UserFactory.create(name="王阿婆")
    person.user = user
    person.save()
    privacy.reveal(owner, worker, person, "id_number", "办理敬老卡")
    login_verified(client, user)
    response = client.get(reverse("registry:my_data"))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"mulin-my-data.json\"; filename*=UTF-8''my%20data%20in%20Mulin.json"
    )
    data = json.loads(response.content)
    (record,) = data["registry"]
    assert record["identity_card_number"] == crypto.decrypt(person.id_cipher)
    assert record["health_notes"] == "糖尿病" and record["address"] == person.household.address
    assert record["looked_at_by"][0]["why"] == "办理敬老卡" and record["looked_at_by"][0]["who"] == "社工甲"
    assert data["account"]["mobile"] == user.phone
    assert AccessLog.objects.filter(field="own_data", actor=user).exists()


def test_after_the_retention_period_a_moved_out_record_is_anonymised(tree, person, worker, owner, settings):
    settings.REGISTRY_RETENTION_DAYS = 365
    services.set_tags(worker, person, {"living_alone"}, owner)
    Proxy.objects.create(resident=person, user=UserFactory.create(), relation="女儿")
    services.move_out(worker, person, on=date.today() - timedelta(days=400))
    stays_before = Residence.objects.filter(resident=person).count()
    recent = services.add_resident(
        worker, household(tree.building, "302"), PersonInput(name="刚搬走", id_number=id_number())
    )
    services.move_out(worker, recent, on=date.today() - timedelta(days=10))

    assert privacy.anonymise_expired() == 1
    person.refresh_from_db()
    assert person.anonymised_at is not None and person.display_name == "(anonymised)"
    assert (person.name, person.id_cipher, person.id_hash, person.phone, person.health_cipher) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert person.birth_date is None and person.user_id is None
    assert Residence.objects.filter(resident=person).count() == stays_before  # the door's history stays
    assert not ResidentTag.objects.filter(resident=person).exists() and not person.proxies.exists()
    about = AuditEntry.objects.filter(object_id=str(person.pk), content_type__model="resident")
    assert all("王阿婆" not in str(e.changes) and "王阿婆" not in e.object_repr for e in about)
    assert Resident.objects.get(pk=recent.pk).anonymised_at is None
    assert privacy.anonymise_expired() == 0


def test_the_anonymise_command_reports_what_it_did(tree, person, worker, settings, capsys):
    settings.REGISTRY_RETENTION_DAYS = 30
    services.move_out(worker, person, on=date.today() - timedelta(days=31))
    call_command("anonymise_residents")
    assert "1" in capsys.readouterr().out
    assert Resident.objects.get(pk=person.pk).status == ResidentStatus.MOVED_OUT
