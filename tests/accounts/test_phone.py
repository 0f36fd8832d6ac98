"""Mobile numbers: what is wrong with a bad one is said in words, on the form and in code."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.phone import mask_phone, normalize_phone
from tests.accounts.conftest import text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0086-138-1234-5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("(138) 1234 5678", "13812345678"),
    ],
)
def test_mainland_numbers_in_the_usual_spellings_are_accepted(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("1381234567", "length", "has 11 digits; “1381234567” has 10"),
        ("138123456789", "length", "has 12"),
        ("138abcd5678", "digits", "digits only"),
        ("12812345678", "prefix", "must start with 13–19"),
        ("+1 650 253 0000", "digits", "digits only"),
        ("", "required", "Enter a mobile phone number"),
    ],
)
def test_bad_numbers_say_what_is_wrong(raw, code, words):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert caught.value.code == code
    assert words in caught.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("1381234567", "A mainland mobile number has 11 digits; “1381234567” has 10."),
        ("138-abc-5678", "A mobile number has digits only: “138-abc-5678”."),
        ("11012345678", "“11012345678” is not a mainland mobile number: it must start with 13–19."),
    ],
)
def test_the_login_form_shows_the_phone_message_next_to_the_field(client, raw, words):
    response = client.post(reverse("accounts:login"), {"phone": raw, "password": "whatever 123"})
    assert response.status_code == 200
    page = text(response)
    assert words in page
    assert 'aria-invalid="true"' in page


def test_masking_keeps_the_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("64561234", "****1234"), ("02164561234", "*******1234"), ("64561234转808", "****1234"), ("123", "***")],
)
def test_a_landline_is_masked_too_never_shown_whole(phone, masked):
    """The sign-in sheet and every masked list show a registry phone through this mask; a
    landline used to come back whole."""
    assert mask_phone(phone) == masked
