"""Helpers for the benchmarks: a throwaway database, a free port, percentiles."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(url: str, statement: str) -> None:
    import psycopg

    try:
        connection = psycopg.connect(url, autocommit=True)
    except psycopg.OperationalError:
        connection = psycopg.connect(_with_database(url, "postgres"), autocommit=True)
    with connection:
        connection.execute(statement)


@contextmanager
def throwaway_database(name: str):
    """Point Django (and any subprocess given ``os.environ``) at a fresh database; remove it after.

    PostgreSQL when DATABASE_URL names one (a database ``name`` next to it), else a SQLite
    file in a temporary MULIN_VAR_DIR. Call before ``django.setup()``. Yields a label.
    """
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        _admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _admin(url, f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = _with_database(url, name)
        try:
            yield f"PostgreSQL ({name} on {urlsplit(url).hostname})"
        finally:
            from django.db import connections

            connections.close_all()
            _admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        folder = tempfile.mkdtemp(prefix="mulin-bench-")
        os.environ.pop("DATABASE_URL", None)
        os.environ["MULIN_VAR_DIR"] = folder
        try:
            yield f"SQLite (WAL, {folder}/mulin.sqlite3)"
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the (sorted) values lie; nearest rank."""
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]
