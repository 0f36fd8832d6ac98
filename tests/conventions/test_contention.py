"""At the signing ceremony everyone taps at once: on PostgreSQL, 20 threads sign for the same
households of a per-household convention at the same moment, and each household ends with
exactly one live signature; every other attempt reads why, nobody gets an error page."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from conventions import signing
from conventions.models import Signature
from registry.models import Resident
from tests.activities.test_contention import many_residents
from tests.conventions.conftest import make_convention

THREADS = 20


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_signature_per_household_when_all_sign_at_once(tree, owner):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: there is no race to lose")
    residents = list(
        Resident.objects.filter(pk__in=[r.pk for r in many_residents(tree.building, 100)]).select_related(
            "household__building", "user"
        )
    )
    version = make_convention(owner, tree.committee, per_household=True)
    start = threading.Barrier(THREADS)
    refused: list[str] = []
    errors: list[BaseException] = []

    def sign(share: list[Resident]) -> None:
        try:
            start.wait()
            translation.activate("en")  # a thread starts in the default language
            for person in share:
                assert person.user is not None
                try:
                    signing.sign(person.user, person, version)
                except ValidationError as error:
                    refused.extend(error.messages)
        except BaseException as error:  # anything else fails the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(residents[i::THREADS],)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    live = Signature.objects.filter(version=version, withdrawn_at__isnull=True)
    assert live.count() == 10 and live.values("household").distinct().count() == 10
    assert len(refused) == 90 and all("already signed" in text for text in refused)
