"""Benchmark: a district's monthly funder statement of meal subsidies, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/meal_statement.py
    ... bench/meal_statement.py --scale 0.1      # 40 dining points, 750,000 orders

Issue 20 asks for 400 dining points and 250,000 meals a day: 7.5 million orders in a 30-day
month. The benchmark builds that in a throwaway database (bench/harness.py) with psycopg's
COPY into the real tables: one district, 10 streets, 200 committees with two dining points
each, 625 diners per point (250,000 residents, households and diners at full size), a lunch
set meal a day per point, every diner's lunch every day of November 2026, one in 97
cancelled, and the subsidy lines of the district's 80+ rule for four diners in five (void for
the cancelled orders). COPY runs with ``session_replication_role = replica`` (no per-row
foreign-key triggers: the benchmark writes consistent ids itself; needs a superuser) and the
real indexes in place. Then, as the district admin's scope sees it:

1. the reference: ``SELECT count(*), sum(amount)`` over the same lines, straight;
2. the statement's totals (``meals.statements.funder_statement`` with the PDF's per point and
   day: two grouped scans of the lines);
3. every line order by order through ``funder_rows``, the path the .xlsx reads (server-side
   cursor, ``.iterator(chunk_size=…)``), without writing; and the same rows from a raw
   psycopg server-side cursor, for what the database and the wire alone cost;
4. the .xlsx (``funder_xlsx``: constant-memory XlsxWriter on a temporary file) of one point
   under ``tracemalloc`` (Python's peak), of a committee, and with ``--xlsx-district`` of
   the whole district (XlsxWriter's own speed makes that the better part of an hour), with
   ru_maxrss before and after;
5. the PDF (totals per point and day, and the first ``PDF_LINE_LIMIT`` lines).

Prints seconds, rows/s and memory for each. PostgreSQL only: SQLite is no place for 7.5
million rows. Check ``df`` first: the full size takes about 6 GB while it runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count
from harness import analyze, migrated_database

BENCH_DB = "mulin_bench_meal_statement"
MONTH = date(2026, 11, 1)
DAYS = 30
STREETS = 10
COMMITTEES_PER_STREET = 20
POINTS_PER_COMMITTEE = 2
DINERS_PER_POINT = 625  # 400 points × 625 = 250,000 lunches a day
FUNDER = "静安区民政局"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``model``'s table; every other column
    gets the field's default (auto timestamps: now). Returns the count."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    extra, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.attname in columns or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_db_prep_save(field.get_default(), connection)
        extra.append(field.column)
        values.append(value)
    names = ", ".join(f'"{c}"' for c in [*columns, *extra])
    tail = "".join("\t" + _text(v) for v in values) + "\n"
    count = 0
    block: list[str] = []
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            block.append("\t".join(map(_text, row)) + tail)
            count += 1
            if len(block) == 20_000:
                copy.write("".join(block))
                block.clear()
        copy.write("".join(block))
    return count


def _text(value) -> str:
    """A value in COPY's text format (the benchmark's values hold no tab, newline or backslash)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def reset_sequence(model) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"
        )


