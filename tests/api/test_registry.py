"""The registry API: the same rules as the pages, scoped, masked by default, every refusal
a JSON answer with the right status."""

import json

import pytest

from accounts.models import User
from registry import crypto
from registry.models import AccessLog, CensusImport, Proxy, Registration, Resident, ResidentStatus
from tests.api.conftest import api_client
from tests.factories import UserFactory, household, id_number, resident
from tests.registry.sheets import person, write_csv

BASE = "/api/v1/registry"


@pytest.fixture
def wang(tree):
    return resident(
        household(tree.building, "301"),
        "王秀英",
        number=id_number("1948-02-02", male=False),
        phone="13912345678",
    )


@pytest.fixture
def lead_api(colleague):
    return api_client(colleague)


def _json(response):
    return json.loads(response.content)


def test_the_summary_of_a_committee(owner_api, tree, wang):
    wang.user = UserFactory.create()
    wang.save()
    data = _json(owner_api.get(f"{BASE}/areas/{tree.committee.code}/summary"))
    assert data["figures"]["residents"] == 1 and data["figures"]["on_cloud_rate"] == 1.0
    assert [p["area"]["name"] for p in data["parts"]] == ["62号楼组"]
    assert {t["tag"]: t["count"] for t in data["tags"]}["aged_80"] == 0


def test_a_resident_is_masked_and_revealed_with_a_logged_reason(owner_api, owner, wang):
    data = _json(owner_api.get(f"{BASE}/residents/{wang.pk}"))
    number = crypto.decrypt(wang.id_cipher)
    assert data["id_masked"] == wang.id_masked and number not in json.dumps(data)
    refused = owner_api.post(
        f"{BASE}/residents/{wang.pk}/reveal",
        {"field": "id_number", "reason": ""},
        content_type="application/json",
    )
    assert refused.status_code == 422
    shown = _json(
        owner_api.post(
            f"{BASE}/residents/{wang.pk}/reveal",
            {"field": "id_number", "reason": "办理敬老卡"},
            content_type="application/json",
        )
    )
    assert shown["value"] == number
    assert AccessLog.objects.get().actor == owner


def test_search_and_lists(owner_api, tree, wang):
    found = _json(owner_api.get(f"{BASE}/residents", {"q": "wxy"}))
    assert [r["name"] for r in found["items"]] == ["王秀英"]
    listed = _json(owner_api.get(f"{BASE}/residents", {"area": tree.building.code}))
    assert listed["count"] == 1 and listed["items"][0]["household"]["room"] == "301"
    homes = _json(owner_api.get(f"{BASE}/households", {"area": tree.committee.code}))
    assert homes["items"][0]["living"][0]["name"] == "王秀英"


def test_the_resident_list_runs_a_fixed_number_of_queries(owner_api, tree, wang, django_assert_num_queries):
    owner_api.get(f"{BASE}/residents")
    with django_assert_num_queries(5) as first:  # token, grants, count, page, tags
        owner_api.get(f"{BASE}/residents")
    for n in range(8):
        resident(household(tree.building, f"5{n}1"), f"新人{n}")
    with django_assert_num_queries(len(first)):
        owner_api.get(f"{BASE}/residents")


def test_add_a_household_and_its_people(owner_api, tree):
    home = owner_api.post(
        f"{BASE}/households", {"building": tree.building.code, "room": "801"}, content_type="application/json"
    )
    assert home.status_code == 201
    home_id = _json(home)["id"]
    body = {"name": "新户主", "id_number": id_number("1960-06-06"), "tags": ["party_member"]}
    added = owner_api.post(f"{BASE}/households/{home_id}/residents", body, content_type="application/json")
    assert added.status_code == 201
    data = _json(added)
    assert data["relation"] == "householder" and data["tags"][0]["tag"] == "party_member"
    second = owner_api.post(
        f"{BASE}/households/{home_id}/residents", {"name": "又一个户主"}, content_type="application/json"
    )
    assert second.status_code == 422
    assert _json(second)["errors"][0]["loc"] == ["body", "relation"]
    detail = _json(owner_api.get(f"{BASE}/households/{home_id}"))
    assert [s["name"] for s in detail["history"]] == ["新户主"]


