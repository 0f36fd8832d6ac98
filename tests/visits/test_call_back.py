"""At the door, a visitor sees the number to call each resident on (tap to call)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import login

pytestmark = pytest.mark.django_db


def test_the_households_page_shows_each_residents_number(client, owner, homes):
    homes.wang.phone = "13900005555"
    homes.wang.save()
    login(client, owner)
    page = client.get(reverse("visits:household", args=[homes.a301.pk])).text
    assert 'href="tel:13900005555"' in page
