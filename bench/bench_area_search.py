"""Benchmark: the area-search API against a trivial view, on the same server in the same run.

    .venv/bin/python bench/bench_area_search.py                     # SQLite, a temp file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_area_search.py

Sets up a throwaway database (see bench/harness.py), migrates, imports Shanghai's official
divisions with ``manage.py import_divisions``, creates a verified social worker of
延长新村居委会 with an API token, and starts gunicorn (2 sync workers, DEBUG off) on a free
127.0.0.1 port. Then sends the same number of requests, from several client threads with
keep-alive connections, to ``GET /healthz`` and to ``GET /api/v1/areas/?q=…`` with a mix of
names, pinyin, initials and code prefixes, and prints requests/s, the ratio and latency
percentiles. Only 127.0.0.1 traffic; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from itertools import cycle, islice
from urllib.parse import urlencode

from harness import ROOT, free_port, percentile, throwaway_database

# Names, full pinyin, initials and code prefixes, from one committee to a whole district.
QUERIES = [
    "延长新村",
    "大宁路",
    "淮海中路",
    "新村",
    "居委会",
    "yanchang",
    "daning",
    "huaihai",
    "tianshan",
    "ycxc",
    "dnljd",
    "hzhhy",
    "310106019",
    "310106019001",
    "310101",
    "3101",
    "gongjiao",
    "定海港路",
    "文化佳园",
    "jiangqiu",
]


@dataclass
class Result:
    label: str
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def line(self) -> str:
        lat = sorted(self.latencies)
        return (
            f"{self.label:<34} {self.requests:>6} requests in {self.seconds:6.2f} s = {self.rate:8,.0f} req/s"
            f"   p50 {percentile(lat, 0.50) * 1000:6.1f} ms   p95 {percentile(lat, 0.95) * 1000:6.1f} ms"
        )


def prepare() -> str:
    """Migrate, import Shanghai, make a verified staff member; return their token's key."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mulin.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from accounts.models import ApiToken, RoleGrant, User
    from accounts.roles import Role
    from areas.models import Area

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("import_divisions", verbosity=0)
    print(f"imported {Area.objects.count():,} areas in {time.perf_counter() - started:.1f} s")
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a running server would have them
    committee = Area.objects.get(code="310106019001")
    user = User.objects.create_user("13900000001", "bench password 7", name="基准社工", home_area=committee)
    RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER, area=committee)
    # The TOTP step happens when a token is asked for; issuing one directly stands for it.
    _token, key = ApiToken.issue(user, name="bench")
    connections.close_all()  # the server's workers open their own
    return key


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "0", "LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "mulin.wsgi:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        f"--chdir={ROOT}",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def fetch(connection: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> bytes:
    """One GET on a kept-alive connection; reconnects once if the server closed it."""
    for attempt in (1, 2):
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            connection.close()
            if attempt == 2:
                raise
            continue
        if response.status != 200:
            raise SystemExit(f"GET {path} answered {response.status}: {body[:200]!r}")
        return body
    raise AssertionError("unreachable")


def run(label: str, port: int, paths: list[str], headers: dict[str, str], threads: int) -> Result:
    """Send ``paths`` from ``threads`` clients, each on its own keep-alive connection."""
    shares = [paths[i::threads] for i in range(threads)]
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads + 1)

    def client(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        try:
            for path in shares[n]:
                began = time.perf_counter()
                fetch(connection, path, headers)
                latencies[n].append(time.perf_counter() - began)
        except BaseException as exc:  # reported after the run
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{label}: {errors[0]!r}")
    return Result(label, len(paths), seconds, [x for share in latencies for x in share])


def search_path(q: str) -> str:
    return "/api/v1/areas/?" + urlencode({"q": q})


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the area-search API against /healthz.")
    parser.add_argument("--requests", type=int, default=2000, help="requests to each endpoint")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    with throwaway_database("mulin_bench_api") as where:
        key = prepare()
        port = free_port()
        server = start_server(port, args.workers)
        try:
            auth = {"Authorization": f"Bearer {key}"}
            check = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            found = {q: json.loads(fetch(check, search_path(q), auth))["count"] for q in QUERIES}
            check.close()
            missing = [q for q, count in found.items() if not count]
            if missing:
                raise SystemExit(f"these queries found nothing, so they measure nothing: {missing}")

            search = [search_path(q) for q in islice(cycle(QUERIES), args.requests)]
            health = ["/healthz"] * args.requests
            warm = args.threads * 25
            run("warm-up", port, health[:warm], {}, args.threads)
            run("warm-up", port, search[:warm], auth, args.threads)
            trivial = run("GET /healthz (trivial view)", port, health, {}, args.threads)
            api = run("GET /api/v1/areas/?q=… (search)", port, search, auth, args.threads)
        finally:
            stop_server(server)

    print(
        f"area-search API benchmark: gunicorn, {args.workers} sync workers, DEBUG off, "
        f"{args.threads} client threads with keep-alive, 127.0.0.1"
    )
    print(f"database: {where}")
    print(f"{len(QUERIES)} queries (names, pinyin, initials, code prefixes), results per query:")
    print("  " + ", ".join(f"{q} {n}" for q, n in found.items()))
    print(trivial.line())
    print(api.line())
    ratio = api.rate / trivial.rate
    print(f"ratio search/trivial: {ratio:.2f} (the search answers at {ratio:.0%} of the trivial view's rate)")


if __name__ == "__main__":
    main()
