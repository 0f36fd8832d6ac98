"""The social worker handling a watch alert can call the resident with one tap: on the
alert list, the alert and the watch page; their account's number when the registry has none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eldercare import cutoffs
from eldercare.models import Alert
from tests.eldercare.conftest import at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_alert_list_the_alert_and_the_watch_offer_the_residents_number(world, owner_client):
    cutoffs.run_cutoffs(at(10, 0))
    alert = Alert.objects.get(watch=world.watch)
    link = f'href="tel:{world.liu.phone}"'
    assert link in owner_client.get(reverse("eldercare:alerts")).text
    assert link in owner_client.get(reverse("eldercare:alert", args=[alert.pk])).text
    assert link in owner_client.get(reverse("eldercare:watch", args=[world.watch.pk])).text


def test_without_a_number_in_the_registry_their_accounts_is_offered(world, owner_client):
    world.liu.phone = ""
    world.liu.user = UserFactory.create(name="刘阿姨", phone="13900002468")
    world.liu.save()
    cutoffs.run_cutoffs(at(10, 0))
    assert 'href="tel:13900002468"' in owner_client.get(reverse("eldercare:alerts")).text
