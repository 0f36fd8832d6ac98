"""What each unit contributed in a year: requests done, shifts staffed and the person-times
of those who came, and the residents served, hours and funds recorded; on the page, in CSV
and .xlsx, in a fixed number of queries."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from demands.models import FINISHED_STATUSES, OPEN_STATUSES, DemandStatus
from partners import selectors
from partners.models import Contribution
from tests.demands.conftest import submit
from tests.factories import login_verified, scope_of
from tests.partners.conftest import make_unit
from volunteers.models import ClaimStatus, Shift, ShiftClaim, Volunteer, VolunteerKind

pytestmark = pytest.mark.django_db


def test_the_request_statuses_partners_count_are_the_demands_own():
    assert set(selectors.OPEN_REQUEST_STATUSES) == {str(s) for s in OPEN_STATUSES}
    assert set(selectors.DONE_REQUEST_STATUSES) == {str(DemandStatus.RESOLVED), str(DemandStatus.CLOSED)}
    assert DemandStatus.CLOSED in FINISHED_STATUSES


def _moment(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _shift(tree, unit, day: date, *, came: int, absent: int = 0, cancelled=False) -> Shift:
    shift = Shift.objects.create(
        area=tree.committee,
        partner_unit=unit,
        title="义诊",
        place="活动室",
        starts_at=_moment(day),
        ends_at=_moment(day, 11),
        places=5,
        withdraw_until=_moment(day - timedelta(days=1)),
        cancelled_at=timezone.now() if cancelled else None,
    )
    for n in range(came + absent):
        volunteer = Volunteer.objects.create(
            committee=tree.committee, name=f"志愿者{n}", kind=VolunteerKind.RESIDENT
        )
        ShiftClaim.objects.create(
            shift=shift,
            volunteer=volunteer,
            status=ClaimStatus.CLAIMED if n < came else ClaimStatus.NO_SHOW,
            checked_in_at=shift.starts_at if n < came else None,
        )
    return shift


@pytest.fixture
def year_of_work(tree, people, units):
    """This year the clinic did two requests (a third is open, a fourth was done last year),
    staffed two shifts (3 and 2 came, one did not; a cancelled one and last year's do not
    count), and gave a free clinic and funds."""
    today = timezone.localdate()
    year = today.year
    jan = date(year, 1, 2)
    last_year = date(year - 1, 6, 1)
    for n, (status, when) in enumerate(
        [
            (DemandStatus.RESOLVED, _moment(jan)),
            (DemandStatus.CLOSED, _moment(jan)),
            (DemandStatus.IN_PROGRESS, None),
            (DemandStatus.CLOSED, _moment(last_year)),
        ]
    ):
        demand = submit(people.wang_user, people.wang, text=f"请求{n}")
        demand.assignee_unit, demand.assignee_kind = units.clinic, "partner"
        demand.status, demand.resolved_at = status, when
        demand.save()
    _shift(tree, units.clinic, jan, came=3, absent=1)
    _shift(tree, units.clinic, jan + timedelta(days=7), came=2)
    _shift(tree, units.clinic, jan, came=4, cancelled=True)
    _shift(tree, units.clinic, last_year, came=4)
    for on, people_served, hours, funds in [
        (jan, 38, Decimal("4"), Decimal(0)),
        (jan, 0, Decimal("1.5"), Decimal("5000")),
        (last_year, 99, Decimal("9"), Decimal("9")),
    ]:
        Contribution.objects.create(
            unit=units.clinic, on=on, what="义诊", people_served=people_served, hours=hours, amount_yuan=funds
        )
    return year


def test_each_units_year_is_counted(owner, units, year_of_work):
    groups = selectors.figures(scope_of(owner), year_of_work)
    # The committee's units, then the street's (its committees see them too); not the neighbour's.
    assert [g.area.name for g in groups] == ["大宁路街道", "延长新村居委会"]
    clinic = next(r for g in groups for r in g.rows if r.unit == units.clinic)
    assert (clinic.requests_done, clinic.shifts, clinic.person_times) == (2, 2, 5)
    assert (clinic.people_served, clinic.hours, clinic.funds) == (38, Decimal("5.5"), Decimal("5000"))
    committee = next(g for g in groups if g.area.name == "延长新村居委会")
    assert committee.total.person_times == 5 and committee.total.requests_done == 2
    school = next(r for g in groups for r in g.rows if r.unit == units.school)
    assert (school.requests_done, school.shifts, school.people_served) == (0, 0, 0)
    last = next(
        r
        for g in selectors.figures(scope_of(owner), year_of_work - 1)
        for r in g.rows
        if r.unit == units.clinic
    )
    assert (last.requests_done, last.shifts, last.person_times, last.people_served) == (1, 1, 4, 99)


def test_figures_take_the_same_queries_for_more_units(
    owner, tree, units, year_of_work, django_assert_num_queries
):
    scope = scope_of(owner)
    with django_assert_num_queries(5):
        selectors.figures(scope, year_of_work)
    for n in range(5):
        make_unit(tree.committee, f"单位{n}")
    with django_assert_num_queries(5):
        selectors.figures(scope, year_of_work)


def test_the_figures_page_and_its_downloads(client, owner, units, year_of_work):
    login_verified(client, owner)
    page = client.get(reverse("partners:figures"), {"year": year_of_work}).content.decode()
    assert "大宁社区卫生服务中心" in page and "慧芝湖律师事务所" not in page
    csv = client.get(reverse("partners:figures_csv"), {"year": year_of_work})
    text = csv.content.decode("utf-8-sig")
    assert "大宁社区卫生服务中心,Clinic or hospital,2,2,5,38,5.5,5000.0" in text
    xlsx = client.get(reverse("partners:figures_xlsx"), {"year": year_of_work})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(BytesIO(xlsx.content)) as book:
        assert "大宁社区卫生服务中心" in book.read("xl/sharedStrings.xml").decode()


def test_the_api_gives_the_figures(client, owner, units, year_of_work):
    login_verified(client, owner)
    rows = client.get("/api/v1/partners/figures", {"year": year_of_work}).json()
    clinic = next(r for r in rows if r["unit"] == units.clinic.pk)
    assert (clinic["requests_done"], clinic["person_times"], clinic["people_served"]) == (2, 5, 38)
