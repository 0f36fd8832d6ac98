"""Text as people type it, brought to one form: what a form, the API and a census sheet accept.

Chinese input methods type full-width characters (１３９, Ｘ, （, －, the ideographic space)
as readily as plain ones, and spreadsheets keep whatever was typed. Every field is read
through ``normal_text`` (Unicode NFKC: full-width digits, letters and punctuation to their
plain forms; stripped); numbers and codes (identity and phone numbers, rooms) through
``normal_code``, which also drops inner spaces and evens out the dashes people type.
"""

from __future__ import annotations

import unicodedata

# Dashes NFKC leaves as they are; a phone number or a date may be typed with any of them.
DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc", "-"))


def normal_text(value: str | None) -> str:
    """NFKC (full-width to half-width, the ideographic space to a space), stripped."""
    if not value:
        return ""
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return value.strip()


def normal_code(value: str | None) -> str:
    """A number or code as typed: ``normal_text`` without inner spaces, every dash a hyphen."""
    text = normal_text(value)
    if not text.isascii():
        text = text.translate(DASHES)
    return "".join(text.split()) if " " in text or "\t" in text or "\n" in text else text


# How sheets and forms say yes and no: 是/否, 有/无, √/×, Y/N, TRUE/FALSE, 1/0.
YES_WORDS = frozenset({"是", "有", "对", "√", "✓", "✔", "y", "yes", "true", "1"})
NO_WORDS = frozenset({"否", "无", "没有", "不是", "×", "✗", "✘", "x", "n", "no", "false", "0"})


def yes_no(value: str | None) -> bool | None:
    """True for a yes, False for a no, None for anything else (an empty cell included)."""
    text = normal_code(value).lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    return None
