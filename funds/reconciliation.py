"""Reconciliation against the bank statement: staff upload the bank's lines (a CSV or .xlsx
with the columns date, amount, reference; a header row first), each line is matched to an
entry of the ledger that moved the same sum of money in or out of the bank within a few days,
and what is left unmatched on either side is shown.

Every row is read before anything is stored: a bad row is named by its row and field, and
nothing of the file is kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from accounts.models import User
from common.scope import Scope
from funds import rules
from funds.models import Account, Entry, Fund, Posting, StatementImport, StatementLine

MAX_ROWS = 20000
MAX_BYTES = 5 * 1024 * 1024
WINDOW = timedelta(days=3)
HEADINGS = {
    "date": ("date", "day", "日期", "交易日期"),
    "amount": ("amount", "金额", "交易金额"),
    "reference": ("reference", "ref", "摘要", "附言", "备注"),
}


@dataclass
class BankRow:
    row: int
    day: date
    amount: Decimal
    reference: str


def _cells(upload: UploadedFile) -> list[list[object]]:
    name = (upload.name or "").lower()
    data = upload.read()
    if name.endswith((".xlsx", ".xls", ".ods")):
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            return [list(r) for r in book.get_sheet_by_index(0).to_python()]
        except (CalamineError, ValueError, IndexError):
            raise ValidationError({"file": _("This file is not a workbook we can read.")}) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ValidationError({"file": _("This file is neither UTF-8 nor GB18030 text.")}) from None
    return [list(r) for r in csv.reader(io.StringIO(text))]


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for form in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def _amount(value: object) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace(",", "").replace("¥", "")
    try:
        found = Decimal(text)
    except InvalidOperation:
        return None
    if not found.is_finite() or found == 0 or abs(found) > Decimal("9999999999.99"):
        return None
    return found.quantize(Decimal("0.01"))


def read(upload: UploadedFile) -> list[BankRow]:
    """The bank's lines, or a ValidationError naming every bad row and field."""
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB.")})
    table = [r for r in _cells(upload) if any(str(c or "").strip() for c in r)]
    if not table:
        raise ValidationError({"file": _("The file is empty.")})
    header = [str(c or "").strip().lower() for c in table[0]]
    columns: dict[str, int] = {}
    for key, names in HEADINGS.items():
        for index, heading in enumerate(header):
            if heading in names:
                columns[key] = index
                break
    missing = [key for key in ("date", "amount") if key not in columns]
    if missing:
        raise ValidationError(
            {
                "file": _(
                    "The first row must name the columns date, amount and reference; missing: %(cols)s."
                )
                % {"cols": ", ".join(missing)}
            }
        )
    if len(table) - 1 > MAX_ROWS:
        raise ValidationError({"file": _("A statement has at most %(n)d lines.") % {"n": MAX_ROWS}})
    rows: list[BankRow] = []
    problems: list[str] = []
    for number, cells in enumerate(table[1:], start=2):

        def cell(key: str, cells=cells) -> object:
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        day = _day(cell("date"))
        amount = _amount(cell("amount"))
        if day is None:
            problems.append(
                _("Row %(row)d, date: “%(value)s” is not a date (2026-03-01).")
                % {"row": number, "value": cell("date")}
            )
        if amount is None:
            problems.append(
                _("Row %(row)d, amount: “%(value)s” is not an amount other than zero.")
                % {"row": number, "value": cell("amount")}
            )
        if day is not None and amount is not None:
            rows.append(BankRow(number, day, amount, str(cell("reference") or "").strip()[:200]))
    if problems:
        raise ValidationError({"file": problems})
    return rows


def bank_amounts(fund: Fund, start: date, end: date) -> dict[int, tuple[date, Decimal]]:
    """Each entry's movement of the bank account, for entries of ``fund`` between the days."""
    rows = (
        Posting.objects.filter(entry__fund=fund, account=Account.BANK, entry__day__range=(start, end))
        .values("entry_id", "entry__day")
        .annotate(total=Sum("amount"))
    )
    return {r["entry_id"]: (r["entry__day"], r["total"]) for r in rows}


def reconcile(fund: Fund, upload: UploadedFile, *, by: User, scope: Scope) -> StatementImport:
    """Store the statement's lines, each matched to an unmatched entry of the same sum within
    three days (the nearest day first); all or nothing."""
    if not rules.keeps(scope, fund):
        raise PermissionDenied(_("Only those who keep this fund reconcile it."))
    lines = read(upload)
    start = min(line.day for line in lines) - WINDOW
    end = max(line.day for line in lines) + WINDOW
    with transaction.atomic():
        taken = set(
            StatementLine.objects.filter(statement__fund=fund, entry__isnull=False).values_list(
                "entry_id", flat=True
            )
        )
        candidates = {k: v for k, v in bank_amounts(fund, start, end).items() if k not in taken}
        statement = StatementImport.objects.create(
            fund=fund, name=(upload.name or "statement")[:200], imported_by=by
        )
        made = []
        for line in lines:
            best = None
            for candidate, (day, amount) in candidates.items():
                if amount == line.amount and abs(day - line.day) <= WINDOW:
                    gap = abs(day - line.day)
                    if best is None or (gap, candidate) < best[0]:
                        best = ((gap, candidate), candidate)
            entry_id: int | None = None
            if best is not None:
                entry_id = best[1]
                del candidates[best[1]]
            made.append(
                StatementLine(
                    statement=statement,
                    row=line.row,
                    day=line.day,
                    amount=line.amount,
                    reference=line.reference,
                    entry_id=entry_id,
                )
            )
        StatementLine.objects.bulk_create(made)
    return statement


@dataclass
class Reconciliation:
    statement: StatementImport
    matched: list[StatementLine]
    unmatched_lines: list[StatementLine]
    unmatched_entries: list[Entry]


def outcome(statement: StatementImport) -> Reconciliation:
    """The statement's lines matched and not, and the fund's bank entries over the statement's
    days that no line of any statement matched."""
    lines = list(statement.lines.select_related("entry").order_by("row"))
    span = statement.lines.aggregate(first=Min("day"), last=Max("day"))
    entries: list[Entry] = []
    if span["first"]:
        matched_ids = StatementLine.objects.filter(
            statement__fund=statement.fund, entry__isnull=False
        ).values("entry_id")
        entries = list(
            Entry.objects.filter(
                fund=statement.fund,
                day__range=(span["first"], span["last"]),
                postings__account=Account.BANK,
            )
            .exclude(pk__in=matched_ids)
            .distinct()
            .order_by("day", "pk")
        )
    return Reconciliation(
        statement,
        [line for line in lines if line.entry_id],
        [line for line in lines if not line.entry_id],
        entries,
    )
