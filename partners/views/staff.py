"""Staff pages: the registry of partner units, a unit's page (its agreements, offers,
contributions and contacts, each kept from a form on the page), writing and ending a unit,
and what the units contributed this year (as a page, CSV and .xlsx)."""

from __future__ import annotations

import io

import xlsxwriter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.downloads import named
from common.forms import form_errors, id_in, posted, show_errors
from common.schemas import year_or_none
from common.scope import Capability, get_or_404, staff_scope
from common.spreadsheets import XlsxText, csv_line
from partners import selectors, services
from partners.forms import AgreementForm, ContactForm, ContributionForm, EndForm, OfferForm, UnitForm
from partners.models import PartnerUnit
from partners.rules import manages, seen_by_staff_q


def _scope(request):
    if not request.scope.can(Capability.MANAGE_PARTNERS) and request.scope.can(Capability.SERVE_AS_PARTNER):
        raise PermissionDenied(_("Partner units open their own page: “My unit”."))
    return staff_scope(request, Capability.MANAGE_PARTNERS)


def _seen(scope, unit_id: int) -> PartnerUnit:
    """A unit staff may read (theirs or their street's); 404 for any other."""
    return get_or_404(
        PartnerUnit.objects.filter(seen_by_staff_q(scope)).select_related("area"),
        _("No such partner unit in your area."),
        pk=unit_id,
    )


@login_required
def index(request):
    scope = request.scope
    if not scope.can(Capability.MANAGE_PARTNERS) and scope.can(Capability.SERVE_AS_PARTNER):
        return redirect("partners:mine")
    scope = _scope(request)
    ended = request.GET.get("ended") == "1"
    return render(
        request,
        "partners/index.html",
        {"units": list(selectors.units_for_staff(scope, ended=ended)), "ended": ended},
    )


@login_required
def new(request):
    scope = _scope(request)
    form = UnitForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(scope, form.draft())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Partner unit added."))
            return redirect(unit)
    return render(request, "partners/edit.html", {"form": form, "unit": None})


@login_required
def edit(request, unit_id: int):
    scope = _scope(request)
    unit = _seen(scope, unit_id)
    if not manages(scope, unit):
        raise PermissionDenied(_("This partner unit belongs to another area; its own staff keep it."))
    form = UnitForm(posted(request), unit=unit)
    end_form = EndForm()
    if request.method == "POST" and request.POST.get("action") == "end":
        end_form = EndForm(request.POST)
        if end_form.is_valid():
            try:
                services.end_unit(request.user, scope, unit, end_form.cleaned_data["reason"])
            except ValidationError as error:
                form_errors(end_form, error)
            else:
                messages.success(request, _("The partnership has ended; its history is kept."))
                return redirect(unit)
    elif request.method == "POST" and form.is_valid():
        try:
            services.update_unit(scope, unit, form.draft())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(unit)
    return render(request, "partners/edit.html", {"form": form, "unit": unit, "end_form": end_form})


FORMS = {
    "agreement": AgreementForm,
    "offer": OfferForm,
    "contribution": ContributionForm,
    "contact": ContactForm,
}


def _forms(unit: PartnerUnit, data=None, which: str = "") -> dict:
    made = {}
    for name, form_class in FORMS.items():
        bound = data if name == which else None
        made[name] = form_class(bound, unit=unit) if name == "contribution" else form_class(bound)
    return made


@login_required
def unit(request, unit_id: int):
    """A unit's page; staff who manage it keep it from the forms here."""
    scope = _scope(request)
    found = _seen(scope, unit_id)
    keeps = manages(scope, found) and found.ended_at is None
    which = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(found, request.POST, which)
    if which:
        if not manages(scope, found):
            raise PermissionDenied(_("This partner unit belongs to another area; its own staff keep it."))
        if _act(request, scope, found, which, forms.get(which)):
            return redirect(found)
    return render(
        request,
        "partners/unit.html",
        {"page": selectors.unit_page(found, staff=True), "keeps": keeps, "forms": forms},
    )


