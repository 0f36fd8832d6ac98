"""Places never oversold, on PostgreSQL with real threads: 40 diners order one meal of 5
places at once; exactly 5 orders are made, the 35 others are refused "full"."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from meals import ordering
from meals.models import MealService, Mode, Order
from registry.models import Resident
from tests.factories import household, scope_of
from tests.factories import resident as make_resident
from tests.meals.conftest import register

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"),
]

THREADS = 40
PLACES = 5


def _together(works) -> list:
    barrier = threading.Barrier(len(works))
    results: list = []

    def run(work):
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # a loser of the race is counted, not raised
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in works]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_forty_at_once_for_five_places(tree, kitchen, owner):
    kitchen.lunch.places = PLACES
    kitchen.lunch.save()
    home = household(tree.building, "101")
    diners = [register(make_resident(home, f"食客{n}"), kitchen.point) for n in range(THREADS)]
    assert Resident.objects.count() >= THREADS
    set_meal = kitchen.set_meal(timezone.localdate() + timedelta(days=1))
    scope = scope_of(owner)

    def one(diner):
        def place():
            with translation.override("en"):  # a thread starts in the default language
                return ordering.order(diner, set_meal, mode=Mode.EAT_IN, by=owner, scope=scope)

        return place

    results = _together([one(d) for d in diners])
    made = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == PLACES
    assert len(refused) == THREADS - PLACES, [
        r for r in results if not isinstance(r, Order | ValidationError)
    ]
    assert all("places" in " ".join(r.messages) for r in refused)
    assert MealService.objects.get().taken == PLACES
    assert Order.objects.count() == PLACES
