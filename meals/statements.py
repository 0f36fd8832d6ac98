"""Statements for reimbursement: a diner's month and a funder's month.

- A diner's statement lists every live order of the month (day, meal, set meal, how, price,
  the subsidy by funder, what the diner pays, how and when it was paid, its status), the
  totals and what is still unpaid. Cancelled orders are left out and counted. Staff with
  ``RUN_MEALS`` over the diner's committee see it, and so do the diner and the family members
  who act for them (家属代办), for their own months.
- A funder's statement is what the funder owes for a month: its subsidy lines
  (``OrderSubsidy``) order by order, with the rule that gave each amount, and the totals per
  rule, per dining point and per point and day. Void lines (cancelled orders) are left out and
  counted. It covers the lines of the points run inside the viewer's scope and of the diners
  living inside it (a street sees its committees, a district all).

Names on a funder's statement: reimbursement is checked person by person, so the lines carry
the diner's name with the masked identity number's tail (``…1234``), never the full number;
a viewer without ``VIEW_PEOPLE`` (no meal role today lacks it) gets the name masked as well.

Size: a district's month is millions of lines. Totals are grouped in the database (three
queries whatever the size); the order-by-order lines are read with a server-side cursor
(``.iterator(chunk_size=…)``) into an XlsxWriter workbook in ``constant_memory`` mode, written
to a temporary file and streamed from there, so memory stays flat. The PDF prints the totals
per point and day and the lines one by one only up to ``PDF_LINE_LIMIT``, and says so.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from common.pdf import cjk_fonts, document, markup, styles
from common.scope import Capability, Scope
from common.spreadsheets import XlsxText
from meals.models import (
    LIVE_ORDERS,
    MEAL_ORDER,
    Diner,
    DiningPoint,
    MealKind,
    Order,
    OrderSubsidy,
    PaidHow,
    SubsidyRule,
)
from meals.pricing import month_bounds
from registry.selectors import speaks_for

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
CHUNK = 5000
PDF_LINE_LIMIT = 2000
DINER_LIST_LIMIT = 500  # diners listed on the statements page (a district has a quarter of a million)
SHEET_ROWS = 1_000_000  # lines on one sheet of the .xlsx, its heading aside
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# --- The month asked for ------------------------------------------------------------------------


def parse_month(text: str | None) -> date:
    """The first day of the month ``YYYY-MM`` (this month when none is given)."""
    if not text:
        return timezone.localdate().replace(day=1)
    match = _MONTH.match(text.strip())
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    raise ValidationError({"month": _("Give the month as YYYY-MM, for example 2026-12.")})


def month_text(month: date) -> str:
    return f"{month:%Y-%m}"


def previous_month(month: date) -> date:
    return (month.replace(day=1) - date.resolution).replace(day=1)


def next_month(month: date) -> date:
    return month_bounds(month)[1]


# --- Who may see what ---------------------------------------------------------------------------


def staff_runs_meals(scope: Scope) -> bool:
    return scope.can(Capability.RUN_MEALS)


def diners_seen_by(scope: Scope) -> QuerySet[Diner]:
    """The diners whose statements staff with ``RUN_MEALS`` see: those living in the scope."""
    if not staff_runs_meals(scope):
        return Diner.objects.none()
    return scope.restrict(Diner.objects.all())


def may_see_diner(user, scope: Scope, diner: Diner) -> str | None:
    """How ``user`` may see ``diner``'s statements: "staff", "self", "proxy", or None."""
    if staff_runs_meals(scope) and scope.covers_path(diner.committee.path):
        return "staff"
    return speaks_for(user, diner.resident)


def lines_in_scope(scope: Scope) -> Q:
    """Subsidy lines of points run inside the scope or of diners living inside it."""
    if not scope.path:
        return Q(pk__in=[])
    return Q(point__in=DiningPoint.objects.filter(area__path__startswith=scope.path)) | Q(
        diner__in=Diner.objects.filter(committee__path__startswith=scope.path)
    )


