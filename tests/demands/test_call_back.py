"""Staff who triage and handle a request see a number to call the resident back on, as a
tap-to-call link: the resident's own, and the family member's who asked for them."""

from __future__ import annotations

from django.urls import reverse

from demands.models import DemandSource
from registry.contact import CallBack, call_back
from tests.demands.conftest import log, submit
from tests.factories import login, scope_of


def test_the_triage_queue_and_the_request_show_the_number_to_call_back(client, owner, people):
    people.wang.phone = "139 0000 7777"
    people.wang.save()
    mine = submit(people.wang_user, people.wang)
    login(client, owner)
    queue = client.get(reverse("demands:queue") + "?status=new").text
    assert 'href="tel:13900007777"' in queue
    detail = client.get(reverse("demands:detail", args=[mine.pk])).text
    assert 'href="tel:13900007777"' in detail and "Call back" in detail


def test_the_family_member_who_asked_is_the_other_number(client, owner, people):
    asked = submit(people.daughter, people.zhao)  # 赵老伯 has no phone of his own
    assert asked.reporter == people.daughter
    login(client, owner)
    detail = client.get(reverse("demands:detail", args=[asked.pk])).text
    assert f'href="tel:{people.daughter.phone}"' in detail and "who asked for them" in detail
    # Logged by staff: the worker's own number is no one to call back.
    logged = log(owner, people.zhao, source=DemandSource.PHONE)
    assert logged.reporter is None
    assert f"tel:{owner.phone}" not in client.get(reverse("demands:detail", args=[logged.pk])).text


def test_the_number_is_the_residents_then_their_accounts_then_their_homes(owner, outsider, people):
    scope = scope_of(owner)
    assert call_back(scope, people.wang) == [CallBack(people.wang_user.phone, "王建国")]
    people.wang.phone = "13911110000"
    assert call_back(scope, people.wang)[0].phone == "13911110000"
    people.zhao.household.phone = "021-5555 1234"
    [home] = call_back(scope, people.zhao)
    assert (home.phone, home.tel) == ("021-5555 1234", "02155551234")
    # Not for a role that may not see personal data, nor outside its area.
    assert call_back(scope_of(outsider), people.wang) == []
