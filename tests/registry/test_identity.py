"""Identity-card numbers (GB 11643) and contact numbers: each mistake gets its own message."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from registry.identity import (
    age_on,
    check_digit,
    mask_contact_phone,
    normalize_contact_phone,
    parse_id_number,
)
from tests.factories import id_number

# A published sample number (GB 11643 examples use 11010519491231002X).
SAMPLE = "11010519491231002X"


def test_a_valid_number_gives_its_birth_date_and_gender():
    card = parse_id_number(SAMPLE)
    assert card.birth_date == date(1949, 12, 31)
    assert card.gender == "F"
    male = parse_id_number(id_number("1960-05-06", male=True))
    assert male.gender == "M" and male.birth_date == date(1960, 5, 6)


def test_spaces_full_width_digits_and_lower_case_x_are_forgiven():
    assert parse_id_number(" 110105 19491231 002x ").number == SAMPLE
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ").number == SAMPLE


def _message(raw):
    with pytest.raises(ValidationError) as caught:
        parse_id_number(raw, today=date(2026, 11, 23))
    return caught.value.messages[0], caught.value.code


def test_a_wrong_check_digit_says_which_digit_was_expected():
    message, code = _message("110105194912310021")
    assert code == "checksum"
    assert "X" in message and "1" in message


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("110105491231002", "old_format"),
        ("3.10106E+17", "as_number"),
        ("11010519491231002", "length"),
        ("1101051949123100AX", "characters"),
        ("990105194912310028", "region"),
    ],
)
def test_each_kind_of_mistake_has_its_own_code(raw, code):
    assert _message(raw)[1] == code


def test_an_impossible_birth_date_inside_the_number_is_caught():
    first17 = "31010619500230001"  # 30 February
    message, code = _message(first17 + check_digit(first17))
    assert code == "birth_date" and "19500230" in message
    future = "31010620990101001"
    assert _message(future + check_digit(future))[1] == "birth_date"


def test_age_counts_whole_years():
    assert age_on(date(1946, 11, 24), date(2026, 11, 23)) == 79
    assert age_on(date(1946, 11, 23), date(2026, 11, 23)) == 80


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("139 0000 0000", "13900000000"),
        ("+86 139-0000-0000", "13900000000"),
        ("021-64561234", "02164561234"),
        ("64561234", "64561234"),
        ("64561234转808", "64561234转808"),
        ("13900000000.0", "13900000000"),
        ("１３９ １２３４ ５６７８", "13912345678"),  # full-width, as a Chinese input method types
        ("＋８６ １３９－１２３４－５６７８", "13912345678"),
        ("139—1234—5678", "13912345678"),
        ("（０２１）６４５６１２３４ 转 ８０８", "02164561234转808"),
        ("", ""),
    ],
)
def test_contact_numbers_are_mobiles_or_landlines(raw, expected):
    assert normalize_contact_phone(raw) == expected


def test_a_number_that_is_neither_says_so():
    with pytest.raises(ValidationError) as caught:
        normalize_contact_phone("12345")
    assert "12345" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        normalize_contact_phone("1390000000")  # ten digits


def test_masks_keep_only_what_identifies_nobody():
    assert mask_contact_phone("13900001234") == "139****1234"
    assert mask_contact_phone("02164561234") == "*******1234"


def test_forms_the_api_and_the_census_read_numbers_and_doors_alike():
    """One normal form (common.text) for the resident forms, the API and the census sheet."""
    from accounts.phone import normalize_phone
    from registry.services import clean_door

    assert normalize_phone("１３９ １２３４ ５６７８") == "13912345678"
    assert parse_id_number("１１０１０５ １９４９１２３１ ００２ｘ").number == SAMPLE
    assert clean_door("２单元", "３０１室") == ("2", "301")
    with pytest.raises(ValidationError):
        normalize_phone("١٣٩١٢٣٤٥٦٧٨")  # Arabic-Indic digits are digits to Python, not to us
