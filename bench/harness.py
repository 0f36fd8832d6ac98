"""Helpers for the benchmarks: a throwaway database, a free port, percentiles."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
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


@contextmanager
def migrated_database(name: str):
    """``throwaway_database`` with Django set up and every migration applied; yields its label."""
    with throwaway_database(name) as label:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mulin.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield label


def analyze() -> None:
    """Statistics, as a running database has them (autovacuum keeps them on PostgreSQL): a
    benchmark that bulk-loads its data runs this before it measures."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


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


@contextmanager
def gunicorn(workers: int = 2):
    """Serve the project with gunicorn (sync workers, DEBUG off, as served) on a free port;
    yields the port once /healthz answers. Call after the database is set up."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "mulin.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--keep-alive",
            "5",
        ],
        cwd=ROOT,
        env=os.environ | {"MULIN_ENV": "development", "DEBUG": "0"},  # no debug bookkeeping
    )
    try:
        for _ in range(300):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not answer /healthz within 30 s")
        yield port
    finally:
        server.terminate()
        server.wait()


def load(
    port: int, path: str, cookie: str, seconds: float, threads: int, extra: dict[str, str] | None = None
) -> tuple[float, list[float]]:
    """Requests/s over ``seconds`` from ``threads`` keep-alive clients; and each latency (ms),
    sorted. ``cookie`` is a session id (or empty for an anonymous client); ``extra``, more
    headers (``{"HX-Request": "true"}`` for the part of a page htmx fetches)."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    headers = {"Cookie": f"sessionid={cookie}", "Connection": "keep-alive"} if cookie else {}
    headers |= extra or {}

    def client():
        mine = []
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path}: {response.status}")
            mine.append((time.perf_counter() - started) * 1000)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return len(latencies) / (time.perf_counter() - started), sorted(latencies)


def compare(port: int, pages: list[tuple], seconds: float, threads: int) -> list[float]:
    """Load each (name, path, session id[, extra headers]) in turn for ``seconds``; print its
    requests/s and p50/p95 latency; return the rates in the same order."""
    rates = []
    for name, path, session, *extra in pages:
        rate, latencies = load(port, path, session, seconds, threads, *extra)
        rates.append(rate)
        print(
            f"{name:<20} {rate:8.0f} requests/s   p50 {percentile(latencies, 0.5):6.1f} ms"
            f"   p95 {percentile(latencies, 0.95):6.1f} ms"
        )
    return rates
