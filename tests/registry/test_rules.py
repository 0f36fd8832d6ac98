"""What a registration and a census import say about themselves; templates and services ask these."""

from datetime import date

import pytest
from django.utils import timezone
from django.utils.translation import override

from registry.models import CensusImport, ImportStatus, Registration, RegistrationStatus, Resident


@pytest.mark.parametrize(
    ("status", "pending", "rejected"),
    [
        (RegistrationStatus.PENDING, True, False),
        (RegistrationStatus.VERIFIED, False, False),
        (RegistrationStatus.REJECTED, False, True),
    ],
)
def test_a_registrations_status_answers(status, pending, rejected):
    registration = Registration(status=status)
    assert (registration.is_pending, registration.is_rejected) == (pending, rejected)


@pytest.mark.parametrize(
    ("status", "checked", "problems", "applied"),
    [
        (ImportStatus.CHECKED, True, False, False),
        (ImportStatus.PROBLEMS, False, True, False),
        (ImportStatus.APPLIED, False, False, True),
        (ImportStatus.DISCARDED, False, False, False),
    ],
)
def test_a_census_imports_status_answers(status, checked, problems, applied):
    census = CensusImport(status=status)
    assert (census.is_checked, census.has_problems, census.is_applied) == (checked, problems, applied)


def test_a_resident_is_aged_80_from_the_birth_date():
    today = timezone.localdate()
    assert Resident(birth_date=date(today.year - 81, 1, 1)).is_aged_80
    assert not Resident(birth_date=date(today.year - 79, 12, 31)).is_aged_80
    assert not Resident(birth_date=None).is_aged_80


def test_derived_tags_carry_their_labels():
    today = timezone.localdate()
    with override("en"):
        assert [str(t.label) for t in Resident(birth_date=date(today.year - 81, 1, 1)).derived_tags()] == [
            "Aged 80+"
        ]
        assert [str(t.label) for t in Resident(birth_date=date(today.year - 5, 1, 1)).derived_tags()] == [
            "Minor"
        ]
