#!/usr/bin/env python3
"""Say where Mulin is once it answers: wait for ``<base URL>/healthz``, then print the demo's
summary and logins (a file load_demo wrote) and the address.

``make run`` starts it beside the server. Printed before the server is up, the address sent
people to a page that did not answer for half a minute (the system checks, the task queue).

    python scripts/announce.py http://127.0.0.1:8000 var/demo.txt
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def is_up(base_url: str) -> bool:
    try:
        url = f"{base_url.rstrip('/')}/healthz"
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http(s), checked in main
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def wait_until_up(base_url: str, timeout: float, every: float = 0.25) -> bool:
    """True as soon as the server answers /healthz; False if it has not within ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_up(base_url):
            return True
        time.sleep(every)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("summary", nargs="?", type=Path, help="A file to print first (the demo logins).")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args(argv)
    if not args.base_url.startswith(("http://", "https://")):
        parser.error("the base URL starts with http:// or https://")
    if not wait_until_up(args.base_url, args.timeout):
        print(f"Mulin did not answer at {args.base_url} within {args.timeout:.0f} s.", file=sys.stderr)
        return 1
    if args.summary and args.summary.exists():
        print(args.summary.read_text(encoding="utf-8").rstrip())
    print("")
    print(f"Mulin is at {args.base_url.rstrip('/')}/  (Ctrl-C to stop)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
