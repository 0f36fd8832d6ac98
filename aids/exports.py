"""The loans as CSV and .xlsx, formula-safe (``common.spreadsheets``): for the committee's
books and the street's figures. No identity numbers and no phone numbers: the overdue list
says whom to call."""

from __future__ import annotations

import io
from collections.abc import Iterable

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from aids.models import Loan
from common.spreadsheets import XlsxText, csv_line


def header() -> list[str]:
    return [
        _("Kind"),
        _("Item"),
        _("Kept at"),
        _("Borrower"),
        _("Address"),
        _("Lent on"),
        _("Due back"),
        _("Renewals"),
        _("Deposit (yuan)"),
        _("Condition when lent"),
        _("Returned on"),
        _("Condition when returned"),
        _("Deposit returned (yuan)"),
        _("Notes"),
    ]


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def rows(loans: Iterable[Loan]) -> list[list]:
    return [
        [
            loan.item.kind.name,
            loan.item.code,
            loan.item.site.name if loan.item.site else "",
            loan.resident.display_name,
            loan.resident.household.address,
            _day(loan.lent_at),
            loan.due_on.isoformat(),
            loan.renewals,
            float(loan.deposit),
            loan.get_condition_out_display(),
            _day(loan.returned_at),
            loan.get_condition_back_display() if loan.condition_back else "",
            "" if loan.deposit_returned is None else float(loan.deposit_returned),
            " / ".join(n for n in (loan.notes_out, loan.notes_back) if n),
        ]
        for loan in loans
    ]


def as_csv(loans: Iterable[Loan]) -> str:
    """With a byte-order mark, so Excel reads the Chinese as UTF-8."""
    return "\ufeff" + "".join(csv_line(row) for row in [header(), *rows(loans)])


NUMBERS = {7, 8, 12}


def as_xlsx(loans: Iterable[Loan]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("Loans"))
    cells = XlsxText(book)
    cells.write_row(sheet, 0, 0, header(), book.add_format({"bold": True}))
    for n, row in enumerate(rows(loans), start=1):
        for column, value in enumerate(row):
            if column in NUMBERS and value != "":
                sheet.write_number(n, column, value)
            else:
                cells.write(sheet, n, column, value)
    sheet.set_column(0, 4, 16)
    book.close()
    return buffer.getvalue()
