"""The partner-unit pages: the staff's registry and a unit's page with its forms, a street's
unit read-only for its committees' staff, and the partner login's own unit, which is all it
sees."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demands import services as demand_services
from demands.models import Assignee
from partners.models import Offer, OfferKind, PartnerContact
from tests.demands.conftest import submit
from tests.factories import login_verified, scope_of
from tests.partners.conftest import make_unit, partner_login

pytestmark = pytest.mark.django_db


def test_the_registry_lists_the_committees_and_the_streets_units(client, owner, tree, units):
    login_verified(client, owner)
    page = client.get(reverse("partners:index")).content.decode()
    assert "大宁社区卫生服务中心" in page and "大宁路小学" in page
    assert "慧芝湖律师事务所" not in page


def test_the_registry_takes_the_same_queries_for_more_units(client, owner, tree, units):
    login_verified(client, owner)
    client.get(reverse("partners:index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("partners:index"))
    for n in range(6):
        unit = make_unit(tree.committee, f"共建单位{n}")
        Offer.objects.create(unit=unit, kind=OfferKind.ROOM, description="会议室")
        partner_login(unit, f"联系人{n}")
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("partners:index")).content.decode()
    assert "共建单位5" in page
    assert len(more.captured_queries) == len(few.captured_queries)


def test_a_unit_is_added_and_edited_from_the_pages(client, owner):
    login_verified(client, owner)
    response = client.post(
        reverse("partners:new"), {"name": "延长消防站", "kind": "fire_station", "contact_phone": "12345"}
    )
    assert "is not a mobile number, nor a landline such as 021-56781234" in response.content.decode()
    response = client.post(
        reverse("partners:new"),
        {"name": "延长消防站", "kind": "fire_station", "contact_phone": "021-56781234"},
    )
    assert response.status_code == 302
    unit_url = response["Location"]
    edit = unit_url + "edit/"
    client.post(edit, {"name": "延长路消防站", "kind": "fire_station"})
    assert "延长路消防站" in client.get(unit_url).content.decode()
    client.post(edit, {"action": "end", "reason": "合并"})
    assert "no longer a partner since" in client.get(unit_url).content.decode()


def test_the_units_page_keeps_agreements_offers_contributions_and_contacts(client, colleague, units):
    login_verified(client, colleague)
    url = reverse("partners:unit", args=[units.clinic.pk])
    page = client.post(
        url, {"action": "agreement", "title": "共建协议", "starts_on": "2026-03-01", "ends_on": "2026-02-01"}
    ).content.decode()
    assert "The agreement cannot end before it starts." in page
    client.post(url, {"action": "offer", "kind": "doctors", "description": "每月义诊两名医生"})
    offer = Offer.objects.get(unit=units.clinic)
    page = client.post(
        url,
        {
            "action": "contribution",
            "on": "2099-01-01",
            "what": "义诊",
            "people_served": "3",
            "hours": "1",
            "amount_yuan": "0",
        },
    ).content.decode()
    assert "the day cannot be in the future" in page
    page = client.post(
        url,
        {
            "action": "contribution",
            "on": "2026-01-05",
            "what": "义诊",
            "people_served": "-3",
            "hours": "1",
            "amount_yuan": "0",
        },
    ).content.decode()
    assert "It cannot be negative." in page
    client.post(
        url,
        {
            "action": "contribution",
            "on": timezone.localdate().isoformat(),
            "what": "义诊",
            "offer": offer.pk,
            "people_served": "38",
            "hours": "4",
            "amount_yuan": "0",
        },
    )
    response = client.post(url, {"action": "contact", "phone": "13900005555", "name": "王护士"}, follow=True)
    assert "temporary password" in response.content.decode()
    client.post(url, {"action": "withdraw_offer", "id": offer.pk})
    page = client.get(url).content.decode()
    assert (
        "每月义诊两名医生" in page
        and "withdrawn" in page
        and "王护士" in page
        and "38 residents served" in page
    )


def test_a_streets_unit_is_read_only_for_a_committees_staff(client, owner, units):
    login_verified(client, owner)
    url = reverse("partners:unit", args=[units.school.pk])
    page = client.get(url).content.decode()
    assert "kept by the street" in page and 'value="offer"' not in page
    assert client.post(url, {"action": "offer", "kind": "room", "description": "操场"}).status_code == 403
    assert client.get(reverse("partners:edit", args=[units.school.pk])).status_code == 403
    assert not Offer.objects.filter(unit=units.school).exists()


def test_another_committees_unit_answers_404(client, owner, units):
    login_verified(client, owner)
    assert client.get(reverse("partners:unit", args=[units.firm.pk])).status_code == 404
    assert client.get(reverse("partners:edit", args=[units.firm.pk])).status_code == 404


def test_the_partner_login_is_taken_to_its_own_unit(client, owner, people, units):
    Offer.objects.create(unit=units.clinic, kind=OfferKind.DOCTORS, description="每月义诊")
    demand = submit(people.wang_user, people.wang)
    demand_services.assign(
        actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.PARTNER, unit=units.clinic
    )
    other = submit(people.wang_user, people.wang, text="别的事")
    login_verified(client, units.doctor)
    response = client.get(reverse("partners:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("partners:mine_unit", args=[units.clinic.pk])
    page = response.content.decode()
    assert "每月义诊" in page and reverse("demands:unit_request", args=[demand.pk]) in page
    assert reverse("demands:unit_request", args=[other.pk]) not in page
    assert people.wang.name not in page
    assert client.get(reverse("partners:mine_unit", args=[units.firm.pk])).status_code == 404
    assert client.get(reverse("partners:unit", args=[units.clinic.pk])).status_code == 403


def test_the_partner_keeps_its_offers(client, units):
    login_verified(client, units.doctor)
    url = reverse("partners:mine_unit", args=[units.clinic.pk])
    page = client.post(url, {"action": "offer", "kind": "doctors", "description": ""}).content.decode()
    assert "This field is required." in page
    client.post(url, {"action": "offer", "kind": "doctors", "description": "每月义诊"})
    offer = Offer.objects.get(unit=units.clinic)
    client.post(url, {"action": "update_offer", "id": offer.pk, "kind": "doctors", "description": "每周义诊"})
    offer.refresh_from_db()
    assert offer.description == "每周义诊"
    client.post(url, {"action": "withdraw_offer", "id": offer.pk})
    offer.refresh_from_db()
    assert offer.withdrawn_at is not None


def test_a_contact_of_several_units_picks_one(client, units, tree):
    """Someone acting for the street's school and a committee's clinic, with the role over the street."""
    person = partner_login(units.school, "周主任", area=tree.street)
    PartnerContact.objects.create(unit=units.clinic, user=person)
    login_verified(client, person)
    page = client.get(reverse("partners:mine")).content.decode()
    assert "choose one" in page
    assert reverse("partners:mine_unit", args=[units.clinic.pk]) in page
    assert reverse("partners:mine_unit", args=[units.school.pk]) in page
    assert reverse("partners:mine_unit", args=[units.firm.pk]) not in page
    assert client.get(reverse("partners:mine_unit", args=[units.clinic.pk])).status_code == 200


def test_a_login_with_no_current_unit_is_told_so(client, units):
    PartnerContact.objects.filter(user=units.doctor).update(until=timezone.localdate())
    login_verified(client, units.doctor)
    assert (
        "not a contact of any current partner unit" in client.get(reverse("partners:mine")).content.decode()
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as counted:
        assert client.get(url).status_code == 200
    return len(counted.captured_queries)


def test_a_units_pages_take_the_same_queries_for_more_requests_and_offers(client, owner, people, units):
    def give(n: int) -> None:
        for i in range(n):
            demand = submit(people.wang_user, people.wang, text=f"请求{i}")
            demand_services.assign(
                actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.PARTNER, unit=units.clinic
            )
            Offer.objects.create(unit=units.clinic, kind=OfferKind.DOCTORS, description=f"义诊{i}")

    give(1)
    mine = reverse("partners:mine_unit", args=[units.clinic.pk])
    staff = reverse("partners:unit", args=[units.clinic.pk])
    login_verified(client, units.doctor)
    _queries(client, mine)
    few_mine = _queries(client, mine)
    login_verified(client, owner)
    _queries(client, staff)
    few_staff = _queries(client, staff)
    give(4)
    assert _queries(client, staff) == few_staff
    login_verified(client, units.doctor)
    assert _queries(client, mine) == few_mine
