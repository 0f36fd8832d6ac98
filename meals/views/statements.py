"""Statements and figures: the pages and downloads.

Staff with ``RUN_MEALS`` choose a month and see the diners and funders of their scope with
their totals, a diner's statement, a funder's statement and the figures. A diner's statement
is also shown to the diner and to the family members acting for them (家属代办). Every
statement downloads as .xlsx (streamed from a temporary file) and as an A4 PDF.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from areas.selectors import breadcrumbs, figures_area
from common.downloads import named
from common.scope import NO_SCOPE, Capability, staff_scope
from meals import figures as meal_figures
from meals import statements as st
from meals.models import Diner, DiningPoint

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FUNDER_MAX = 80


def _month(request):
    try:
        return st.parse_month(request.GET.get("month"))
    except ValidationError as error:
        raise BadRequest(" ".join(error.message_dict["month"])) from error


def _staff(request):
    return staff_scope(request, Capability.RUN_MEALS)


def _funder(request) -> str:
    funder = (request.GET.get("funder") or "").strip()
    if len(funder) > FUNDER_MAX:
        raise BadRequest(_("funder: at most %(n)d characters.") % {"n": FUNDER_MAX})
    return funder


def _point(request, scope) -> DiningPoint | None:
    """The dining point a funder's statement is narrowed to (``?point=<id>``), or None; a point
    neither run in the scope nor serving its committees is not found."""
    text = request.GET.get("point", "")
    if not text:
        return None
    if not text.isdigit() or len(text) > 12:
        raise BadRequest(_("point: a dining point's id."))
    point = (
        DiningPoint.objects.filter(pk=int(text))
        .filter(Q(area__path__startswith=scope.path or "-") | Q(serves__path__startswith=scope.path or "-"))
        .first()
    )
    if point is None:
        raise Http404(_("No such dining point."))
    return point


def _diner(request, diner_id: int) -> tuple[Diner, str]:
    """The diner whose statement the user may see (staff over their committee, themself, their
    family acting for them), or 404."""
    diner = (
        Diner.objects.select_related("resident__household__building", "point", "committee")
        .filter(pk=diner_id)
        .first()
    )
    scope = getattr(request, "scope", NO_SCOPE)
    how = st.may_see_diner(request.user, scope, diner) if diner is not None else None
    if diner is None or how is None:
        raise Http404(_("No such diner."))
    return diner, how


@login_required
def index(request):
    """Choose a month: the diners and funders of the scope with their totals."""
    scope = _staff(request)
    month = _month(request)
    return render(
        request,
        "meals/statements/index.html",
        {
            "month": month,
            "month_text": st.month_text(month),
            "previous": st.month_text(st.previous_month(month)),
            "next": st.month_text(st.next_month(month)),
            "funders": st.funders_of(scope, month),
            "diners": st.diners_of(scope, month, limit=st.DINER_LIST_LIMIT),
            "diner_limit": st.DINER_LIST_LIMIT,
        },
    )


@login_required
def diner_statement(request, diner_id: int):
    diner, how = _diner(request, diner_id)
    month = _month(request)
    return render(
        request,
        "meals/statements/diner.html",
        {
            "statement": st.diner_statement(diner, month),
            "month_text": st.month_text(month),
            "previous": st.month_text(st.previous_month(month)),
            "next": st.month_text(st.next_month(month)),
            "is_staff_view": how == "staff",
        },
    )


def _diner_file_name(diner: Diner, month, ext: str) -> tuple[str, str]:
    name = _("Meal statement %(name)s %(month)s") % {
        "name": diner.resident.display_name,
        "month": st.month_text(month),
    }
    return f"{name}.{ext}", f"meal-statement-{diner.pk}-{st.month_text(month)}.{ext}"


@login_required
def diner_statement_xlsx(request, diner_id: int):
    diner, _how = _diner(request, diner_id)
    month = _month(request)
    handle = st.diner_xlsx(st.diner_statement(diner, month))
    return named(FileResponse(handle, content_type=XLSX), *_diner_file_name(diner, month, "xlsx"))


@login_required
def diner_statement_pdf(request, diner_id: int):
    diner, _how = _diner(request, diner_id)
    month = _month(request)
    response = HttpResponse(st.diner_pdf(st.diner_statement(diner, month)), content_type="application/pdf")
    return named(response, *_diner_file_name(diner, month, "pdf"), inline=True)


def _funder_file_name(funder: str, month, ext: str) -> tuple[str, str]:
    name = _("Meal subsidies %(funder)s %(month)s") % {"funder": funder, "month": st.month_text(month)}
    return f"{name}.{ext}", f"meal-subsidies-{st.month_text(month)}.{ext}"


@login_required
def funder_statement(request):
    scope = _staff(request)
    month = _month(request)
    funder = _funder(request)
    if not funder:
        return redirect("meals:statements")
    point = _point(request, scope)
    return render(
        request,
        "meals/statements/funder.html",
        {
            "statement": st.funder_statement(scope, funder, month, point=point),
            "month_text": st.month_text(month),
            "previous": st.month_text(st.previous_month(month)),
            "next": st.month_text(st.next_month(month)),
            "pdf_limit": st.PDF_LINE_LIMIT,
        },
    )


@login_required
def funder_statement_xlsx(request):
    scope = _staff(request)
    month = _month(request)
    funder = _funder(request)
    if not funder:
        return redirect("meals:statements")
    point = _point(request, scope)
    handle = st.funder_xlsx(scope, st.funder_statement(scope, funder, month, point=point))
    return named(FileResponse(handle, content_type=XLSX), *_funder_file_name(funder, month, "xlsx"))


@login_required
def funder_statement_pdf(request):
    scope = _staff(request)
    month = _month(request)
    funder = _funder(request)
    if not funder:
        return redirect("meals:statements")
    statement = st.funder_statement(scope, funder, month, per_day=True, point=_point(request, scope))
    response = HttpResponse(st.funder_pdf(scope, statement), content_type="application/pdf")
    return named(response, *_funder_file_name(funder, month, "pdf"), inline=True)


@login_required
def figures(request):
    """The month's meals per day and point, diners, deliveries, subsidy by funder; a street and
    above with its parts one level down."""
    scope = _staff(request)
    month = _month(request)
    area = figures_area(scope, request.GET.get("area", ""))
    data = meal_figures.month_figures(area, month)
    return render(
        request,
        "meals/figures/index.html",
        {
            "figures": data,
            "area": area,
            "crumbs": breadcrumbs(area, scope) if area != scope.area else [],
            "keep": f"month={st.month_text(month)}",
            "month_text": st.month_text(month),
            "previous": st.month_text(st.previous_month(month)),
            "next": st.month_text(st.next_month(month)),
            "keep_area": area.code if area != scope.area else "",
        },
    )