def orders_in_scope(scope: Scope) -> Q:
    if not scope.path:
        return Q(pk__in=[])
    return Q(point__area__path__startswith=scope.path) | Q(diner__committee__path__startswith=scope.path)


# --- A diner's month ----------------------------------------------------------------------------


@dataclass
class DinerLine:
    order: Order
    by_funder: list[tuple[str, Decimal]]

    @property
    def meal_rank(self) -> tuple[date, int, int]:
        return (self.order.day, MEAL_ORDER.get(MealKind(self.order.meal), 9), self.order.pk)


@dataclass
class DinerStatement:
    diner: Diner
    month: date
    lines: list[DinerLine]
    cancelled: int
    by_funder: list[tuple[str, Decimal]]

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def price(self) -> Decimal:
        return sum((line.order.price for line in self.lines), ZERO)

    @property
    def subsidy(self) -> Decimal:
        return sum((line.order.subsidy for line in self.lines), ZERO)

    @property
    def pays(self) -> Decimal:
        return sum((line.order.pays for line in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.order.pays for line in self.lines if line.order.is_paid), ZERO)

    @property
    def unpaid(self) -> Decimal:
        return self.pays - self.paid

    @property
    def unpaid_count(self) -> int:
        return sum(1 for line in self.lines if not line.order.is_paid and line.order.pays > 0)


def diner_statement(diner: Diner, month: date) -> DinerStatement:
    """The diner's orders of ``month``: two queries (the orders with their set meals and
    points, and their subsidy lines)."""
    first, following = month_bounds(month)
    orders = list(
        Order.objects.filter(diner=diner, day__gte=first, day__lt=following)
        .select_related("set_meal", "point")
        .prefetch_related("subsidies")
    )
    live = [o for o in orders if o.status in LIVE_ORDERS]
    funders: dict[str, Decimal] = defaultdict(lambda: ZERO)
    lines = []
    for order in live:
        own: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for sub in order.subsidies.all():
            if not sub.void:
                own[sub.funder] += sub.amount
                funders[sub.funder] += sub.amount
        lines.append(DinerLine(order, sorted(own.items())))
    lines.sort(key=lambda line: line.meal_rank)
    return DinerStatement(
        diner=diner,
        month=first,
        lines=lines,
        cancelled=len(orders) - len(live),
        by_funder=sorted(funders.items()),
    )


# --- A funder's month ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    count: int
    amount: Decimal


@dataclass
class FunderStatement:
    funder: str
    month: date
    total: Total
    void: int
    by_rule: list[tuple[SubsidyRule, Total]]
    by_point: list[tuple[DiningPoint, Total]]
    by_point_day: dict[int, list[tuple[date, Total]]] = field(default_factory=dict)
    point: DiningPoint | None = None  # the statement of one dining point only

    @property
    def is_empty(self) -> bool:
        return self.total.count == 0


def funder_lines(
    scope: Scope, funder: str, month: date, point: DiningPoint | None = None
) -> QuerySet[OrderSubsidy]:
    """The funder's subsidy lines of ``month`` in the scope (at ``point`` only, when given),
    void ones included."""
    first, following = month_bounds(month)
    lines = OrderSubsidy.objects.filter(
        lines_in_scope(scope), funder=funder, day__gte=first, day__lt=following
    )
    return lines.filter(point=point) if point is not None else lines


def money(amount) -> Decimal:
    """A sum of money to the fen, whatever the database gives (SQLite sums to ``Decimal("13")``)."""
    return Decimal(amount or 0).quantize(CENT)


def _total(row) -> Total:
    return Total(row["n"] or 0, money(row["amount"]))


