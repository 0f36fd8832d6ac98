"""API of recognition: hours and person-times (by month, per volunteer, team or area one level
down), the yearly recognition list, a volunteer's own stars, service certificates (issue, the
PDF, revoke) and the public check of a certificate's QR code. Same services and scope as the
pages: a certificate outside the role's area (and not one's own) answers 404."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from areas.api import CODE
from areas.models import Area, AreaLevel
from common.api import ERRORS, Id, id_path
from common.downloads import named
from common.schemas import Day, Text
from common.scope import Capability, Scope, get_or_404, staff_scope
from volunteers import certificates, recognition
from volunteers.models import Certificate, Volunteer
from volunteers.rules import volunteer_of

router = Router(tags=["volunteers"])
CERTIFICATE_ID = id_path("A service certificate's id.")
LIST_LEVELS = {AreaLevel.COMMITTEE, AreaLevel.STREET}


class HoursQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Default: this year.")
    month: int | None = Field(None, ge=1, le=12, description="One month of the year; default the whole year.")
    by: Literal["volunteer", "team"] = Field(
        "volunteer", description="Inside a committee: rows per volunteer or per team."
    )
    area: Text | None = Field(
        None, pattern=CODE.pattern, description="An area inside your scope (its code); default your own."
    )


class HoursRowOut(Schema):
    label: str
    key: str | None = Field(description="The volunteer's or team's id, or the part's area code.")
    hours: Decimal
    times: int = Field(description="人次: confirmed entries, neither corrections nor corrected.")
    people: int = Field(description="Different volunteers.")
    stars: int | None = Field(description="For a year's rows of volunteers: stars by those hours.")


class HoursMonthOut(Schema):
    month: int
    hours: Decimal
    times: int
    people: int


class HoursFiguresOut(Schema):
    area: str = Field(description="The area's code.")
    year: int
    month: int | None
    by: str = Field(description='"volunteer", "team", or the level of the parts compared ("committee"…).')
    total: HoursRowOut
    months: list[HoursMonthOut]
    rows: list[HoursRowOut]


def _area(scope: Scope, code: str | None) -> Area:
    if not code:
        return scope.area
    return scope.get(Area.objects.all(), _("No area %(code)s in your scope.") % {"code": code}, code=code)


def _row(row: recognition.Row, with_stars: bool) -> dict:
    key = row.area.code if row.area is not None else (None if row.key in (None, "") else str(row.key))
    return {
        "label": row.label,
        "key": key,
        "hours": row.hours,
        "times": row.times,
        "people": row.people,
        "stars": row.stars if with_stars else None,
    }


@router.get(
    "/recognition/figures",
    response={200: HoursFiguresOut, **ERRORS},
    summary="Volunteer hours and person-times",
)
def hours_figures(request, query: Query[HoursQuery]):
    """Confirmed hours and person-times (人次) of a year or month: by month, and per volunteer
    or team in a committee, per area one level down for a street, district or city."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    area = _area(scope, query.area)
    year = query.year or timezone.localdate().year
    found = recognition.figures(scope, year, month=query.month, area=area, by=query.by)
    return {
        "area": area.code,
        "year": year,
        "month": query.month,
        "by": found.by,
        "total": _row(found.total, False),
        "months": [m.__dict__ for m in found.months],
        "rows": [_row(r, found.shows_stars) for r in found.rows],
    }


class HonourQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Default: this year.")
    area: Text | None = Field(
        None, pattern=CODE.pattern, description="A committee or street in your scope; default your own."
    )


class HonourOut(Schema):
    rank: int
    volunteer: int = Field(description="The volunteer's id.")
    name: str
    stars: int
    hours: Decimal
    times: int
    teams: list[str]


@router.get(
    "/recognition/list", response={200: list[HonourOut], **ERRORS}, summary="The yearly recognition list"
)
def honour_roll(request, query: Query[HonourQuery]):
    """表彰: everyone who served in a committee or street in the year, most hours first."""
    scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
    area = _area(scope, query.area)
    if area.level not in LIST_LEVELS:
        raise HttpError(400, _("A recognition list is drawn up for a committee or a street: choose one."))
    year = query.year or timezone.localdate().year
    return [
        {
            "rank": h.rank,
            "volunteer": h.volunteer_id,
            "name": h.name,
            "stars": h.stars,
            "hours": h.hours,
            "times": h.times,
            "teams": h.teams,
        }
        for h in recognition.honour_roll(scope, year, area=area)
    ]


class MyStarsOut(Schema):
    year: int
    hours: Decimal
    times: int
    stars: int
    to_next_star: Decimal | None = Field(description="Hours still to serve this year for the next star.")


def _me(request) -> Volunteer:
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise HttpError(404, _("You are not registered as a volunteer."))
    return volunteer


@router.get("/recognition/mine", response={200: MyStarsOut, **ERRORS}, summary="My hours and stars this year")
def my_stars(request):
    mine = recognition.my_year(_me(request), timezone.localdate().year)
    return {
        "year": mine.year,
        "hours": mine.hours,
        "times": mine.times,
        "stars": mine.stars,
        "to_next_star": mine.to_next_star,
    }