def _act(request, scope, unit: PartnerUnit, which: str, form) -> bool:
    """One keeping step from the unit's page; True when done (then the page is reloaded)."""
    try:
        if which in ("withdraw_offer", "end_contact"):
            pick = id_in(request.POST.get("id"))
            if which == "withdraw_offer":
                services.withdraw_offer(request.user, scope, scope.get(unit.offers.all(), pk=pick))
                messages.success(request, _("Offer withdrawn."))
            else:
                services.end_contact(request.user, scope, scope.get(unit.contacts.all(), pk=pick))
                messages.success(request, _("Contact ended: they no longer see the unit."))
            return True
        if form is None:
            messages.error(request, _("Unknown action."))
            return True
        if not form.is_valid():
            return False
        data = form.cleaned_data
        if which == "agreement":
            services.add_agreement(scope, unit, form.draft())
            messages.success(request, _("Agreement recorded."))
        elif which == "offer":
            services.add_offer(request.user, scope, unit, **data)
            messages.success(request, _("Offer added."))
        elif which == "contribution":
            services.record_contribution(request.user, scope, unit, form.draft())
            messages.success(request, _("Contribution recorded."))
        elif which == "contact":
            _linked(request, services.link_contact(request.user, scope, unit, **data))
    except ValidationError as error:
        if form is None:
            show_errors(request, error)
            return True
        form_errors(form, error)
        return False
    return True


def _linked(request, linked: services.Linked) -> None:
    person = linked.contact.user
    messages.success(request, _("%(name)s now acts for the unit.") % {"name": person.name})
    if linked.password:
        messages.info(
            request,
            _("A new account for %(phone)s: temporary password %(password)s.")
            % {"phone": person.phone, "password": linked.password},
        )
        messages.info(request, _("Hand it over in person; it must be changed at first login."))
    if linked.role_note:
        messages.warning(request, linked.role_note)


# --- Figures -------------------------------------------------------------------------------


def _year(request) -> int:
    return year_or_none(request.GET.get("year")) or timezone.localdate().year


@login_required
def figures(request):
    scope = _scope(request)
    year = _year(request)
    return render(
        request,
        "partners/figures.html",
        {"year": year, "groups": selectors.figures(scope, year), "this_year": timezone.localdate().year},
    )


def _sheet_rows(groups) -> list[list]:
    rows = []
    for group in groups:
        for row in group.rows:
            rows.append(_cells(group.area.name, row.unit.name, row.unit.get_kind_display(), row))
        rows.append(_cells(group.area.name, _("Total"), "", group.total))
    return rows


def _cells(area: str, name: str, kind: str, row) -> list:
    return [
        area,
        name,
        str(kind),
        row.requests_done,
        row.shifts,
        row.person_times,
        row.people_served,
        float(row.hours),
        float(row.funds),
    ]


def _header() -> list[str]:
    return [
        _("Committee or street"),
        _("Partner unit"),
        _("Kind"),
        _("Requests done"),
        _("Shifts staffed"),
        _("Person-times"),
        _("Residents served"),
        _("Hours given"),
        _("Funds (yuan)"),
    ]


@login_required
def figures_csv(request):
    scope = _scope(request)
    year = _year(request)
    lines = [csv_line(_header())] + [csv_line(r) for r in _sheet_rows(selectors.figures(scope, year))]
    response = HttpResponse("\ufeff" + "".join(lines), content_type="text/csv; charset=utf-8")
    return named(response, _("partner units %(year)d.csv") % {"year": year}, f"partners-{year}.csv")


@login_required
def figures_xlsx(request):
    scope = _scope(request)
    year = _year(request)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(str(year))
    cells = XlsxText(book)
    bold = book.add_format({"bold": True})
    cells.write_row(sheet, 0, 0, _header(), bold)
    for n, row in enumerate(_sheet_rows(selectors.figures(scope, year)), start=1):
        cells.write_row(sheet, n, 0, row[:3])
        for column, value in enumerate(row[3:], start=3):
            sheet.write_number(n, column, value)
    sheet.set_column(0, 1, 24)
    book.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return named(response, _("partner units %(year)d.xlsx") % {"year": year}, f"partners-{year}.xlsx")
