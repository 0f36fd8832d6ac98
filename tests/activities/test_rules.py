"""What a sign-up says about itself; templates and the sign-up rules ask these."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import Activity, Signup, SignupStatus, SignupVia


@pytest.mark.parametrize(
    ("status", "place", "waiting", "cancelled"),
    [
        (SignupStatus.CONFIRMED, True, False, False),
        (SignupStatus.WAITING, False, True, False),
        (SignupStatus.CANCELLED, False, False, True),
    ],
)
def test_a_signups_status_answers(status, place, waiting, cancelled):
    signup = Signup(status=status)
    assert (signup.has_place, signup.is_waiting, signup.is_cancelled) == (place, waiting, cancelled)


@pytest.mark.parametrize(
    ("via", "other"), [(SignupVia.SELF, False), (SignupVia.PROXY, True), (SignupVia.WALK_IN, True)]
)
def test_a_signup_by_someone_else_says_how(via, other):
    assert Signup(via=via).by_someone_else is other


def test_an_activity_is_over_once_it_has_ended():
    assert Activity(ends_at=timezone.now() - timedelta(minutes=1)).is_over
    assert not Activity(ends_at=timezone.now() + timedelta(minutes=1)).is_over
