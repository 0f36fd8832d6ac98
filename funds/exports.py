"""The public movements as .xlsx: every entry, newest first, read from the database in keyset
chunks into a constant-memory workbook on a temporary file, which the response streams."""

from __future__ import annotations

import tempfile

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.spreadsheets import XlsxText
from funds.models import Campaign, Entry, Fund
from funds.selectors import all_movements

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def entry_what(entry: Entry) -> str:
    """What a movement is, as the public reads it: the gift's kind, an expense, a correction."""
    if entry.is_reversal:
        return _("Correction: %(reason)s") % {"reason": entry.reason}
    if entry.gift_kind:
        return str(entry.get_gift_kind_display())
    return str(entry.get_kind_display())


def entry_who(entry: Entry) -> str:
    """The donor as they chose to appear (“Anonymous”), or the payee and purpose."""
    return str(_("Anonymous")) if entry.anonymous else entry.shown_as


def movements_xlsx(fund: Fund, campaign: Campaign | None = None):
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (returned: the response streams and closes it)
    book = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
    cells = XlsxText(book)
    money = book.add_format({"num_format": "0.00"})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(_("Movements"))
    cells.write(sheet, 0, 0, campaign.name if campaign else fund.name, bold)
    cells.write_row(
        sheet, 2, 0, [_("Number"), pgettext("date", "Day"), _("What"), _("Who"), _("Amount")], bold
    )
    row = 3
    for entry in all_movements(fund=None if campaign else fund, campaign=campaign):
        cells.write_row(
            sheet, row, 0, [str(entry.pk), f"{entry.day:%Y-%m-%d}", entry_what(entry), entry_who(entry)]
        )
        sheet.write_number(row, 4, float(entry.amount), money)
        row += 1
    book.close()
    handle.seek(0)
    return handle