# --- Certificates -------------------------------------------------------------------------------


class CertificateIn(Schema):
    volunteer: Id | None = Field(None, description="Staff: whose. Omitted: your own.")
    period_from: Day
    period_to: Day


class CertificateRevokeIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=200)


class CertificateOut(Schema):
    id: int
    number: str
    volunteer: int = Field(description="The volunteer's id.")
    name: str
    committee: str = Field(description="The issuing committee's name.")
    period_from: date
    period_to: date
    hours: Decimal
    times: int
    issued_at: str
    revoked: bool
    check_url: str = Field(description="The public page its QR code opens.")
    pdf_url: str


class CertificateCheckOut(Schema):
    number: str
    name: str
    period_from: date
    period_to: date
    hours: Decimal
    times: int
    committee: str
    issued_on: date
    revoked: bool


def _out(request, found: Certificate) -> dict:
    return {
        "id": found.pk,
        "number": found.number,
        "volunteer": found.volunteer_id,
        "name": found.name,
        "committee": found.area.name,
        "period_from": found.period_from,
        "period_to": found.period_to,
        "hours": found.hours,
        "times": found.times,
        "issued_at": timezone.localtime(found.issued_at).isoformat(),
        "revoked": found.is_revoked,
        "check_url": _check_url(request, found),
        "pdf_url": reverse("api:volunteers_certificate_pdf", args=[found.pk]),
    }


def _check_url(request, found: Certificate) -> str:
    return request.build_absolute_uri(
        reverse("volunteers:certificate_check", args=[certificates.token_for(found)])
    )


def _certificate(request, certificate_id: int) -> Certificate:
    missing = _("No certificate %(id)d of yours or in your area.") % {"id": certificate_id}
    found = get_or_404(Certificate.objects.select_related("area", "volunteer"), missing, pk=certificate_id)
    if not certificates.may_see(request.user, request.scope, found):
        raise HttpError(404, missing)
    return found


@router.post("/certificates", response={201: CertificateOut, **ERRORS}, summary="Issue a service certificate")
def issue_certificate(request, payload: CertificateIn):
    """Staff issue one to a volunteer of their area; a volunteer asks for their own (leave out
    ``volunteer``). The period has ended and holds confirmed hours."""
    if payload.volunteer is None:
        volunteer = _me(request)
    else:
        scope = staff_scope(request, Capability.MANAGE_VOLUNTEERS)
        volunteer = scope.get(
            Volunteer.objects.select_related("committee"),
            _("No volunteer %(id)d in your area.") % {"id": payload.volunteer},
            pk=payload.volunteer,
        )
    made = certificates.issue(
        volunteer, payload.period_from, payload.period_to, by=request.user, scope=request.scope
    )
    return Status(201, _out(request, Certificate.objects.select_related("area").get(pk=made.pk)))


@router.get(
    "/certificates/{int:certificate_id}",
    response={200: CertificateOut, **ERRORS},
    summary="One service certificate",
)
def get_certificate(request, certificate_id: int = CERTIFICATE_ID):
    return _out(request, _certificate(request, certificate_id))


@router.get(
    "/certificates/{int:certificate_id}/pdf",
    response={**ERRORS},
    summary="A service certificate as an A4 PDF",
    url_name="volunteers_certificate_pdf",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The certificate, A4, with its QR code.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def certificate_pdf(request, certificate_id: int = CERTIFICATE_ID):
    """None of a revoked certificate (404)."""
    found = _certificate(request, certificate_id)
    if found.is_revoked:
        raise HttpError(404, _("This certificate was revoked."))
    response = HttpResponse(
        certificates.render_pdf(found, _check_url(request, found)), content_type="application/pdf"
    )
    return named(response, f"{found.number}.pdf", f"certificate-{found.number}.pdf")


@router.post(
    "/certificates/{int:certificate_id}/revoke",
    response={200: CertificateOut, **ERRORS},
    summary="Revoke a service certificate",
)
def revoke_certificate(request, payload: CertificateRevokeIn, certificate_id: int = CERTIFICATE_ID):
    found = _certificate(request, certificate_id)
    certificates.revoke(found, payload.reason, by=request.user, scope=request.scope)
    return _out(request, Certificate.objects.select_related("area").get(pk=found.pk))


@router.get(
    "/certificates/check/{token}",
    response={200: CertificateCheckOut, 404: ERRORS[404], 422: ERRORS[422]},
    auth=None,
    summary="Check a service certificate (public)",
)
def check_certificate(request, token: Text):
    """No login: what the certificate's QR code carries, checked. Only the name, period,
    hours, times, the issuing committee and whether it was revoked."""
    found = certificates.from_token(token)
    if found is None:
        raise HttpError(404, _("This is not a certificate issued on Mulin: the code was altered or made up."))
    return {
        "number": found.number,
        "name": found.name,
        "period_from": found.period_from,
        "period_to": found.period_to,
        "hours": found.hours,
        "times": found.times,
        "committee": found.area.name,
        "issued_on": timezone.localtime(found.issued_at).date(),
        "revoked": found.is_revoked,
    }