def funder_statement(
    scope: Scope, funder: str, month: date, *, per_day: bool = False, point: DiningPoint | None = None
) -> FunderStatement:
    """The totals in two scans of the lines, whatever the month's size: per rule (one query),
    and per point, or per point and day with ``per_day`` (one query, with the void lines
    counted alongside; the whole is their sum); then the rules and points by id (two)."""
    lines = funder_lines(scope, funder, month, point)
    owed = Q(void=False)
    rules = {
        r["rule"]: _total(r)
        for r in lines.filter(owed)
        .values("rule")
        .order_by("rule")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    }
    group = ("point", "day") if per_day else ("point",)
    counted: dict[int, list] = {}
    by_point_day: dict[int, list[tuple[date, Total]]] = {}
    void = 0
    for r in (
        lines.values(*group)
        .order_by(*group)
        .annotate(
            n=Count("pk", filter=owed), amount=Sum("amount", filter=owed), void=Count("pk", filter=~owed)
        )
    ):
        void += r["void"]
        if not r["n"]:
            continue
        total = _total(r)
        at = counted.setdefault(r["point"], [0, ZERO])
        at[0] += total.count
        at[1] += total.amount
        if per_day:
            by_point_day.setdefault(r["point"], []).append((r["day"], total))
    points = {pk: Total(n, amount) for pk, (n, amount) in counted.items()}
    whole = Total(sum(t.count for t in points.values()), sum((t.amount for t in points.values()), ZERO))
    rule_objects = SubsidyRule.objects.in_bulk(list(rules))
    point_objects = DiningPoint.objects.in_bulk(list(points))
    return FunderStatement(
        funder=funder,
        month=month_bounds(month)[0],
        total=whole,
        void=void,
        by_rule=sorted(
            ((rule_objects[pk], t) for pk, t in rules.items()), key=lambda pair: (pair[0].name, pair[0].pk)
        ),
        by_point=sorted(
            ((point_objects[pk], t) for pk, t in points.items()), key=lambda pair: (pair[0].name, pair[0].pk)
        ),
        by_point_day=by_point_day,
        point=point,
    )


def id_tail(id_masked: str) -> str:
    """The last four characters of a masked identity number, as ``…1234`` ("" when none)."""
    return f"…{id_masked[-4:]}" if id_masked and len(id_masked) >= 4 else ""


