"""Mainland China mobile numbers: 11 digits, starting 13–19."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.text import normal_code

_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_SEPARATORS = re.compile(r"[\s\-()]")


def normalize_phone(raw: str) -> str:
    """Strip spaces, dashes and a +86 / 0086 prefix; validate; return the 11 digits.
    Full-width digits (１３９ １２３４ ５６７８) are read as the digits they are.

    Raises ValidationError with a message that says what is wrong with the number.
    """
    value = _SEPARATORS.sub("", normal_code(raw))
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    if len(value) == 13 and value.startswith("86"):
        value = value[2:]
    if not value:
        raise ValidationError(_("Enter a mobile phone number."), code="required")
    if not (value.isascii() and value.isdigit()):
        raise ValidationError(
            _("A mobile number has digits only: “%(value)s”.") % {"value": raw}, code="digits"
        )
    if len(value) != 11:
        raise ValidationError(
            _("A mainland mobile number has 11 digits; “%(value)s” has %(count)d.")
            % {"value": raw, "count": len(value)},
            code="length",
        )
    if not _MOBILE.match(value):
        raise ValidationError(
            _("“%(value)s” is not a mainland mobile number: it must start with 13–19.") % {"value": raw},
            code="prefix",
        )
    return value


def validate_phone(value: str) -> None:
    if normalize_phone(value) != value:
        raise ValidationError(_("Store the number as 11 digits without spaces or prefix."), code="format")


def mask_phone(value: str) -> str:
    """138****5678 for a mobile, ****1234 for a landline (its extension left out): for lists,
    sheets and exports where the full number is not needed. Never the whole number, whatever
    its form (a landline once came out in full on the activities' sign-in sheet)."""
    value = value or ""
    if len(value) == 11 and value.isdigit() and value.startswith("1"):
        return f"{value[:3]}****{value[-4:]}"
    digits = value.split("转")[0]
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]
