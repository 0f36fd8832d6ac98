"""Served counts, beneficiaries and wait times: the API."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from areas.selectors import figures_area
from common.api import ERRORS
from common.schemas import Text
from common.scope import Capability, staff_scope
from servicedays import figures, selectors

router = Router(tags=["servicedays"])


class ServiceDayFiguresQuery(Schema):
    area: Text = Field("", max_length=40, description="An area's code inside your scope; yours by default.")
    year: int | None = Field(None, ge=1900, le=2100, description="This year by default.")


class ServiceDayBeneficiariesOut(Schema):
    days: int
    person_times: int = Field(description="受益人次: served numbers.")
    people: int = Field(description="Distinct registered residents served.")


class ServiceDayMonthOut(ServiceDayBeneficiariesOut):
    month: date


class ServiceDayPartOut(ServiceDayBeneficiariesOut):
    area: str
    name: str


class ServiceDayWaitOut(Schema):
    stall: str
    called: int
    median: float = Field(description="Minutes from taking a number to its call.")
    p90: float = Field(description="90% were called within this many minutes.")


class ServiceDayServedOut(Schema):
    day: date
    service_day: str
    stall: str
    given: int
    served: int
    absent: int


class ServiceDayFiguresOut(Schema):
    area: str
    year: int
    total: ServiceDayBeneficiariesOut
    served_since_first: int
    first_day: date | None
    months: list[ServiceDayMonthOut]
    parts: list[ServiceDayPartOut]
    waits: list[ServiceDayWaitOut]
    served: list[ServiceDayServedOut]


def _b(b: selectors.Beneficiaries) -> dict:
    return {"days": b.days, "person_times": b.person_times, "people": b.people}


@router.get("/figures", response={200: ServiceDayFiguresOut, **ERRORS}, summary="Service day figures")
def service_day_figures(request, query: Query[ServiceDayFiguresQuery]):
    """Beneficiaries by month and by part, wait times per stall, served per stall and day."""
    scope = staff_scope(request, Capability.RUN_SERVICE_DAYS)
    area = figures_area(scope, query.area)
    year = query.year or timezone.localdate().year
    start, end = timezone.make_aware(datetime(year, 1, 1)), timezone.make_aware(datetime(year + 1, 1, 1))
    since = figures.served_since_first(area)
    return {
        "area": area.code,
        "year": year,
        "total": _b(selectors.beneficiaries(area, start, end)),
        "served_since_first": since.served,
        "first_day": since.first,
        "months": [{"month": m, **_b(b)} for m, b in selectors.beneficiaries_by_month(area, start, end)],
        "parts": [
            {"area": p.code, "name": p.name, **_b(b)}
            for p, b in selectors.beneficiaries_by_part(area, start, end)
        ],
        "waits": [w.__dict__ for w in figures.waits_under(area, start, end)],
        "served": [r.__dict__ for r in figures.served_by_stall(area, start, end)],
    }
