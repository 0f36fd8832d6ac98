"""Benchmark: the lobby display of a service day (requests/s) against a trivial view on the same
server, while 10 stalls call numbers.

    .venv/bin/python bench/lobby_display.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/lobby_display.py

Sets up a throwaway database (see bench/harness.py) with one committee, its social worker and
a service day in progress at a service point: 10 open stalls, each with 300 numbers handed out
and the first 100 already called, served or marked absent (a busy morning: 3,000 tickets).

Starts gunicorn (2 sync workers, DEBUG off, as on a 2-core machine). While the load runs, a
thread in this process plays the 10 stalls: every ``--every`` seconds each stall hands out a
paper number and taps "call next" (through ``servicedays.queue``, the services the console
calls), so the display's rows change under the load. From 4 client threads over keep-alive
connections, for a fixed time each:

1. ``/healthz`` — a trivial view: the server's and the framework's own cost;
2. the lobby display's board (``/servicedays/<id>/lobby/board/``), what the TV fetches every
   3 seconds: the last five numbers called per stall, no login;
3. the whole lobby page, as the TV loads it once.

Prints requests/s and p50/p95 latency of each, the ratios board/trivial and page/trivial, and
how many numbers the stalls called meanwhile.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from datetime import timedelta

from harness import ROOT, analyze, compare, gunicorn, load, migrated_database

BENCH_DB = "mulin_bench_lobby"
STALLS = 10
HTMX = {"HX-Request": "true"}  # the board's part, as the TV's htmx asks for it


def setup(tickets: int, called: int):
    from django.utils import timezone

    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from areas.models import Area, AreaLevel
    from servicedays.models import ServiceDay, Stall, Ticket
    from spaces.models import Site, SiteKind

    city = Area.objects.create(code="3101", name="上海市", level=AreaLevel.CITY, official=True)
    district = Area.objects.create(
        code="310112", name="闵行区", level=AreaLevel.DISTRICT, parent=city, official=True
    )
    street = Area.objects.create(
        code="310112001", name="江川路街道", level=AreaLevel.STREET, parent=district, official=True
    )
    committee = Area.objects.create(
        code="310112001001", name="江秋新苑居委会", level=AreaLevel.COMMITTEE, parent=street, official=True
    )
    staff = User.objects.create_user("13800000001", "bench-password-1", name="社工")
    RoleGrant.objects.create(user=staff, role=Role.SOCIAL_WORKER, area=committee)
    site = Site.objects.create(area=committee, name="一号服务点", kind=SiteKind.SERVICE_POINT)
    now = timezone.now()
    day = ServiceDay.objects.create(
        area=committee,
        site=site,
        title="便民服务日",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        published_at=now - timedelta(days=7),
    )
    names = [
        "理发",
        "磨刀",
        "缝补",
        "量血压",
        "测血糖",
        "疫苗登记",
        "反诈咨询",
        "家电维修",
        "修钟表",
        "口腔检查",
    ]
    rows = []
    for n, name in enumerate(names[:STALLS]):
        stall = Stall.objects.create(
            service_day=day, name=name, staff_names="志愿者", position=n, opened_at=now - timedelta(hours=1)
        )
        Stall.objects.filter(pk=stall.pk).update(last_number=tickets)
        for number in range(1, tickets + 1):
            taken = now - timedelta(minutes=60) + timedelta(seconds=number * 5)
            done = number <= called
            rows.append(
                Ticket(
                    stall=stall,
                    number=number,
                    paper=True,
                    taken_at=taken,
                    called_at=taken + timedelta(minutes=10) if done else None,
                    served_at=taken + timedelta(minutes=15) if done and number % 7 else None,
                    absent_at=taken + timedelta(minutes=11) if done and not number % 7 else None,
                )
            )
    Ticket.objects.bulk_create(rows, batch_size=1000)
    analyze()
    return staff, day


def play_stalls(staff, day, every: float, stop: threading.Event, calls: list[int]) -> None:
    """Each stall hands out a paper number and calls the next one every ``every`` seconds."""
    from django.db import connections

    from accounts.scope import resolve_scope
    from servicedays import queue
    from servicedays.models import Stall

    scope = resolve_scope(staff, {})
    stalls = list(Stall.objects.filter(service_day=day))
    try:
        while not stop.is_set():
            started = time.perf_counter()
            for stall in stalls:
                queue.hand_out_paper(staff, stall, scope=scope)
                queue.call_next(staff, stall, scope=scope)
                calls[0] += 1
            stop.wait(max(0.0, every - (time.perf_counter() - started)))
    finally:
        connections.close_all()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between two calls of a stall")
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--called", type=int, default=100)
    args = parser.parse_args()
    os.chdir(ROOT)
    with migrated_database(BENCH_DB) as label:
        print(f"lobby display benchmark: {label}")
        staff, day = setup(args.tickets, args.called)
        from django.db import connections

        connections.close_all()
        board, page = f"/servicedays/{day.pk}/lobby/board/", f"/servicedays/{day.pk}/lobby/"
        stop, calls = threading.Event(), [0]
        with gunicorn() as port:
            load(port, board, "", 2, args.threads, HTMX)  # warm both workers
            stalls = threading.Thread(target=play_stalls, args=(staff, day, args.every, stop, calls))
            stalls.start()
            try:
                trivial, board_rate, page_rate = compare(
                    port,
                    [
                        ("trivial /healthz", "/healthz", ""),
                        ("lobby board", board, "", HTMX),
                        ("lobby page", page, ""),
                    ],
                    args.seconds,
                    args.threads,
                )
            finally:
                stop.set()
                stalls.join()
            print(
                f"{STALLS} stalls called {calls[0]} numbers meanwhile "
                f"(one call per stall every {args.every:g} s)"
            )
            print(
                f"ratio: the lobby board serves {board_rate / trivial:.2f}x the trivial view's rate "
                f"({trivial / board_rate:.1f}x slower); the whole page {page_rate / trivial:.2f}x"
            )


if __name__ == "__main__":
    main()
