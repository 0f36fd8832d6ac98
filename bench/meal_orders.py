"""Benchmark: 500 lunch orders for 300 places in the minute before the cutoff, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/meal_orders.py
    .venv/bin/python bench/meal_orders.py        # SQLite: one writer at a time

Sets up a throwaway database (see bench/harness.py) with one committee, 500 residents aged 80
and more, each with an account and registered as a diner, the district's 80+ subsidy (so
every order is priced with a subsidy line), and two canteens serving the committee, each with
lunch of 300 places whose orders close two minutes from now (``--minutes``: the
single thread's run alone can take most of a minute on a busy machine) (the first canteen's lunch of
tomorrow, ordered the day before; the second's of the day after, two days before) and a
published menu of two set meals. Then, in this process, every one of the 500 diners orders
that lunch for themself (``meals.ordering.order``, the pages' and the
API's service):

1. at the first canteen from one thread, one after another (the reference);
2. at the second canteen from ``--threads`` threads at once (each its own connection).

Prints orders/s (requests answered per second) for each and the ratio, and checks that exactly
300 orders are made and 200 refused "full" each time, the places counter at 300, no errors.
PostgreSQL here allows 100 connections, shared with other work: 40 threads by default.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from datetime import date, timedelta
from decimal import Decimal

from harness import ROOT, migrated_database

BENCH_DB = "mulin_bench_meal_orders"


def setup(people: int, places: int, minutes: int):
    from django.utils import timezone

    from accounts.models import User
    from areas.models import Area, AreaLevel
    from demo.census import make_committee
    from meals.models import Diner, DiningPoint, Dish, MealKind, Menu, PointMeal, SetMeal, SubsidyRule
    from registry.models import Household, Resident

    committee, _names = make_committee("310106019001", "延长新村居委会", groups=10, per_group=2)
    building = Area.objects.subtree(committee).filter(level=AreaLevel.BUILDING).first()
    homes = Household.objects.bulk_create(
        [Household(building=building, committee=committee, room=f"{n + 1:04d}") for n in range(people // 2)]
    )
    users = User.objects.bulk_create(
        [User(phone=f"1370{n:07d}", name=f"食客{n}", password="!") for n in range(people)], batch_size=500
    )
    residents = Resident.objects.bulk_create(
        [
            Resident(
                committee=committee,
                household=homes[n // 2],
                name=f"食客{n}",
                relation="householder" if n % 2 == 0 else "spouse",
                birth_date=date(1940, 1, 1),
                user=users[n],
            )
            for n in range(people)
        ],
        batch_size=500,
    )
    district = committee.parent.parent
    SubsidyRule.objects.create(
        area=district,
        name="80岁以上助餐补贴",
        funder="区民政局",
        min_age=80,
        amount=Decimal("8.00"),
        monthly_cap=Decimal("160.00"),
        valid_from=timezone.localdate() - timedelta(days=60),
    )
    now = timezone.localtime()
    cutoff = (now + timedelta(minutes=minutes)).time().replace(microsecond=0)
    lunches = []
    for ahead, name in ((1, "延长新村长者食堂"), (2, "延长新村第二助餐点")):
        day = now.date() + timedelta(days=ahead)
        point = DiningPoint.objects.create(area=committee, name=name)
        point.serves.set([committee])
        PointMeal.objects.create(
            point=point,
            meal=MealKind.LUNCH,
            places=places,
            serves_from=now.time().replace(hour=11, minute=0),
            serves_until=now.time().replace(hour=12, minute=30),
            cutoff=cutoff,
            cutoff_days_before=ahead,
        )
        dishes = [Dish.objects.create(point=point, name=n) for n in ("红烧肉", "清炒时蔬")]
        menu = Menu.objects.create(
            point=point, week_start=day - timedelta(days=day.weekday()), published_at=timezone.now()
        )
        for label, price in (("A", Decimal("20.00")), ("B", Decimal("18.00"))):
            set_meal = SetMeal.objects.create(
                menu=menu, day=day, meal=MealKind.LUNCH, label=label, price=price
            )
            set_meal.dishes.set(dishes)
        lunches.append(SetMeal.objects.get(menu=menu, label="A"))
    first = Diner.objects.bulk_create(
        [Diner(resident=r, committee=committee, point=lunches[0].menu.point) for r in residents]
    )
    diners = list(Diner.objects.filter(pk__in=[d.pk for d in first]).select_related("resident__user"))
    return diners, lunches


def run(diners, set_meal, threads: int):
    from django.core.exceptions import ValidationError
    from django.db import connections

    from meals import ordering
    from meals.models import Mode

    made: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def work(share):
        try:
            barrier.wait()
            for diner in share:
                try:
                    made.append(
                        ordering.order(
                            diner, set_meal, mode=Mode.EAT_IN, by=diner.resident.user, scope=None
                        ).pk
                    )
                except ValidationError as error:
                    refused.extend(error.messages)
        except BaseException as error:  # every failure is reported
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(diners[i::threads],)) for i in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - started, made, refused, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--threads", type=int, default=40)
    parser.add_argument("--minutes", type=int, default=2, help="the cutoff this many minutes after setup")
    args = parser.parse_args()
    os.chdir(ROOT)
    with migrated_database(BENCH_DB) as label:
        from meals.models import MealService, Order

        diners, lunches = setup(args.people, args.places, args.minutes)
        print(f"meal orders benchmark: {label}")
        print(f"{args.people} diners order one lunch ({args.places} places), cutoff {args.minutes} min away")
        rates = []
        all_errors: list[BaseException] = []
        for set_meal, threads in zip(lunches, (1, args.threads), strict=True):
            seconds, made, refused, errors = run(diners, set_meal, threads)
            all_errors += errors
            taken = MealService.objects.get(point=set_meal.menu.point).taken
            stored = Order.objects.filter(point=set_meal.menu.point).count()
            # The refusal names the places ("All 300 places…", "…的300个名额已全部订满"), in
            # whatever language the thread runs in.
            full = all(str(args.places) in text for text in refused)
            ok = (
                len(made) == args.places == taken == stored
                and len(refused) == args.people - args.places
                and full
            )
            rates.append(args.people / seconds)
            name = "1 thread (reference)" if threads == 1 else f"{threads} threads at once"
            print(
                f"  {name:<22} {seconds:6.2f} s  {args.people / seconds:7.0f} orders/s   "
                f"{'ok' if ok else 'WRONG'}: {len(made)} ordered, {len(refused)} refused full, "
                f"counter {taken}, {stored} stored"
            )
        print(f"  ratio: at once {rates[1] / rates[0]:.2f}x the single-thread rate")
        print(f"errors: {len(all_errors)}" + (f" e.g. {all_errors[0]!r}" if all_errors else ""))


if __name__ == "__main__":
    main()