def test_a_bad_identity_number_is_a_422_that_says_why(owner_api, tree):
    home = household(tree.building, "802")
    response = owner_api.post(
        f"{BASE}/households/{home.pk}/residents",
        {"name": "错号", "id_number": "110105194912310021"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "check digit" in _json(response)["detail"]
    assert not Resident.objects.exists()


def test_patch_keeps_the_number_unless_sent_and_moves_and_move_outs(owner_api, tree, wang, building2):
    number = crypto.decrypt(wang.id_cipher)
    patched = _json(
        owner_api.patch(
            f"{BASE}/residents/{wang.pk}",
            {"name": "王秀英", "phone": "13800138000"},
            content_type="application/json",
        )
    )
    wang.refresh_from_db()
    assert patched["phone"] == "13800138000" and crypto.decrypt(wang.id_cipher) == number
    moved = _json(
        owner_api.post(
            f"{BASE}/residents/{wang.pk}/move",
            {"building": building2.code, "room": "1101", "relation": "householder"},
            content_type="application/json",
        )
    )
    assert moved["household"]["building"]["code"] == building2.code
    gone = _json(
        owner_api.post(
            f"{BASE}/residents/{wang.pk}/move-out", {"deceased": True}, content_type="application/json"
        )
    )
    assert gone["status"] == "deceased"


def test_tags_one_and_many(owner_api, tree, wang):
    other = resident(household(tree.building, "302"), "邻居")
    tagged = _json(
        owner_api.put(
            f"{BASE}/residents/{wang.pk}/tags", {"tags": ["living_alone"]}, content_type="application/json"
        )
    )
    assert [t["tag"] for t in tagged["tags"] if not t["derived"]] == ["living_alone"]
    bulk = _json(
        owner_api.post(
            f"{BASE}/tags",
            {"resident_ids": [wang.pk, other.pk], "tag": "low_income"},
            content_type="application/json",
        )
    )
    assert bulk == {"changed": 2}
    refused = owner_api.put(
        f"{BASE}/residents/{wang.pk}/tags", {"tags": ["aged_80"]}, content_type="application/json"
    )
    assert refused.status_code == 422


def test_the_census_through_the_api(owner_api, tree, tmp_path, settings):
    settings.REGISTRY_UPLOAD_DIR = tmp_path / "uploads"
    sheet = write_csv(tmp_path / "c.csv", [person("接口导入", id_number("1950-01-02"))])
    with sheet.open("rb") as handle:
        created = owner_api.post(f"{BASE}/imports", {"file": handle, "committee": tree.committee.code})
    assert created.status_code == 201
    data = _json(created)
    assert data["status"] == "checked" and data["report"]["counts"]["created"] == 1
    assert not Resident.objects.exists()
    applied = _json(owner_api.post(f"{BASE}/imports/{data['id']}/apply"))
    assert applied["status"] == "applied" and Resident.objects.filter(name="接口导入").exists()
    assert owner_api.post(f"{BASE}/imports/{data['id']}/apply").status_code == 422


def test_exports_masked_for_all_full_for_leads_with_a_reason(owner_api, lead_api, tree, wang):
    masked = owner_api.get(f"{BASE}/areas/{tree.committee.code}/export")
    assert masked.status_code == 200 and masked["Content-Type"].startswith("application/vnd.openxml")
    assert (
        owner_api.post(
            f"{BASE}/areas/{tree.committee.code}/export",
            {"reason": "核对户籍"},
            content_type="application/json",
        ).status_code
        == 403
    )
    full = lead_api.post(
        f"{BASE}/areas/{tree.committee.code}/export", {"reason": "核对户籍"}, content_type="application/json"
    )
    assert full.status_code == 200 and AccessLog.objects.get().count == 1


def test_registration_verification_accounts_and_proxies(owner_api, anonymous_api, tree, wang):
    signed = anonymous_api.post(
        f"{BASE}/register",
        {
            "phone": "13911112222",
            "name": "王秀英",
            "password": "correct horse 7",
            "committee": tree.committee.code,
            "building": tree.building.code,
            "room": "301",
        },
        content_type="application/json",
    )
    assert signed.status_code == 201
    entry = Registration.objects.get()
    candidates = _json(owner_api.get(f"{BASE}/registrations/{entry.pk}/candidates"))
    assert [c["id"] for c in candidates] == [wang.pk]
    verified = _json(
        owner_api.post(
            f"{BASE}/registrations/{entry.pk}/verify",
            {"resident_id": wang.pk},
            content_type="application/json",
        )
    )
    assert verified["status"] == "verified"
    other = resident(household(tree.building, "303"), "独居老人")
    account = owner_api.post(
        f"{BASE}/residents/{other.pk}/account", {"phone": "13922223333"}, content_type="application/json"
    )
    assert account.status_code == 201 and len(_json(account)["temporary_password"]) == 8
    UserFactory.create(phone="13933334444", name="女儿")
    linked = owner_api.post(
        f"{BASE}/residents/{other.pk}/proxies",
        {"phone": "13933334444", "relation": "女儿"},
        content_type="application/json",
    )
    assert linked.status_code == 201
    proxy_id = _json(linked)["id"]
    assert owner_api.delete(f"{BASE}/residents/{other.pk}/proxies/{proxy_id}").status_code == 204
    assert Proxy.objects.get().revoked_at is not None


def test_the_resident_side(tree, wang):
    user = User.objects.create_user("13911112222", "correct horse 7", name="王秀英")
    Registration.objects.create(
        user=user, committee=tree.committee, area=tree.building, room="301", name="王秀英"
    )
    mine = api_client(user)
    assert _json(mine.get(f"{BASE}/me"))["registration"]["status"] == "pending"
    wrong = mine.post(
        f"{BASE}/me/verify", {"id_number": id_number("1999-01-01")}, content_type="application/json"
    )
    assert wrong.status_code == 422 and "4 tries left" in _json(wrong)["detail"]
    ok = _json(
        mine.post(
            f"{BASE}/me/verify",
            {"id_number": crypto.decrypt(wang.id_cipher)},
            content_type="application/json",
        )
    )
    assert ok["record"]["name"] == "王秀英" and ok["record"]["verified_account"] is True
    data = _json(mine.get(f"{BASE}/me/data"))
    assert data["registry"][0]["identity_card_number"] == crypto.decrypt(wang.id_cipher)
    assert mine.get(f"{BASE}/residents/{wang.pk}").status_code == 403  # residents see no one else


def test_the_neighbour_sees_nothing_and_the_anonymous_must_log_in(outsider_api, anonymous_api, tree, wang):
    for url in (
        f"{BASE}/residents/{wang.pk}",
        f"{BASE}/households/{wang.household_id}",
        f"{BASE}/areas/{tree.committee.code}/summary",
    ):
        assert outsider_api.get(url).status_code == 404, url
        assert anonymous_api.get(url).status_code == 401, url
    assert _json(outsider_api.get(f"{BASE}/residents", {"q": "王秀英"}))["count"] == 0
    assert outsider_api.post(
        f"{BASE}/tags", {"resident_ids": [wang.pk], "tag": "low_income"}, content_type="application/json"
    ).json() == {"changed": 0}
    assert Resident.objects.get(pk=wang.pk).status == ResidentStatus.LIVING
    assert not CensusImport.objects.exists()
