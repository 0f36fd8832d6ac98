"""Recognition pages: the figures (hours and person-times by month, per volunteer, team or
area one level down), the yearly recognition list (表彰) and its .xlsx, service certificates
(issue, the PDF, revoke), a volunteer's own stars and certificate, and the public page a
certificate's QR code opens."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

import xlsxwriter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from areas.models import Area, AreaLevel
from areas.selectors import breadcrumbs, figures_area, parts_of
from common.downloads import named
from common.forms import form_errors, id_in, posted
from common.schemas import year_or_none
from common.scope import Capability, Scope, get_or_404, staff_scope
from common.spreadsheets import XlsxText
from volunteers import certificates, recognition
from volunteers.forms.recognition import FiguresForm, IssueForm, PeriodForm, RevokeForm
from volunteers.models import Certificate, Volunteer
from volunteers.rules import manages, volunteer_of

LIST_LEVELS = {AreaLevel.COMMITTEE, AreaLevel.STREET}
RECENT_CERTIFICATES = 100


def _year(request) -> int:
    return year_or_none(request.GET.get("year")) or timezone.localdate().year


def _crumbs(area: Area, scope: Scope):
    return breadcrumbs(area, scope) if area != scope.area else []


@login_required
def figures(request):
    """Hours and person-times of a year (or a month): by month with a chart, then per
    volunteer or team in a committee, per area one level down above it."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    area = figures_area(scope, request.GET.get("area", ""))
    form = FiguresForm(request.GET)
    year, month, by = form.choice()
    found = recognition.figures(scope, year, month=month, area=area, by=by)
    keep = urlencode({k: v for k, v in (("year", year), ("month", month or ""), ("by", by)) if v})
    return render(
        request,
        "volunteers/recognition/figures.html",
        {
            "form": form,
            "area": area,
            "crumbs": _crumbs(area, scope),
            "keep": keep,
            "figures": found,
            "chart": found.chart(),
            "lists": area.level in LIST_LEVELS,
        },
    )


@login_required
def honour_roll(request):
    """The yearly recognition list of a committee or a street; above a street, its parts to
    choose from."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    area = figures_area(scope, request.GET.get("area", ""))
    year = _year(request)
    listed = area.level in LIST_LEVELS
    return render(
        request,
        "volunteers/recognition/list.html",
        {
            "area": area,
            "year": year,
            "crumbs": _crumbs(area, scope),
            "keep": f"year={year}",
            "listed": listed,
            "honours": recognition.honour_roll(scope, year, area=area) if listed else [],
            "parts": [] if listed else parts_of(area),
        },
    )


@login_required
def honour_roll_xlsx(request):
    """The recognition list as .xlsx: Chinese headings, every text cell safe from formulas."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    area = figures_area(scope, request.GET.get("area", ""))
    if area.level not in LIST_LEVELS:
        raise Http404(_("Choose a committee or a street."))
    year = _year(request)
    path = _write_xlsx(area, year, recognition.honour_roll(scope, year, area=area))
    response = named(
        FileResponse(path.open("rb")),
        _("recognition list %(year)s %(area)s.xlsx") % {"year": year, "area": area.name},
        f"recognition-{year}-{area.code}.xlsx",
    )
    path.unlink()
    return response


