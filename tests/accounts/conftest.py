"""Accounts tests read pages in English, the source language of every message."""

from __future__ import annotations

from tests import fixtures

english = fixtures.english


def text(response) -> str:
    """The page's text with runs of whitespace collapsed, for phrase assertions."""
    import re

    return re.sub(r"\s+", " ", response.content.decode())
