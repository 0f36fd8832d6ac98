"""Served counts, beneficiaries and wait times: the pages, and served per stall and day as
CSV and .xlsx."""

from __future__ import annotations

import tempfile
from datetime import datetime, time
from pathlib import Path

import xlsxwriter
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.selectors import breadcrumbs, figures_area
from common.downloads import named
from common.schemas import year_or_none
from common.scope import Capability, staff_scope
from common.spreadsheets import XlsxText, csv_line
from servicedays import figures as counts
from servicedays import selectors


def _period(request):
    scope = staff_scope(request, Capability.RUN_SERVICE_DAYS)
    area = figures_area(scope, request.GET.get("area", ""))
    year = year_or_none(request.GET.get("year")) or timezone.localdate().year
    start = timezone.make_aware(datetime(year, 1, 1))
    end = timezone.make_aware(datetime.combine(datetime(year + 1, 1, 1).date(), time.min))
    return area, year, start, end


@login_required
def figures(request):
    area, year, start, end = _period(request)
    return render(
        request,
        "servicedays/figures.html",
        {
            "area": area,
            "year": year,
            "crumbs": breadcrumbs(area, request.scope),
            "total": selectors.beneficiaries(area, start, end),
            "months": selectors.beneficiaries_by_month(area, start, end),
            "parts": selectors.beneficiaries_by_part(area, start, end),
            "waits": counts.waits_under(area, start, end),
            "since": counts.served_since_first(area),
            "rows": counts.served_by_stall(area, start, end)[:200],
        },
    )


def _headings() -> list[str]:
    return [_("Date"), _("Service day"), _("Stall"), _("Numbers given"), _("Served"), _("Absent")]


def _cells(row: counts.ServedRow) -> list:
    return [row.day.isoformat(), row.service_day, row.stall, row.given, row.served, row.absent]


@login_required
def served_csv(request):
    area, year, start, end = _period(request)
    lines = [csv_line(_headings())] + [csv_line(_cells(r)) for r in counts.served_by_stall(area, start, end)]
    response = HttpResponse("\ufeff" + "".join(lines), content_type="text/csv; charset=utf-8")
    return named(
        response,
        _("served per stall %(year)s %(area)s.csv") % {"year": year, "area": area.name},
        f"servicedays-{year}-{area.code}.csv",
    )


@login_required
def served_xlsx(request):
    area, year, start, end = _period(request)
    handle = tempfile.NamedTemporaryFile(prefix="mulin-served-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(str(year))
    bold = book.add_format({"bold": True})
    cells = XlsxText(book)
    cells.write(
        sheet, 0, 0, _("Served per stall %(year)s · %(area)s") % {"year": year, "area": area.name}, bold
    )
    cells.write_row(sheet, 1, 0, _headings(), bold)
    for n, row in enumerate(counts.served_by_stall(area, start, end), start=2):
        cells.write_row(sheet, n, 0, _cells(row)[:3])
        for column, value in enumerate(_cells(row)[3:], start=3):
            sheet.write_number(n, column, value)
    sheet.set_column(0, 2, 18)
    book.close()
    response = named(
        FileResponse(path.open("rb")),
        _("served per stall %(year)s %(area)s.xlsx") % {"year": year, "area": area.name},
        f"servicedays-{year}-{area.code}.xlsx",
    )
    path.unlink()
    return response