def _write_xlsx(area: Area, year: int, honours: list[recognition.Honour]) -> Path:
    handle = tempfile.NamedTemporaryFile(prefix="mulin-honours-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(str(year))
    bold = book.add_format({"bold": True})
    cells = XlsxText(book)
    title = _("Volunteer recognition list %(year)s · %(area)s") % {"year": year, "area": area.name}
    cells.write(sheet, 0, 0, title, bold)
    headings = [
        pgettext("recognition", "Rank"),
        pgettext("recognition", "Name"),
        pgettext("recognition", "Stars"),
        pgettext("recognition", "Hours"),
        _("Person-times"),
        pgettext("recognition", "Teams"),
    ]
    cells.write_row(sheet, 1, 0, headings, bold)
    for index, honour in enumerate(honours, start=2):
        sheet.write_number(index, 0, honour.rank)
        cells.write(sheet, index, 1, honour.name)
        cells.write(sheet, index, 2, "★" * honour.stars)
        sheet.write_number(index, 3, float(honour.hours))
        sheet.write_number(index, 4, honour.times)
        cells.write(sheet, index, 5, "、".join(honour.teams))
    sheet.set_column(1, 1, 14)
    sheet.set_column(5, 5, 40)
    book.close()
    return path


# --- Certificates, for staff -------------------------------------------------------------------


def _volunteers(scope: Scope):
    return scope.restrict(Volunteer.objects.all()).order_by("name", "pk")


def _certificate(request, certificate_id: int) -> Certificate:
    """A certificate the user may see (staff over its committee, or its volunteer), else 404."""
    found = get_or_404(Certificate.objects.select_related("area", "volunteer"), pk=certificate_id)
    if not certificates.may_see(request.user, request.scope, found):
        raise Http404
    return found


@login_required
def certificate_list(request):
    """The certificates issued in the area, latest first."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    issued = scope.restrict(Certificate.objects.select_related("area")).order_by("-issued_at", "-pk")
    return render(
        request,
        "volunteers/recognition/certificates.html",
        {"certificates": issued[:RECENT_CERTIFICATES]},
    )


@login_required
def certificate_issue(request):
    """Issue a certificate to a volunteer of the area, for a period (this year by default)."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    initial = {**PeriodForm.this_year(), "volunteer": id_in(request.GET.get("volunteer")) or None}
    form = IssueForm(posted(request), initial=initial, volunteers=_volunteers(scope))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = certificates.issue(
                data["volunteer"], data["period_from"], data["period_to"], by=request.user, scope=scope
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Certificate %(number)s is issued.") % {"number": made.number})
            return redirect("volunteers:certificate", certificate_id=made.pk)
    return render(request, "volunteers/recognition/issue.html", {"form": form})


@login_required
def certificate(request, certificate_id: int):
    found = _certificate(request, certificate_id)
    return render(
        request,
        "volunteers/recognition/certificate.html",
        {
            "certificate": found,
            "may_revoke": manages(request.scope, found.area) and not found.is_revoked,
            "form": RevokeForm(),
            "check_url": _check_url(request, found),
        },
    )


@login_required
def certificate_pdf(request, certificate_id: int):
    """The A4 PDF; none of a revoked certificate, which no longer certifies anything."""
    found = _certificate(request, certificate_id)
    if found.is_revoked:
        raise Http404(_("This certificate was revoked."))
    pdf = certificates.render_pdf(found, _check_url(request, found))
    name = _("service certificate %(name)s %(number)s.pdf") % {"name": found.name, "number": found.number}
    return named(HttpResponse(pdf, content_type="application/pdf"), name, f"certificate-{found.number}.pdf")


@login_required
@require_POST
def certificate_revoke(request, certificate_id: int):
    found = _certificate(request, certificate_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            certificates.revoke(found, form.cleaned_data["reason"], by=request.user, scope=request.scope)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The certificate is revoked; its page now says so."))
    else:
        messages.error(request, _("Say why the certificate is revoked."))
    return redirect("volunteers:certificate", certificate_id=found.pk)


def _check_url(request, found: Certificate) -> str:
    return request.build_absolute_uri(
        reverse("volunteers:certificate_check", args=[certificates.token_for(found)])
    )


# --- A volunteer's own ---------------------------------------------------------------------------


@login_required
def mine(request):
    """My hours and stars this year, my certificates, and asking for one."""
    volunteer = volunteer_of(request.user)
    form = PeriodForm(posted(request), initial=PeriodForm.this_year())
    if volunteer is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = certificates.issue(
                volunteer, data["period_from"], data["period_to"], by=request.user, scope=request.scope
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Your certificate %(number)s is ready.") % {"number": made.number})
            return redirect("volunteers:certificate", certificate_id=made.pk)
    context: dict[str, object] = {"volunteer": volunteer, "form": form, "certificates": []}
    if volunteer is not None:
        context["my_year"] = recognition.my_year(volunteer, timezone.localdate().year)
        context["certificates"] = list(volunteer.certificates.select_related("area")[:RECENT_CERTIFICATES])
    return render(request, "volunteers/recognition/mine.html", context)


# --- Anyone -------------------------------------------------------------------------------------


def certificate_check(request, certificate_token: str):
    """Public: whether a certificate is genuine, from the token its QR code carries. Name,
    period, hours, times, the issuing committee and whether it was revoked; nothing else."""
    found = certificates.from_token(certificate_token)
    if found is None:
        return render(request, "volunteers/recognition/check.html", {"certificate": None}, status=404)
    return render(request, "volunteers/recognition/check.html", {"certificate": found})
