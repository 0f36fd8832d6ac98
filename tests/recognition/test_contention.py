"""Two raters making two ratings of the same centre and year final at once: one final rating,
a clear refusal for the other (the database's partial unique constraint decides)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from recognition import ratings
from recognition.models import Rating
from tests.factories import scope_of
from tests.recognition.conftest import FULL

THREADS = 4


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_final_rating_when_raters_finalise_at_once(world, street_admin):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: there is no race to lose")
    scope = scope_of(street_admin)
    submitted = []
    for _n in range(THREADS):
        rating = ratings.start_rating(street_admin, world.centre, world.sheet, scope=scope)
        for criterion in world.sheet.criteria.all():
            ratings.score(rating, criterion, FULL[criterion.title], "现场", scope=scope)
        submitted.append(ratings.submit(rating, scope=scope))
    start = threading.Barrier(THREADS)
    refused: list[str] = []
    errors: list[BaseException] = []

    def finalise(rating: Rating) -> None:
        try:
            start.wait()
            translation.activate("en")
            try:
                ratings.finalise(street_admin, rating, scope=scope)
            except ValidationError as error:
                refused.extend(error.messages)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=finalise, args=(r,)) for r in submitted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Rating.objects.final().filter(centre=world.centre).count() == 1
    assert len(refused) == THREADS - 1 and all("already has a final rating" in r for r in refused)
