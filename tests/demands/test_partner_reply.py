"""The people of a partner unit answer the requests given to their unit, through the same
services as staff and with the same rules; they never reach any other request."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from demands import services
from demands.models import Assignee, DemandStatus, EventKind
from notifications.models import Notification
from partners.models import PartnerContact
from tests.demands.conftest import submit
from tests.factories import login_verified, scope_of
from tests.partners import conftest as partner_world

units = partner_world.units

pytestmark = pytest.mark.django_db


@pytest.fixture
def given(owner, demand, units):
    """王建国's request, given to the clinic by 社工甲."""
    return services.assign(
        actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.PARTNER, unit=units.clinic
    )


def test_the_unit_replies_starts_and_resolves(owner, people, given, units):
    doctor, scope = units.doctor, scope_of(units.doctor)
    made = services.reply(actor=doctor, demand=given, text="周二上午上门量血压。", scope=scope)
    assert made.kind == EventKind.PARTNER_REPLY and not made.internal
    services.start(actor=doctor, scope=scope, demand=given)
    done = services.resolve(actor=doctor, scope=scope, demand=given, resolution="已上门，血压正常。")
    assert done.status == DemandStatus.RESOLVED and done.resolved_by == doctor
    resident_titles = list(Notification.objects.filter(user=people.wang_user).values_list("title", flat=True))
    assert f"A reply on your request: 物业报修 #{given.pk}" in resident_titles
    giver = list(Notification.objects.filter(user=owner).values_list("title", flat=True))
    assert f"The partner unit replied: 物业报修 #{given.pk}" in giver
    assert f"Done by the partner unit: 物业报修 #{given.pk}" in giver


def test_the_resident_reads_the_units_reply_on_their_timeline(client, people, given, units):
    services.reply(actor=units.doctor, demand=given, text="周二上午上门。", scope=scope_of(units.doctor))
    login_verified(client, people.wang_user)
    page = client.get(reverse("demands:show", args=[given.pk])).content.decode()
    assert "Reply from the partner unit" in page and "周二上午上门。" in page


def test_the_same_rules_as_staff(given, units):
    doctor, scope = units.doctor, scope_of(units.doctor)
    with pytest.raises(PermissionDenied):
        services.reply(actor=doctor, demand=given, text="内部", scope=scope, internal=True)
    with pytest.raises(ValidationError) as error:
        services.reply(actor=doctor, demand=given, text=" ", scope=scope)
    assert "Write the message first." in error.value.messages
    with pytest.raises(ValidationError) as error:
        services.resolve(actor=doctor, scope=scope, demand=given, resolution="")
    assert "Say what was done" in " ".join(error.value.messages)
    services.resolve(actor=doctor, scope=scope, demand=given, resolution="好了")
    with pytest.raises(ValidationError):
        services.resolve(actor=doctor, scope=scope, demand=given, resolution="又好了")
    with pytest.raises(ValidationError) as error:
        services.reply(actor=doctor, demand=given, text="还有事", scope=scope)
    assert "no longer open" in " ".join(error.value.messages)


def test_the_unit_may_not_assign_decline_or_close(given, units):
    doctor, scope = units.doctor, scope_of(units.doctor)
    with pytest.raises(PermissionDenied):
        services.decline(actor=doctor, scope=scope, demand=given, reason="不管")
    with pytest.raises(PermissionDenied):
        services.assign(actor=doctor, scope=scope, demand=given, kind=Assignee.PARTNER, unit=units.clinic)


def test_another_units_people_and_an_ended_contact_are_refused(given, units):
    with pytest.raises(PermissionDenied):
        services.resolve(actor=units.clerk, scope=scope_of(units.clerk), demand=given, resolution="x")
    with pytest.raises(PermissionDenied):
        services.reply(actor=units.clerk, demand=given, text="x", scope=scope_of(units.clerk))
    PartnerContact.objects.filter(user=units.doctor).update(until=given.created_at.date())
    with pytest.raises(PermissionDenied):
        services.start(actor=units.doctor, scope=scope_of(units.doctor), demand=given)


def test_the_pages_of_the_unit(client, people, given, units):
    login_verified(client, units.doctor)
    url = reverse("demands:unit_request", args=[given.pk])
    page = client.get(url).content.decode()
    assert given.text in page and "Mark it done" in page
    assert people.wang.name not in page  # what is needed and where, not who asked
    client.post(reverse("demands:unit_reply", args=[given.pk]), {"text": "明天上门"})
    client.post(reverse("demands:unit_start", args=[given.pk]))
    response = client.post(reverse("demands:unit_resolve", args=[given.pk]), {"resolution": ""})
    assert response.status_code == 302
    given.refresh_from_db()
    assert given.status == DemandStatus.IN_PROGRESS
    client.post(reverse("demands:unit_resolve", args=[given.pk]), {"resolution": "已处理"})
    given.refresh_from_db()
    assert given.status == DemandStatus.RESOLVED and given.resolution == "已处理"


def test_a_request_not_given_to_the_unit_answers_404(client, owner, people, given, units):
    other = submit(people.wang_user, people.wang, text="另一个")
    login_verified(client, units.doctor)
    for name in ("unit_request",):
        assert client.get(reverse(f"demands:{name}", args=[other.pk])).status_code == 404
    for name in ("unit_reply", "unit_start", "unit_resolve"):
        assert client.post(reverse(f"demands:{name}", args=[other.pk]), {"text": "x"}).status_code == 404
    assert client.get(f"/api/v1/demands/unit/requests/{other.pk}").status_code == 404
    login_verified(client, units.clerk)
    assert client.get(reverse("demands:unit_request", args=[given.pk])).status_code == 404
    assert client.get(f"/api/v1/demands/unit/requests/{given.pk}").status_code == 404
    login_verified(client, owner)
    assert client.get(reverse("demands:unit_request", args=[given.pk])).status_code == 403


def test_the_api_of_the_unit(client, given, units):
    login_verified(client, units.doctor)
    listed = client.get("/api/v1/demands/unit/requests").json()
    assert [d["id"] for d in listed["items"]] == [given.pk]
    assert "resident_name" not in listed["items"][0]
    base = f"/api/v1/demands/unit/requests/{given.pk}"
    response = client.post(f"{base}/reply", {"text": "收到"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["timeline"][-1]["kind"] == "partner_reply"
    assert client.post(f"{base}/start").json()["demand"]["status"] == "in_progress"
    done = client.post(f"{base}/resolve", {"resolution": "已上门"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["demand"]["status"] == "resolved"
    login_verified(client, units.clerk)
    assert client.get("/api/v1/demands/unit/requests").json()["items"] == []
