"""Reconciliation against the bank statement: a .xlsx or CSV of the bank's lines, matched to
the ledger's bank movements; every bad row named, nothing half-written."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from funds import reconciliation
from funds.models import StatementImport
from tests.factories import scope_of
from tests.funds.conftest import approve_twice, give, spend


def _xlsx(rows) -> SimpleUploadedFile:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return SimpleUploadedFile("流水.xlsx", out.getvalue())


def test_an_xlsx_statement_matches_money_in_and_out(world, owner, colleague, street_admin):
    gift = give(world.fund, owner, "500")
    expense = approve_twice(spend(world.fund, owner, "120"), colleague, street_admin)
    day = gift.received_on
    upload = _xlsx(
        [
            ["日期", "金额", "摘要"],
            [(day + timedelta(days=1)).isoformat(), 500, "捐款"],
            [day.isoformat(), -120, "电梯公司"],
            [day.isoformat(), 7.5, "利息"],
        ]
    )
    statement = reconciliation.reconcile(world.fund, upload, by=owner, scope=scope_of(owner))
    outcome = reconciliation.outcome(statement)
    assert {line.entry_id for line in outcome.matched} == {gift.entry_id, expense.entry_id}
    assert [line.amount for line in outcome.unmatched_lines] == [Decimal("7.50")]
    assert outcome.unmatched_entries == []


def test_a_line_matches_one_entry_only(world, owner):
    give(world.fund, owner, "100")
    give(world.fund, owner, "100", name="李秀英")
    day = world.fund.gifts.first().received_on.isoformat()
    upload = SimpleUploadedFile(
        "s.csv", f"date,amount,reference\n{day},100,a\n{day},100,b\n{day},100,c\n".encode()
    )
    outcome = reconciliation.outcome(
        reconciliation.reconcile(world.fund, upload, by=owner, scope=scope_of(owner))
    )
    assert len(outcome.matched) == 2 and len(outcome.unmatched_lines) == 1


def test_a_file_without_the_columns_is_refused(world, owner):
    upload = SimpleUploadedFile("s.csv", b"when,how much\n2026-01-01,5\n")
    with pytest.raises(ValidationError) as refused:
        reconciliation.reconcile(world.fund, upload, by=owner, scope=scope_of(owner))
    assert "missing: date, amount" in refused.value.message_dict["file"][0]
    assert StatementImport.objects.count() == 0


def test_only_keepers_reconcile(world, outsider):
    upload = SimpleUploadedFile("s.csv", b"date,amount\n2026-01-01,5\n")
    with pytest.raises(PermissionDenied):
        reconciliation.reconcile(world.fund, upload, by=outsider, scope=scope_of(outsider))
