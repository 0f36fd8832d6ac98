"""The demo's spaces, service days and care aids (issue 19): the seeds' figures, and the
invariants the services keep, for every row the demo wrote."""

import itertools
from collections import defaultdict
from datetime import time, timedelta

import pytest
from django.db.models import Count, Max
from django.utils import timezone

from accounts.models import User
from activities.models import Activity
from aids.models import AidCategory, AidItem, AidKind, Condition, Hold, HoldStatus, Loan
from demo import aids as demo_aids
from demo import servicedays as demo_servicedays
from demo import spaces as demo_spaces
from demo.servicedays import JIANGQIU_STALLS, SERVED_JIANGQIU
from demo.spaces import age_on, in_rule
from partners.models import OfferKind
from registry.models import ResidentTag, Tag
from servicedays.models import ServiceDay, Stall, Ticket
from spaces.figures import idle_spaces
from spaces.hours import is_open, openings_of
from spaces.models import (
    ApplicationStatus,
    AudienceRule,
    Booking,
    BookingSeries,
    BookingStatus,
    Site,
    SiteKind,
    SlotApplication,
    Space,
)
from tests.factories import scope_of

# Loaded once for the package, with the other demo tests, on the demo's xdist worker (conftest.py).
pytestmark = [pytest.mark.xdist_group("load_demo"), pytest.mark.django_db]

YANCHANG, TIANSHAN, JIANGQIU, GONGJIAO = "310106019001", "310105005024", "310117103004", "310110009016"


@pytest.fixture(autouse=True)
def _demo(demo_output):
    """The demo loaded once for the package (tests/demo/conftest.py)."""


def _local(moment):
    return timezone.localtime(moment)


def test_yanchang_has_its_five_5h_spaces_on_the_plan_with_their_hours():
    spaces = {s.name: s for s in Space.objects.filter(area__code=YANCHANG).select_related("site")}
    assert set(spaces) == {"乐活空间", "乐龄空间", "绿萝空间", "乐动空间", "乐影空间"}
    for space in spaces.values():
        assert space.site is not None and space.site.map_x is not None and space.map_y is not None
        assert space.hours.exists() and space.equipment and space.about
    # 乐动空间 is open all day, every day, and listed rather than booked.
    ledong = spaces["乐动空间"]
    assert not ledong.bookable and not Booking.objects.filter(space=ledong).exists()
    assert sorted(ledong.hours.values_list("weekday", flat=True)) == list(range(7))
    # 乐影空间: the partner unit that brings the projector books its film evenings.
    films = Booking.objects.filter(space=spaces["乐影空间"], partner_unit__isnull=False)
    assert films.count() >= 3
    unit = films[0].partner_unit
    assert unit is not None and unit.offers.filter(kind=OfferKind.EQUIPMENT).exists()
    assert spaces["乐龄空间"].needs_approval and spaces["乐活空间"].bookable


def test_yanchang_bookings_came_did_not_come_wait_and_one_space_is_idle():
    bookings = Booking.objects.filter(space__area__code=YANCHANG)
    past = bookings.filter(ends_at__lt=timezone.now(), status=BookingStatus.CONFIRMED)
    assert past.filter(checked_in_at__isnull=False).count() > 30
    assert past.filter(no_show_at__isnull=False).exists()
    assert bookings.filter(starts_at__gt=timezone.now(), status=BookingStatus.CONFIRMED).count() > 10
    pending = bookings.get(status=BookingStatus.PENDING)
    assert pending.space.needs_approval and pending.starts_at > timezone.now()
    assert bookings.filter(status=BookingStatus.DECLINED).exclude(decline_reason="").exists()
    assert bookings.filter(partner_unit__isnull=False, space__name="乐龄空间").exists()
    # 刘阿姨's daughter books her rehabilitation sessions for her.
    liu = bookings.filter(for_resident__user__phone="13900000001")
    assert liu.count() == 3
    assert set(liu.values_list("booked_by__phone", flat=True)) == {"13900000003"}
    # 绿萝空间: nothing in the last 30 days and nothing to come.
    lvluo = bookings.filter(space__name="绿萝空间")
    assert lvluo.exists()
    assert lvluo.aggregate(last=Max("ends_at"))["last"] < timezone.now() - timedelta(days=30)
    # …so the workspace flags it, and only it, to 延长新村's social worker.
    worker = scope_of(User.objects.get(phone="13800000001"))
    assert [s.name for s in idle_spaces(worker, timezone.localdate())] == ["绿萝空间"]


