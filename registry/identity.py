"""Identity-card numbers (GB 11643-1999) and contact numbers, checked the way a census needs.

Every check raises ``ValidationError`` with a message that says what is wrong, in words a
social worker can act on ("the check digit should be 7, not X"), never just "invalid". A
message names the field and the rule and never quotes the number: it lands in the census
report, its problems CSV, the command's output and the audit log, where the number must not
be in clear (``scrub_id_numbers`` masks one that a message of another column would quote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from operator import mul

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.phone import mask_phone as mask_mobile
from accounts.phone import normalize_phone
from common.text import normal_code, normal_text
from registry.crypto import mask_id_number

# GB 11643-1999: weights of the first 17 digits, and the check character for sum mod 11.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
# The first two digits name a province-level division (GB/T 2260).
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53}
    | {54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91}
)


@dataclass(frozen=True)
class IdCard:
    number: str  # 18 characters, upper-case X
    birth_date: date
    gender: str  # "M" or "F", from the 17th digit (odd for men)


def check_digit(first17: str) -> str:
    return CHECK_CHARACTERS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]


def normalize_id_number(raw: str) -> str:
    """Spaces out, full-width digits and a lower-case x made plain (``common.text.normal_code``,
    the same normal form as phone numbers and every census cell)."""
    if len(raw) == 18 and raw.isascii() and raw[:17].isdigit() and raw[17] in "0123456789X":
        return raw  # already plain: the usual case in a census of thousands
    return normal_code(raw).replace("x", "X")


def parse_id_number(raw: str, *, today: date | None = None) -> IdCard:
    """Check an 18-character resident identity-card number; return it with what it encodes."""
    number = normalize_id_number(raw)
    if not number:
        raise ValidationError(_("The identity-card number is empty."), code="required")
    if len(number) == 15 and number.isdigit():
        raise ValidationError(
            _(
                "The identity-card number is an old 15-digit one; enter the 18-character number on the "
                "current card."
            ),
            code="old_format",
        )
    if "E+" in number.upper() or (number.replace(".", "", 1).isdigit() and "." in number):
        raise ValidationError(
            _(
                "The identity-card number was stored as a number and has lost its last digits; format "
                "the column as text in the spreadsheet and type the number again."
            ),
            code="as_number",
        )
    if len(number) != 18:
        raise ValidationError(
            _("An identity-card number has 18 characters; this one has %(count)d.") % {"count": len(number)},
            code="length",
        )
    if not (number.isascii() and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise ValidationError(
            _("An identity-card number is 17 digits and a final digit or X; this one has other characters."),
            code="characters",
        )
    if int(number[:2]) not in PROVINCES:
        raise ValidationError(
            _("The identity-card number does not start with a province code (31 for Shanghai)."),
            code="region",
        )
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _(
                "The check digit of the identity-card number should be %(expected)s, not %(found)s: "
                "a digit was probably mistyped."
            )
            % {"expected": expected, "found": number[17]},
            code="checksum",
        )
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in the identity-card number (%(digits)s) is not a real date.")
            % {"digits": number[6:14]},
            code="birth_date",
        ) from None
    today = today or date.today()
    if born > today or born.year < 1890:
        raise ValidationError(
            _("The birth date in the identity-card number (%(date)s) is impossible.")
            % {"date": born.isoformat()},
            code="birth_date",
        )
    return IdCard(number, born, "M" if int(number[16]) % 2 else "F")


# 15 to 18 digits (the last may be X), spaces between allowed, half- or full-width.
_ID_LIKE = re.compile(r"[0-9０-９](?:[\s\u3000]*[0-9０-９]){13,16}(?:[\s\u3000]*[0-9０-９xXｘＸ])?")


def scrub_id_numbers(text: str) -> str:
    """``text`` with anything that may be an identity number (15 to 18 characters, valid or
    not) masked as 310***********1234: for a value or message quoted outside the encrypted
    fields."""
    if not text or not isinstance(text, str):
        return text

    def masked(match: re.Match) -> str:
        return mask_id_number(normalize_id_number(match.group(0)))

    return _ID_LIKE.sub(masked, text)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# --- Contact numbers ---------------------------------------------------------------------------

_LANDLINE = re.compile(r"^(0\d{2,3})?([2-9]\d{6,7})$")
_PHONE_SEPARATORS = re.compile(r"[\s\-()]")


def normalize_contact_phone(raw: str) -> str:
    """A mobile number (11 digits) or a landline (8 digits in Shanghai, with an optional
    area code: 021-64XXXXXX); an extension after 转 or # is kept."""
    value = normal_text(raw)
    if not value:
        return ""
    main, extension = value, ""
    for marker in ("转", "#", "ext"):
        if marker in value:
            main, extension = value.split(marker, 1)
            extension = extension.strip(". ")
            break
    compact = _PHONE_SEPARATORS.sub("", normal_code(main))
    if compact.endswith(".0") and compact[:-2].isdigit():
        compact = compact[:-2]  # a number column read from a spreadsheet
    if compact.startswith(("1", "+86", "0086", "86")) and not compact.startswith("0"):
        return normalize_phone(compact)
    if compact.isascii() and compact.isdigit() and _LANDLINE.match(compact):
        return compact + (f"转{extension}" if extension.isdigit() else "")
    raise ValidationError(
        _(
            "“%(value)s” is neither a mobile number (11 digits starting 13–19) nor a landline "
            "(8 digits, with an area code such as 021 if you like)."
        )
        % {"value": raw},
        code="phone",
    )


def mask_contact_phone(phone: str) -> str:
    """139****0000 for a mobile, ****1234 for a landline (``accounts.phone.mask_phone``)."""
    return mask_mobile(phone)
