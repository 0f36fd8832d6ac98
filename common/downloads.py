"""The name a download is saved under: in the reader's language, with an ASCII stand-in.

A Chinese file name goes in ``filename*`` (RFC 6266 with RFC 5987's ``UTF-8''`` encoding),
which every current browser reads; ``filename`` carries an ASCII name for the few clients
that do not.
"""

from __future__ import annotations

from urllib.parse import quote


def disposition(name: str, fallback: str, *, inline: bool = False) -> str:
    """The Content-Disposition header for a file saved as ``name`` (``fallback``: ASCII)."""
    ascii_name = fallback.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "") or "download"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def named(response, name: str, fallback: str, *, inline: bool = False):
    """``response`` with its Content-Disposition set to save as ``name``."""
    response["Content-Disposition"] = disposition(name, fallback, inline=inline)
    return response