def test_the_tai_chi_teams_book_tuesdays_and_thursdays_seven_to_nine_as_one_series():
    for code, name in ((YANCHANG, demo_spaces.TAIJI_YANCHANG), (TIANSHAN, demo_spaces.TAIJI_TIANSHAN)):
        series = BookingSeries.objects.get(space__area__code=code, team__name=name)
        assert series.days == {1, 3} and (series.starts, series.ends) == (time(7), time(9))
        dates = list(series.bookings.all())
        assert len(dates) > 20
        for booking in dates:
            starts, ends = _local(booking.starts_at), _local(booking.ends_at)
            assert starts.weekday() in (1, 3) and (starts.time(), ends.time()) == (time(7), time(9))
            assert series.first_day <= starts.date() <= series.last_day and booking.team_id == series.team_id
        booked = {_local(b.starts_at).date().isoformat() for b in dates}
        assert not booked & set(series.skipped)
        assert series.space.priority_slots.filter(team=series.team).exists()
    # 延长新村's skips the Thursday its space is closed for the yearly service.
    lehuo = BookingSeries.objects.get(space__area__code=YANCHANG)
    closure = lehuo.space.closures.get()
    assert lehuo.skipped == [_local(closure.starts_at).date().isoformat()]
    # 天山河畔's was allocated this season; the team has applied for the next one.
    application = SlotApplication.objects.get(series__space__area__code=TIANSHAN)
    assert application.status == ApplicationStatus.ALLOCATED and application.season.allocated_at
    assert SlotApplication.objects.filter(
        season__area__code=TIANSHAN, status=ApplicationStatus.APPLIED, team=application.team
    ).exists()


def test_the_field_is_free_to_residents_of_55_and_over_on_weekday_mornings():
    field = Space.objects.get(area__code=TIANSHAN, name=demo_spaces.FIELD)
    rule = AudienceRule.objects.get(space=field)
    assert rule.min_age == 55 and rule.days == {0, 1, 2, 3, 4} and rule.ends <= time(12) and rule.free
    residents = Booking.objects.filter(space=field, for_resident__isnull=False).select_related("for_resident")
    inside = [b for b in residents if in_rule(rule, b.starts_at, b.ends_at)]
    outside = [b for b in residents if not in_rule(rule, b.starts_at, b.ends_at)]
    assert len(inside) > 10 and len(outside) > 10
    assert all(b.for_resident and age_on(b.for_resident, _local(b.starts_at).date()) >= 55 for b in inside)


def test_no_two_live_bookings_of_a_space_overlap_and_every_booking_is_inside_its_hours():
    bookings = list(Booking.objects.select_related("space").order_by("space_id", "starts_at"))
    assert len(bookings) > 300
    openings = openings_of({b.space for b in bookings})
    live = [b for b in bookings if b.is_live]
    for _space, rows in itertools.groupby(live, key=lambda b: b.space_id):
        for first, second in itertools.pairwise(rows):
            assert first.ends_at <= second.starts_at, (first, second)
    for booking in bookings:
        assert is_open(openings[booking.space_id], booking.starts_at, booking.ends_at), booking
        assert not (booking.checked_in_at and booking.no_show_at)
        if booking.checked_in_at or booking.no_show_at:
            assert booking.status == BookingStatus.CONFIRMED and booking.starts_at < timezone.now()


def test_jiangqiu_has_its_practice_station_and_four_service_points():
    station = Site.objects.get(area__code=JIANGQIU, kind=SiteKind.CENTRE)
    assert "800" in station.about and station.spaces.count() >= 6
    points = Site.objects.filter(area__code=JIANGQIU, kind=SiteKind.SERVICE_POINT)
    assert points.count() == 4
    assert len({(p.map_x, p.map_y) for p in points}) == 4
    assert points.filter(address__contains="65幢357单元").exists()


def test_a_year_of_monthly_service_days_served_6403_at_the_four_points():
    days = ServiceDay.objects.filter(area__code=JIANGQIU)
    past = days.filter(starts_at__lt=timezone.now())
    assert past.count() == 48
    assert set(past.values_list("site__name", flat=True)) == {p[0] for p in demo_spaces.SERVICE_POINTS}
    served = Ticket.objects.served().filter(stall__service_day__area__code=JIANGQIU)
    assert served.count() == SERVED_JIANGQIU == 6403
    stalls = Stall.objects.filter(service_day__in=past)
    assert stalls.count() == 48 * len(JIANGQIU_STALLS)
    assert set(stalls.values_list("name", flat=True)) == {s.name for s in JIANGQIU_STALLS}
    doctors = stalls.filter(name="量血压测血糖")
    assert set(doctors.values_list("partner_unit__name", flat=True)) == {"佘山镇社区卫生服务中心"}
    assert stalls.filter(staff_names__contains="黄菊妹").exists()
    # Next month's, one a point: published, not opened, no numbers yet.
    coming = days.filter(starts_at__gt=timezone.now())
    assert coming.count() == 4 and all(d.is_published for d in coming)
    assert not Ticket.objects.filter(stall__service_day__in=coming).exists()
    assert not Stall.objects.filter(service_day__in=coming, opened_at__isnull=False).exists()


