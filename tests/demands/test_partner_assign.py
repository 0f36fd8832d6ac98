"""A request given to a partner unit is a real link to the unit: chosen among the units of the
committee and its street, named for the old displays, and told to the unit's people."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from demands import services
from demands.models import Assignee
from notifications import backends
from notifications.models import Notification
from tests.factories import login_verified, scope_of
from tests.partners import conftest as partner_world

units = partner_world.units

pytestmark = pytest.mark.django_db


def test_a_partner_unit_must_be_chosen(owner, demand):
    with pytest.raises(ValidationError) as error:
        services.assign(
            actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.PARTNER, name="某医院"
        )
    assert error.value.message_dict == {"unit": ["Choose the partner unit."]}
    demand.refresh_from_db()
    assert demand.assignee_kind == "" and demand.assignee_unit is None


def test_a_unit_of_another_committee_or_ended_is_refused(owner, demand, units):
    with pytest.raises(ValidationError) as error:
        services.assign(
            actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.PARTNER, unit=units.firm
        )
    assert "慧芝湖律师事务所 is not a current partner unit of 延长新村居委会." in error.value.messages
    units.clinic.ended_at = units.clinic.created_at
    units.clinic.save()
    with pytest.raises(ValidationError):
        services.assign(
            actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.PARTNER, unit=units.clinic
        )


def test_the_streets_unit_may_be_given_a_committees_request(owner, demand, units):
    given = services.assign(
        actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.PARTNER, unit=units.school
    )
    assert given.assignee_unit == units.school and given.assignee_name == "大宁路小学"
    assert given.assignee_label == "Partner unit: 大宁路小学"


def test_the_units_people_are_told_in_the_app_and_by_sms(
    owner, demand, units, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(
            actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.PARTNER, unit=units.clinic
        )
    told = Notification.objects.get(user=units.doctor)
    assert told.title == f"A request for your unit: 物业报修 #{demand.pk}"
    assert told.url == reverse("demands:unit_request", args=[demand.pk])
    assert units.doctor.phone in [sms.to for sms in backends.outbox]
    # Given again to the same unit: nobody is told twice; to a worker: the link is gone.
    services.assign(
        actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.PARTNER, unit=units.clinic
    )
    assert Notification.objects.filter(user=units.doctor).count() == 1
    again = services.assign(
        actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.WORKER, worker=owner
    )
    assert again.assignee_unit is None and again.assignee_name == ""


def test_the_assign_form_offers_the_units_in_scope(client, owner, demand, units):
    login_verified(client, owner)
    page = client.get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert "大宁社区卫生服务中心" in page and "大宁路小学" in page and "慧芝湖律师事务所" not in page
    response = client.post(
        reverse("demands:assign", args=[demand.pk]), {"kind": "partner", "unit": units.clinic.pk}
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.assignee_unit == units.clinic


def test_the_api_assigns_to_a_unit_and_refuses_one_out_of_reach(client, owner, demand, units):
    login_verified(client, owner)
    url = f"/api/v1/demands/{demand.pk}/assign"
    response = client.post(url, {"kind": "partner", "unit": units.firm.pk}, content_type="application/json")
    assert response.status_code == 404
    response = client.post(url, {"kind": "partner"}, content_type="application/json")
    assert response.status_code == 422 and "Choose the partner unit." in response.content.decode()
    response = client.post(url, {"kind": "partner", "unit": units.clinic.pk}, content_type="application/json")
    assert response.status_code == 200 and response.json()["assignee_unit"] == units.clinic.pk
