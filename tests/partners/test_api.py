"""The partner-unit API: the same rules and scope as the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Offer, OfferKind, PartnerContact, PartnerUnit
from tests.factories import login_verified
from tests.partners.conftest import make_unit

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_units_are_listed_created_changed_and_ended(client, owner, tree, units):
    login_verified(client, owner)
    listed = client.get("/api/v1/partners/units").json()["items"]
    assert {u["name"] for u in listed} == {"大宁社区卫生服务中心", "大宁路小学"}
    made = client.post(
        "/api/v1/partners/units",
        {"name": "延长消防站", "kind": "fire_station", "contact_phone": "021 5678 1234"},
        content_type=JSON,
    )
    assert made.status_code == 201 and made.json()["contact_phone"] == "021-56781234"
    unit_id = made.json()["id"]
    bad = client.put(
        f"/api/v1/partners/units/{unit_id}",
        {"name": "延长消防站", "kind": "fire_station", "contact_phone": "123"},
        content_type=JSON,
    )
    assert bad.status_code == 422 and "is not a mobile number" in bad.content.decode()
    ended = client.post(f"/api/v1/partners/units/{unit_id}/end", {"reason": "合并"}, content_type=JSON)
    assert ended.status_code == 200 and ended.json()["ended_at"]
    assert client.get("/api/v1/partners/units", {"ended": True}).json()["items"][0]["id"] == unit_id


def test_the_list_takes_the_same_queries_for_more_units(client, owner, tree, units):
    login_verified(client, owner)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/partners/units")
    for n in range(5):
        make_unit(tree.committee, f"单位{n}")
    with CaptureQueriesContext(connection) as more:
        client.get("/api/v1/partners/units")
    assert len(more.captured_queries) == len(few.captured_queries)


def test_agreements_offers_contributions_and_contacts(client, colleague, units):
    login_verified(client, colleague)
    base = f"/api/v1/partners/units/{units.clinic.pk}"
    bad = client.post(
        f"{base}/agreements",
        {"title": "协议", "starts_on": "2026-03-01", "ends_on": "2026-02-01"},
        content_type=JSON,
    )
    assert bad.status_code == 422 and "cannot end before it starts" in bad.content.decode()
    offer = client.post(
        f"{base}/offers", {"kind": "doctors", "description": "义诊"}, content_type=JSON
    ).json()
    given = client.post(
        f"{base}/contributions",
        {"on": "2026-01-05", "what": "义诊", "offer": offer["id"], "people_served": 38},
        content_type=JSON,
    )
    assert given.status_code == 201 and given.json()["people_served"] == 38
    negative = client.post(
        f"{base}/contributions", {"on": "2026-01-05", "what": "x", "hours": -1}, content_type=JSON
    )
    assert negative.status_code == 422
    linked = client.post(
        f"{base}/contacts", {"phone": "13900006666", "name": "王护士"}, content_type=JSON
    ).json()
    assert linked["temporary_password"] and linked["role_granted"]
    ended = client.post(f"{base}/contacts/{linked['contact']['id']}/end")
    assert ended.status_code == 200 and ended.json()["until"]
    withdrawn = client.post(f"/api/v1/partners/offers/{offer['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    detail = client.get(base).json()
    assert detail["may_change"] and [o["withdrawn_at"] is not None for o in detail["offers"]] == [True]


def test_a_streets_unit_is_read_only_and_another_committees_is_404(client, owner, units):
    login_verified(client, owner)
    school = client.get(f"/api/v1/partners/units/{units.school.pk}")
    assert school.status_code == 200 and not school.json()["may_change"]
    refused = client.post(
        f"/api/v1/partners/units/{units.school.pk}/offers",
        {"kind": "room", "description": "操场"},
        content_type=JSON,
    )
    assert refused.status_code == 403
    assert client.get(f"/api/v1/partners/units/{units.firm.pk}").status_code == 404


def test_the_partner_login_reads_its_unit_and_keeps_its_offers(client, units):
    login_verified(client, units.doctor)
    assert [u["id"] for u in client.get("/api/v1/partners/mine").json()] == [units.clinic.pk]
    detail = client.get(f"/api/v1/partners/mine/{units.clinic.pk}").json()
    assert detail["contacts"] == [] and detail["unit"]["name"] == "大宁社区卫生服务中心"
    made = client.post(
        f"/api/v1/partners/mine/{units.clinic.pk}/offers",
        {"kind": "doctors", "description": "义诊"},
        content_type=JSON,
    )
    assert made.status_code == 201
    changed = client.put(
        f"/api/v1/partners/offers/{made.json()['id']}",
        {"kind": "doctors", "description": "每周义诊"},
        content_type=JSON,
    )
    assert changed.json()["description"] == "每周义诊"
    assert client.get(f"/api/v1/partners/mine/{units.firm.pk}").status_code == 404
    other = Offer.objects.create(unit=units.firm, kind=OfferKind.LEGAL, description="咨询")
    assert client.post(f"/api/v1/partners/offers/{other.pk}/withdraw").status_code == 404
    assert client.get("/api/v1/partners/units").status_code == 403


def test_an_ended_contact_reads_nothing(client, units):
    PartnerContact.objects.filter(user=units.doctor).update(until=units.clinic.created_at.date())
    login_verified(client, units.doctor)
    assert client.get("/api/v1/partners/mine").json() == []
    assert client.get(f"/api/v1/partners/mine/{units.clinic.pk}").status_code == 404
    assert PartnerUnit.objects.count() == 3