def test_every_ticket_keeps_the_queue_in_order():
    tickets = Ticket.objects.all()
    assert tickets.filter(paper=True).count() > 1000 and tickets.filter(paper=False).count() > 1000
    assert not tickets.filter(paper=True, user__isnull=False).exists()
    assert not tickets.filter(paper=False, user__isnull=True).exists()
    numbered = Stall.objects.annotate(top=Max("tickets__number"), n=Count("tickets")).filter(n__gt=0)
    for last, top, n in numbered.values_list("last_number", "top", "n"):
        assert last == top == n
    waits = []
    for ticket in tickets.iterator():
        if ticket.cancelled_at:
            assert ticket.called_at is None and ticket.cancelled_at > ticket.taken_at
            continue
        done = ticket.served_at or ticket.absent_at
        assert ticket.called_at and ticket.called_at >= ticket.taken_at
        assert bool(ticket.served_at) != bool(ticket.absent_at)
        assert done and done > ticket.called_at
        waits.append((ticket.called_at - ticket.taken_at).total_seconds() / 60)
    assert tickets.filter(absent_at__isnull=False).count() > 100
    assert 2 < sum(waits) / len(waits) < 30 and max(waits) > 20


def test_the_winter_market_is_a_service_day_beside_its_activity():
    activity = Activity.objects.get(committee__code=YANCHANG, title="暖冬集市")
    day = ServiceDay.objects.get(area__code=YANCHANG, title__startswith="暖冬集市")
    assert (day.starts_at, day.ends_at, day.place) == (activity.starts_at, activity.ends_at, activity.place)
    stalls = {s.name: s for s in day.stalls.select_related("partner_unit")}
    assert {"量血压", "测血糖", "口腔义诊", "修家电", "修手表"} <= set(stalls)
    dental = stalls["口腔义诊"].partner_unit
    assert dental is not None and dental.name == "大宁路街道社区卫生服务中心"
    assert "便民服务队" in stalls["修手表"].staff_names
    assert Ticket.objects.served().filter(stall__service_day=day).count() > 80


def test_the_care_aids_are_lent_one_at_a_time_to_those_eligible():
    kinds = AidKind.objects.filter(area__code=GONGJIAO)
    assert set(kinds.values_list("category", flat=True)) >= {
        AidCategory.WHEELCHAIR,
        AidCategory.WALKER,
        AidCategory.COMMODE,
        AidCategory.BATH_CHAIR,
        AidCategory.HOSPITAL_BED,
    }
    assert kinds.get(category=AidCategory.HOSPITAL_BED).needs_approval
    items = AidItem.objects.filter(kind__in=kinds)
    assert set(items.values_list("condition", flat=True)) >= {Condition.GOOD, Condition.NEEDS_REPAIR}
    loans = Loan.objects.filter(item__in=items).select_related("item__kind", "resident")
    today = timezone.localdate()
    out = loans.filter(returned_at__isnull=True)
    assert Loan.objects.overdue().filter(item__in=items).count() == 1
    assert out.filter(due_on=today + timedelta(days=2)).count() == 1
    assert out.count() >= 5 and loans.filter(returned_at__isnull=False).count() > 20
    tagged = set(ResidentTag.objects.filter(tag=Tag.DISABLED).values_list("resident_id", flat=True))
    by_item = defaultdict(list)
    for loan in loans:
        by_item[loan.item_id].append(loan)
        age = age_on(loan.resident, _local(loan.lent_at).date())
        assert loan.resident_id in tagged or age >= (loan.item.kind.min_age or 0)
    for rows in by_item.values():
        rows.sort(key=lambda loan: loan.lent_at)
        for first, second in itertools.pairwise(rows):
            assert first.returned_at is not None and first.returned_at <= second.lent_at
    for loan in out:
        assert loan.item.condition not in (Condition.NEEDS_REPAIR, Condition.RETIRED)
    holds = Hold.objects.filter(kind__in=kinds)
    ready = holds.get(status=HoldStatus.READY)
    assert ready.item and not out.filter(item=ready.item).exists()
    assert ready.expires_at and ready.expires_at > timezone.now()
    assert holds.filter(status=HoldStatus.WAITING).exists()
    for hold in holds.filter(status=HoldStatus.COLLECTED):
        assert hold.loan.resident_id == hold.resident_id


def test_loading_again_adds_nothing():
    tables = (Site, Space, Booking, BookingSeries, ServiceDay, Stall, Ticket, AidItem, Loan, Hold)
    before = [m.objects.count() for m in tables]
    assert demo_spaces.load() == 0
    assert demo_servicedays.load() == 0
    assert demo_aids.load() == 0
    assert [m.objects.count() for m in tables] == before