def build(scale: float) -> dict:
    from django.db import connection, transaction

    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from areas.models import LOCAL_PREFIX, Area, AreaLevel
    from meals.models import (
        Diner,
        DiningPoint,
        MealKind,
        MealService,
        Menu,
        Mode,
        Order,
        OrderedVia,
        OrderStatus,
        OrderSubsidy,
        SetMeal,
        SubsidyRule,
    )
    from registry.models import Household, Resident

    points_wanted = max(1, round(STREETS * COMMITTEES_PER_STREET * POINTS_PER_COMMITTEE * scale))
    city = Area.objects.create(code="3101", name="上海市", level=AreaLevel.CITY, official=True)
    district = Area.objects.create(
        code="310106", name="静安区", level=AreaLevel.DISTRICT, parent=city, official=True
    )
    committees: list = []
    buildings: list = []
    for s in range(STREETS):
        street = Area.objects.create(
            code=f"310106{s + 1:03d}",
            name=f"第{s + 1}街道",
            level=AreaLevel.STREET,
            parent=district,
            official=True,
        )
        for c in range(COMMITTEES_PER_STREET):
            if len(committees) * POINTS_PER_COMMITTEE >= points_wanted:
                break
            committee = Area.objects.create(
                code=f"{street.code}{c + 1:03d}",
                name=f"第{s + 1}街道第{c + 1}居委会",
                level=AreaLevel.COMMITTEE,
                parent=street,
                official=True,
            )
            building = Area.objects.create(
                code=f"{committee.code}.{LOCAL_PREFIX[AreaLevel.BUILDING]}1",
                name="1号楼",
                level=AreaLevel.BUILDING,
                parent=committee,
            )
            committees.append(committee)
            buildings.append(building)
    admin = User.objects.create_user("13800000009", "bench-password-1", name="区管理员")
    RoleGrant.objects.create(user=admin, role=Role.DISTRICT_ADMIN, area=district)
    rule = SubsidyRule.objects.create(
        area=district,
        name="80岁以上助餐补贴",
        funder=FUNDER,
        min_age=80,
        amount=Decimal("8.00"),
        valid_from=MONTH,
    )
    points: list[tuple[int, int, int]] = []  # (point id, committee index, building id)
    for index, committee in enumerate(committees):
        for p in range(POINTS_PER_COMMITTEE):
            if len(points) >= points_wanted:
                break
            point = DiningPoint.objects.create(area=committee, name=f"{committee.name}助餐点{p + 1}")
            point.serves.set([committee])
            points.append((point.pk, index, buildings[index].pk))

    days = [MONTH + timedelta(days=d) for d in range(DAYS)]
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        # Menus (a week each), set meals and services: one lunch a day at each point.
        mondays = sorted({d - timedelta(days=d.weekday()) for d in days})
        menu_id = {}
        next_id = 1
        menu_rows = []
        for point_id, _c, _b in points:
            for monday in mondays:
                menu_id[point_id, monday] = next_id
                menu_rows.append((next_id, point_id, monday, MONTH))
                next_id += 1
        copy_rows(Menu, ["id", "point_id", "week_start", "published_at"], menu_rows)
        set_meal_id, service_id = {}, {}
        set_rows, service_rows = [], []
        for n, (point_id, _c, _b) in enumerate(points):
            for d, day in enumerate(days):
                key = n * DAYS + d + 1
                set_meal_id[point_id, day] = key
                service_id[point_id, day] = key
                monday = day - timedelta(days=day.weekday())
                set_rows.append((key, menu_id[point_id, monday], day, MealKind.LUNCH, "A", Decimal("20.00")))
                service_rows.append(
                    (key, point_id, day, MealKind.LUNCH, DINERS_PER_POINT + 50, DINERS_PER_POINT)
                )
        copy_rows(SetMeal, ["id", "menu_id", "day", "meal", "label", "price"], set_rows)
        copy_rows(MealService, ["id", "point_id", "day", "meal", "places", "taken"], service_rows)

        # Households (four residents each), residents, diners.
        diners_total = len(points) * DINERS_PER_POINT
        copy_rows(
            Household,
            ["id", "building_id", "committee_id", "unit", "room", "sort_key"],
            (
                (
                    h + 1,
                    points[h * 4 // DINERS_PER_POINT][2],
                    committees[points[h * 4 // DINERS_PER_POINT][1]].pk,
                    f"{h // 500 + 1}",
                    f"{h % 500 + 1:04d}",
                    f"{h:012d}",
                )
                for h in range((diners_total + 3) // 4)
            ),
        )
        copy_rows(
            Resident,
            ["id", "committee_id", "household_id", "name", "relation", "birth_date", "id_masked"],
            (
                (
                    r + 1,
                    committees[points[r // DINERS_PER_POINT][1]].pk,
                    r // 4 + 1,
                    f"居民{r}",
                    "householder" if r % 4 == 0 else "child",
                    date(1940 + r % 30, 1, 1),
                    f"310***********{r % 10000:04d}",
                )
                for r in range(diners_total)
            ),
        )
        copy_rows(
            Diner,
            ["id", "resident_id", "committee_id", "point_id", "usual_mode"],
            (
                (
                    r + 1,
                    r + 1,
                    committees[points[r // DINERS_PER_POINT][1]].pk,
                    points[r // DINERS_PER_POINT][0],
                    Mode.EAT_IN,
                )
                for r in range(diners_total)
            ),
        )
        print(
            f"  set up {len(points)} points, {diners_total:,} diners in {time.perf_counter() - started:.1f} s"
        )

        # Orders and their subsidy lines: every diner's lunch every day.
        started = time.perf_counter()
        price, subsidy = Decimal("20.00"), Decimal("8.00")
        pays_subsidised, pays_full = price - subsidy, price
        ordered_at = f"{MONTH:%Y-%m-%d} 08:00:00+08"

        def orders():
            oid = 0
            for day in days:
                for n, (point_id, _c, _b) in enumerate(points):
                    key = service_id[point_id, day]
                    first = n * DINERS_PER_POINT
                    for k in range(DINERS_PER_POINT):
                        diner = first + k + 1
                        oid += 1
                        subsidised = diner % 5 != 0
                        cancelled = (oid % 97) == 0
                        yield (
                            oid,
                            key,
                            point_id,
                            day,
                            MealKind.LUNCH,
                            diner,
                            key,
                            Mode.EAT_IN,
                            OrderStatus.CANCELLED if cancelled else OrderStatus.SERVED,
                            price,
                            subsidy if subsidised else Decimal("0.00"),
                            pays_subsidised if subsidised else pays_full,
                            OrderedVia.STANDING,
                            ordered_at,
                        )

        order_count = copy_rows(
            Order,
            [
                "id",
                "service_id",
                "point_id",
                "day",
                "meal",
                "diner_id",
                "set_meal_id",
                "mode",
                "status",
                "price",
                "subsidy",
                "pays",
                "ordered_via",
                "ordered_at",
            ],
            orders(),
        )
        print(f"  COPY {order_count:,} orders in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()

        def lines():
            oid = 0
            for day in days:
                for n, (point_id, _c, _b) in enumerate(points):
                    first = n * DINERS_PER_POINT
                    for k in range(DINERS_PER_POINT):
                        diner = first + k + 1
                        oid += 1
                        if diner % 5 != 0:
                            yield (oid, oid, rule.pk, FUNDER, subsidy, day, point_id, diner, oid % 97 == 0)

        line_count = copy_rows(
            OrderSubsidy,
            ["id", "order_id", "rule_id", "funder", "amount", "day", "point_id", "diner_id", "void"],
            lines(),
        )
        print(f"  COPY {line_count:,} subsidy lines in {time.perf_counter() - started:.1f} s")
    for model in (Menu, SetMeal, MealService, Household, Resident, Diner, Order, OrderSubsidy):
        reset_sequence(model)
    started = time.perf_counter()
    analyze()
    print(f"  ANALYZE in {time.perf_counter() - started:.1f} s")
    return {"admin": admin, "orders": order_count, "lines": line_count, "points": len(points)}


def explain_queries(scope) -> None:
    from django.db import connection

    from meals import statements as st

    rows = (
        st.funder_lines(scope, FUNDER, MONTH).filter(void=False).order_by("day", "point_id", "order_id", "pk")
    )
    totals = st.funder_lines(scope, FUNDER, MONTH).filter(void=False).values("point").order_by("point")
    for name, queryset in (
        ("rows", rows.values_list("day", "order__meal", "diner__resident__name", "rule__name")),
        ("per point", totals.annotate(n=Count("pk"))),
    ):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print(f"--- EXPLAIN {name}\n" + "\n".join(r[0] for r in cursor.fetchall()))


def committee_scope(world: dict):
    """The scope of a social worker of the first committee (two dining points)."""
    from accounts.models import RoleGrant, User
    from accounts.roles import Role
    from accounts.scope import resolve_scope
    from areas.models import Area

    committee = Area.objects.get(code="310106001001")
    user = User.objects.create_user("13800000008", "bench-password-1", name="社工")
    RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER, area=committee)
    return resolve_scope(user, {})


def measure(world: dict, explain: bool = False, xlsx_district: bool = False) -> None:
    from django.db import connection

    from accounts.scope import resolve_scope
    from meals import statements as st

    scope = resolve_scope(world["admin"], {})
    first, following = st.month_bounds(MONTH)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), sum(amount) FROM meals_ordersubsidy"
            " WHERE funder = %s AND day >= %s AND day < %s AND NOT void",
            [FUNDER, first, following],
        )
        count, amount = cursor.fetchone()
    reference = time.perf_counter() - started
    print(f"reference count/sum     {reference:8.2f} s   {count:,} lines, {amount} 元")

    started = time.perf_counter()
    statement = st.funder_statement(scope, FUNDER, MONTH, per_day=True)
    totals = time.perf_counter() - started
    assert statement.total.count == count and statement.total.amount == amount, (
        statement.total,
        count,
        amount,
    )
    print(
        f"statement totals        {totals:8.2f} s   {len(statement.by_point)} points,"
        f" {len(statement.by_rule)} rule,"
        f" {sum(len(v) for v in statement.by_point_day.values()):,} point-days, {statement.void:,} void"
        f"   ({totals / reference:.1f}× the reference)"
    )

    if explain:
        explain_queries(scope)
    # The same rows straight from a psycopg server-side cursor: what the database and the wire
    # cost, without Django's iterator or the statement's per-row work.
    rows_query = (
        st.funder_lines(scope, FUNDER, MONTH)
        .filter(void=False)
        .order_by("day", "point_id", "order_id", "pk")
        .values_list(
            "day",
            "order__meal",
            "order_id",
            "point__name",
            "diner__resident__name",
            "diner__resident__id_masked",
            "rule__name",
            "order__price",
            "amount",
        )
    )
    sql, params = rows_query.query.sql_with_params()
    started = time.perf_counter()
    raw_count = 0
    with connection.connection.transaction(), connection.connection.cursor("bench_raw") as raw:
        connection.connection.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        raw.execute(sql, params)
        while batch := raw.fetchmany(st.CHUNK):
            raw_count += len(batch)
    raw_seconds = time.perf_counter() - started
    print(f"raw cursor, same rows   {raw_seconds:8.2f} s   {raw_count / raw_seconds:,.0f} rows/s")
    before = rss_mb()
    started = time.perf_counter()
    rows = st.count_rows(scope, FUNDER, MONTH)
    iterate = time.perf_counter() - started
    assert rows == count
    print(
        f"rows, order by order    {iterate:8.2f} s   {rows / iterate:,.0f} rows/s"
        f"   ru_maxrss {before:.0f} → {rss_mb():.0f} MB"
    )

    # The .xlsx: one point's month under tracemalloc (Python's peak), then a committee's and, with
    # --xlsx-district, the district's (XlsxWriter writes some 50,000 cells a second here, so a
    # district's 6 million lines take the better part of an hour: the figures scale linearly).
    from meals.models import DiningPoint

    point = DiningPoint.objects.order_by("pk").first()
    for label, who, at, traced in (
        ("one point", scope, point, True),
        ("a committee", committee_scope(world), None, False),
        *([("the district", scope, None, False)] if xlsx_district else []),
    ):
        part = st.funder_statement(who, FUNDER, MONTH, point=at)
        before = rss_mb()
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        handle = st.funder_xlsx(who, part)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        if traced:
            tracemalloc.stop()
        size = os.fstat(handle.fileno()).st_size
        handle.close()
        lines = part.total.count
        print(
            f"xlsx, {label:<12} {seconds:7.2f} s   {lines:,} lines, {lines / seconds:,.0f} rows/s,"
            f" {size / 1e6:,.1f} MB file"
            + (f", Python peak {peak / 1e6:.1f} MB (tracemalloc)" if traced else "")
            + f", ru_maxrss {before:.0f} → {rss_mb():.0f} MB"
        )

    started = time.perf_counter()
    pdf = st.funder_pdf(scope, statement)
    print(
        f"pdf                     {time.perf_counter() - started:8.2f} s   {len(pdf) / 1e6:.1f} MB,"
        f" first {st.PDF_LINE_LIMIT:,} lines"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="share of the 400 points (default 1: 7.5M orders)"
    )
    parser.add_argument("--xlsx-district", action="store_true", help="also write the whole district's .xlsx")
    parser.add_argument("--explain", action="store_true", help="print the plans of the statement's queries")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("PostgreSQL only: set DATABASE_URL=postgres://…")
    with migrated_database(BENCH_DB) as label:
        print(f"{label}, scale {args.scale}")
        world = build(args.scale)
        print(f"{world['points']} points, {world['orders']:,} orders, {world['lines']:,} subsidy lines")
        measure(world, args.explain, args.xlsx_district)


if __name__ == "__main__":
    main()