def masked_name(name: str) -> str:
    """王建国 → 王**: for a viewer who may not see residents' names."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class FunderRow(NamedTuple):
    """One owed line (a tuple: millions are made for a district's month)."""

    day: date
    meal: str
    order_id: int
    point: str
    diner: str
    id_tail: str
    rule: str
    price: Decimal
    amount: Decimal


@contextmanager
def _whole_result():
    """PostgreSQL plans a cursor for its first tenth (``cursor_tuple_fraction``): nested loops
    that start at once and crawl through millions. A statement reads every row: plan for all
    of them (hash joins and one sort) while the cursor is open."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


def funder_rows(
    scope: Scope, funder: str, month: date, *, point: DiningPoint | None = None, limit: int | None = None
) -> Iterator[FunderRow]:
    """The owed lines order by order (day, point, order), read from a server-side cursor in
    chunks: the path the xlsx and the PDF share, flat in memory whatever the month's size."""
    names = scope.can(Capability.VIEW_PEOPLE)
    meals = {value: str(label) for value, label in MealKind.choices}
    rows = (
        funder_lines(scope, funder, month, point)
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
    if limit is not None:
        rows = rows[:limit]
    with _whole_result():
        for day, meal, order_id, at, name, id_masked, rule, price, amount in rows.iterator(chunk_size=CHUNK):
            yield FunderRow(
                day,
                meals.get(meal, meal),
                order_id,
                at,
                name if names else masked_name(name),
                id_tail(id_masked),
                rule,
                price,
                amount,
            )


def funders_of(scope: Scope, month: date) -> list[tuple[str, Total]]:
    """The funders with owed lines in the scope this month, with their totals: one query."""
    first, following = month_bounds(month)
    rows = (
        OrderSubsidy.objects.filter(lines_in_scope(scope), void=False, day__gte=first, day__lt=following)
        .values("funder")
        .order_by("funder")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    )
    return [(r["funder"], _total(r)) for r in rows]


@dataclass(frozen=True)
class DinerTotal:
    diner: Diner
    count: int
    price: Decimal
    subsidy: Decimal
    pays: Decimal
    unpaid: Decimal


def diners_of(scope: Scope, month: date, limit: int = DINER_LIST_LIMIT) -> list[DinerTotal]:
    """The diners in the scope who ate this month (the first ``limit`` of them, by id), with
    their month's totals: one query for the totals, one for the diners (with their residents)."""
    first, following = month_bounds(month)
    rows = (
        Order.objects.filter(
            diner__in=diners_seen_by(scope), status__in=LIVE_ORDERS, day__gte=first, day__lt=following
        )
        .values("diner")
        .order_by("diner")
        .annotate(
            n=Count("pk"),
            total_price=Sum("price"),
            total_subsidy=Sum("subsidy"),
            total_pays=Sum("pays"),
            total_unpaid=Sum("pays", filter=Q(paid_at__isnull=True)),
        )[:limit]
    )
    totals = {r["diner"]: r for r in rows}
    diners = Diner.objects.select_related("resident", "committee").in_bulk(list(totals))
    result = [
        DinerTotal(
            diners[pk],
            r["n"],
            money(r["total_price"]),
            money(r["total_subsidy"]),
            money(r["total_pays"]),
            money(r["total_unpaid"]),
        )
        for pk, r in totals.items()
    ]
    return sorted(result, key=lambda t: (t.diner.resident.name, t.diner.pk))


# --- Files ----------------------------------------------------------------------------------------


def yuan(amount: Decimal) -> str:
    return f"{amount:.2f} 元"


def _paid_text(order: Order) -> str:
    if order.paid_how == PaidHow.NOTHING_DUE or (order.pays == 0 and not order.paid_how):
        return str(PaidHow.NOTHING_DUE.label)
    if not order.is_paid:
        return _("Unpaid")
    how = order.get_paid_how_display() or ""
    ref = f" {order.payment_ref}" if order.payment_ref else ""
    return f"{how}{ref} · {timezone.localtime(order.paid_at):%Y-%m-%d %H:%M}"


def paid_text(order: Order) -> str:
    """How and when the diner paid, "Unpaid", or "Nothing to pay"."""
    return _paid_text(order)


def diner_xlsx(statement: DinerStatement):
    """The diner's statement as an .xlsx file (a temporary file, rewound)."""

    handle = tempfile.TemporaryFile()  # noqa: SIM115 (returned: the response streams and closes it)
    book = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
    cells = XlsxText(book)
    money = book.add_format({"num_format": "0.00"})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(_("Statement"))
    resident = statement.diner.resident
    cells.write(
        sheet,
        0,
        0,
        _("Meal statement of %(name)s, %(month)s")
        % {"name": resident.display_name, "month": month_text(statement.month)},
        bold,
    )
    header = [
        _("Day"),
        _("Meal"),
        _("Set meal"),
        _("How"),
        _("Dining point"),
        _("Price"),
        _("Subsidy"),
        _("Funded by"),
        _("Diner pays"),
        _("Paid"),
        _("Status"),
    ]
    cells.write_row(sheet, 2, 0, header, bold)
    row = 3
    for line in statement.lines:
        order = line.order
        cells.write_row(
            sheet,
            row,
            0,
            [
                f"{order.day:%Y-%m-%d}",
                order.get_meal_display(),
                order.set_meal.label,
                order.get_mode_display(),
                order.point.name,
            ],
        )
        sheet.write_number(row, 5, float(order.price), money)
        sheet.write_number(row, 6, float(order.subsidy), money)
        cells.write(sheet, row, 7, "; ".join(f"{f} {a:.2f}" for f, a in line.by_funder))
        sheet.write_number(row, 8, float(order.pays), money)
        cells.write(sheet, row, 9, paid_text(order))
        cells.write(sheet, row, 10, order.get_status_display())
        row += 1
    row += 1
    cells.write(sheet, row, 0, _("Total"), bold)
    sheet.write_number(row, 5, float(statement.price), money)
    sheet.write_number(row, 6, float(statement.subsidy), money)
    sheet.write_number(row, 8, float(statement.pays), money)
    cells.write(sheet, row + 1, 0, _("Unpaid"), bold)
    sheet.write_number(row + 1, 8, float(statement.unpaid), money)
    cells.write(sheet, row + 2, 0, _("Cancelled orders, not counted: %(n)d") % {"n": statement.cancelled})
    book.close()
    handle.seek(0)
    return handle


def funder_xlsx(scope: Scope, statement: FunderStatement):
    """The funder's month as .xlsx: the lines order by order (streamed from the database into a
    constant-memory workbook on a temporary file), then the totals per rule and per point."""

    handle = tempfile.TemporaryFile()  # noqa: SIM115 (returned: the response streams and closes it)
    book = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
    cells = XlsxText(book)
    money = book.add_format({"num_format": "0.00"})
    bold = book.add_format({"bold": True})
    headings = [
        _("Day"),
        _("Meal"),
        _("Order"),
        _("Dining point"),
        _("Diner"),
        _("Identity no."),
        pgettext("meals: the subsidy rule that gave an amount", "Rule"),
        _("Price"),
        _("Subsidy owed"),
    ]
    sheet, row, sheets = None, SHEET_ROWS, 0
    for line in funder_rows(scope, statement.funder, statement.month, point=statement.point):
        if row == SHEET_ROWS:  # Excel holds 1,048,576 rows a sheet: a district's month takes several
            sheets += 1
            sheet = book.add_worksheet(_("Orders") if sheets == 1 else f"{_('Orders')} {sheets}")
            cells.write_row(sheet, 0, 0, headings, bold)
            row = 1
        assert sheet is not None
        cells.write(sheet, row, 0, f"{line.day:%Y-%m-%d}")
        cells.write(sheet, row, 1, line.meal)
        sheet.write_number(row, 2, line.order_id)
        cells.write(sheet, row, 3, line.point)
        cells.write(sheet, row, 4, line.diner)
        if line.id_tail:
            cells.write(sheet, row, 5, line.id_tail)  # "…1234"
        cells.write(sheet, row, 6, line.rule)
        sheet.write_number(row, 7, float(line.price), money)
        sheet.write_number(row, 8, float(line.amount), money)
        row += 1
    if sheet is None:
        cells.write_row(book.add_worksheet(_("Orders")), 0, 0, headings, bold)
    totals = book.add_worksheet(_("Totals"))
    cells.write(
        totals,
        0,
        0,
        _("%(funder)s owes for %(month)s")
        % {"funder": statement.funder, "month": month_text(statement.month)},
        bold,
    )
    if statement.point is not None:
        cells.write(totals, 1, 0, statement.point.name)
    cells.write_row(
        totals,
        2,
        0,
        [pgettext("meals: the subsidy rule that gave an amount", "Rule"), _("Meals"), _("Amount")],
        bold,
    )
    at = 3
    for rule, total in statement.by_rule:
        cells.write(totals, at, 0, rule.name)
        totals.write_number(at, 1, total.count)
        totals.write_number(at, 2, float(total.amount), money)
        at += 1
    at += 1
    cells.write_row(totals, at, 0, [_("Dining point"), _("Meals"), _("Amount")], bold)
    at += 1
    for point, total in statement.by_point:
        cells.write(totals, at, 0, point.name)
        totals.write_number(at, 1, total.count)
        totals.write_number(at, 2, float(total.amount), money)
        at += 1
    at += 1
    cells.write(totals, at, 0, _("Total"), bold)
    totals.write_number(at, 1, statement.total.count)
    totals.write_number(at, 2, float(statement.total.amount), money)
    cells.write(
        totals, at + 1, 0, _("Void lines (cancelled orders), not counted: %(n)d") % {"n": statement.void}
    )
    book.close()
    handle.seek(0)
    return handle


def count_rows(scope: Scope, funder: str, month: date) -> int:
    """Every owed line read the way the xlsx reads them (for the benchmark): how many."""
    return sum(1 for _row in funder_rows(scope, funder, month))


# --- PDFs (A4, Chinese) -----------------------------------------------------------------------


def _pdf_table(rows: list[list[str]], widths_mm: list[float], *, plain: bool = False):
    """A table of ``rows`` (the first is the heading). Cells wrap (one Paragraph each), or, with
    ``plain``, are single lines cut to their column: a funder's month has thousands of lines,
    and a Paragraph per cell costs a hundred times a string."""
    look = styles()
    if plain:
        regular, _bold = cjk_fonts()
        size = 8
        data = [
            [_fit(str(cell), w * mm, size) for cell, w in zip(row, widths_mm, strict=True)] for row in rows
        ]
        font = [("FONTNAME", (0, 0), (-1, -1), regular), ("FONTSIZE", (0, 0), (-1, -1), size)]
    else:
        data = [[Paragraph(markup(str(cell)), look.small) for cell in row] for row in rows]
        font = []
    table = Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *font,
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _fit(text: str, width: float, size: float) -> str:
    """``text`` cut with "…" to fit ``width`` points at ``size`` (a CJK character is ``size`` wide)."""
    room = int((width - 6) / size)  # the cell's padding
    wide = sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in text)
    if wide <= room:
        return text
    out, used = "", 0.0
    for c in text:
        used += 1.0 if ord(c) > 0x2E80 else 0.55
        if used > room - 1:
            return out + "…"
        out += c
    return out


def diner_pdf(statement: DinerStatement) -> bytes:
    """The diner's month on A4: the orders, the totals, what is unpaid."""

    look = styles()
    buffer = io.BytesIO()
    name = statement.diner.resident.display_name
    title = _("Meal statement of %(name)s, %(month)s") % {"name": name, "month": month_text(statement.month)}
    doc = document(buffer, title=title, author=statement.diner.point.name, subject=_("Meal statement"))
    rows = [
        [
            _("Day"),
            _("Meal"),
            _("Set meal"),
            _("How"),
            _("Price"),
            _("Subsidy"),
            _("Diner pays"),
            _("Paid"),
            _("Status"),
        ]
    ]
    for line in statement.lines:
        order = line.order
        rows.append(
            [
                f"{order.day:%m-%d}",
                order.get_meal_display(),
                order.set_meal.label,
                order.get_mode_display(),
                f"{order.price:.2f}",
                f"{order.subsidy:.2f}",
                f"{order.pays:.2f}",
                paid_text(order),
                order.get_status_display(),
            ]
        )
    rows.append(
        [
            _("Total"),
            "",
            "",
            "",
            f"{statement.price:.2f}",
            f"{statement.subsidy:.2f}",
            f"{statement.pays:.2f}",
            "",
            "",
        ]
    )
    story = [
        Paragraph(markup(title), look.title),
        Paragraph(
            markup(_("Usual dining point: %(point)s") % {"point": statement.diner.point.name}), look.body
        ),
        Spacer(1, 8),
        _pdf_table(rows, [14, 16, 16, 18, 17, 17, 18, 40, 18]),
        Spacer(1, 8),
        Paragraph(
            markup(
                _("%(n)d meals; the diner pays %(pays)s, of which %(unpaid)s is unpaid.")
                % {"n": statement.count, "pays": yuan(statement.pays), "unpaid": yuan(statement.unpaid)}
            ),
            look.body,
        ),
    ]
    for funder, amount in statement.by_funder:
        story.append(
            Paragraph(
                markup(_("Subsidy from %(funder)s: %(amount)s") % {"funder": funder, "amount": yuan(amount)}),
                look.body,
            )
        )
    story.append(
        Paragraph(markup(_("Cancelled orders, not counted: %(n)d") % {"n": statement.cancelled}), look.small)
    )
    doc.build(story)
    return buffer.getvalue()


def funder_pdf(scope: Scope, statement: FunderStatement, limit: int = PDF_LINE_LIMIT) -> bytes:
    """The funder's month on A4: totals per rule, per point, per point and day; then the lines
    order by order up to ``limit`` (the PDF says so when there are more: the xlsx has them all)."""

    look = styles()
    buffer = io.BytesIO()
    title = _("%(funder)s: meal subsidies owed for %(month)s") % {
        "funder": statement.funder,
        "month": month_text(statement.month),
    }
    area = scope.area.name if scope.area is not None else ""
    if statement.point is not None:
        area = f"{area} · {statement.point.name}"
    doc = document(buffer, title=title, author=area, subject=_("Funder statement"))
    story = [
        Paragraph(markup(title), look.title),
        Paragraph(
            markup(
                _("%(n)d meals subsidised, %(amount)s owed, in %(area)s.")
                % {"n": statement.total.count, "amount": yuan(statement.total.amount), "area": area}
            ),
            look.body,
        ),
        Paragraph(
            markup(_("Void lines (cancelled orders), not counted: %(n)d") % {"n": statement.void}), look.small
        ),
        Paragraph(markup(_("By rule")), look.heading),
        _pdf_table(
            [[pgettext("meals: the subsidy rule that gave an amount", "Rule"), _("Meals"), _("Amount")]]
            + [[r.name, str(t.count), f"{t.amount:.2f}"] for r, t in statement.by_rule],
            [100, 30, 44],
        ),
        Paragraph(markup(_("By dining point")), look.heading),
        _pdf_table(
            [[_("Dining point"), _("Meals"), _("Amount")]]
            + [[p.name, str(t.count), f"{t.amount:.2f}"] for p, t in statement.by_point],
            [100, 30, 44],
        ),
    ]
    if statement.by_point_day:
        story.append(Paragraph(markup(_("By dining point and day")), look.heading))
        rows = [[_("Dining point"), _("Day"), _("Meals"), _("Amount")]]
        for point, _total_of_point in statement.by_point:
            for day, total in statement.by_point_day.get(point.pk, []):
                rows.append([point.name, f"{day:%Y-%m-%d}", str(total.count), f"{total.amount:.2f}"])
        story.append(_pdf_table(rows, [80, 34, 26, 34], plain=True))
    story += [PageBreak(), Paragraph(markup(_("Order by order")), look.heading)]
    if statement.total.count > limit:
        story.append(
            Paragraph(
                markup(
                    _("The first %(limit)d of %(n)d lines are printed here; the Excel file has every line.")
                    % {"limit": limit, "n": statement.total.count}
                ),
                look.body,
            )
        )
    rows = [
        [
            _("Day"),
            _("Meal"),
            _("Order"),
            _("Dining point"),
            _("Diner"),
            pgettext("meals: the subsidy rule that gave an amount", "Rule"),
            _("Subsidy owed"),
        ]
    ]
    for line in funder_rows(scope, statement.funder, statement.month, point=statement.point, limit=limit):
        rows.append(
            [
                f"{line.day:%m-%d}",
                line.meal,
                str(line.order_id),
                line.point,
                f"{line.diner} {line.id_tail}",
                line.rule,
                f"{line.amount:.2f}",
            ]
        )
    story.append(_pdf_table(rows, [12, 12, 18, 44, 36, 36, 16], plain=True))
    doc.build(story)
    return buffer.getvalue()
