"""Planning service days: a day at a service point, its stalls and who staffs them,
publishing (one message per resident), cancelling, and repeating month by month."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Notification
from servicedays import planning, queue
from servicedays.models import ServiceDay, Stall, Ticket
from spaces.models import Site, SiteKind
from tests.factories import scope_of
from tests.servicedays.conftest import make_day, make_stall, opened
from volunteers.models import Shift

pytestmark = pytest.mark.django_db


def test_a_day_is_planned_at_a_service_point_of_the_committee(owner, site, soon):
    made = make_day(owner, site, soon)
    assert made.area.name == "延长新村居委会" and made.is_draft and made.where == "一号服务点"


def test_a_service_point_of_another_committee_is_refused_and_nothing_is_made(owner, tree, soon):
    theirs = Site.objects.create(area=tree.neighbour, name="邻居服务点", kind=SiteKind.SERVICE_POINT)
    with pytest.raises(ValidationError) as refused:
        make_day(owner, theirs, soon)
    assert "not a current service point of 延长新村居委会" in refused.value.message_dict["site"][0]
    assert not ServiceDay.objects.exists()


def test_two_days_at_one_point_never_overlap_and_the_refusal_names_the_other(owner, site, soon):
    make_day(owner, site, soon, title="十二月服务日")
    with pytest.raises(ValidationError) as refused:
        make_day(owner, site, soon + timedelta(hours=1), title="另一场")
    assert "十二月服务日" in refused.value.message_dict["starts_at"][0]


def test_only_staff_of_the_committee_plan(outsider, resident, day):
    with pytest.raises(PermissionDenied):
        planning.publish_day(day, scope=scope_of(outsider))
    with pytest.raises(PermissionDenied):
        planning.create_day(
            resident,
            planning.DayDraft(title="x", starts_at=day.starts_at, ends_at=day.ends_at, place="广场"),
            scope=scope_of(resident),
        )


def test_a_stall_needs_someone_to_staff_it(owner, day):
    with pytest.raises(ValidationError) as refused:
        planning.add_stall(day, planning.StallDraft(name="磨刀"), scope=scope_of(owner))
    assert "staff_names" in refused.value.message_dict
    with pytest.raises(ValidationError) as twice:
        make_stall(owner, day, "理发")
    assert "already has a stall called 理发" in twice.value.message_dict["name"][0]


def test_a_stall_is_staffed_by_an_existing_shift_of_the_committee(owner, day, tree):
    shift = Shift.objects.create(
        area=tree.committee,
        title="理发岗",
        place="一号服务点",
        starts_at=day.starts_at,
        ends_at=day.ends_at,
        places=2,
        withdraw_until=day.starts_at,
    )
    stall = make_stall(owner, day, "磨刀", staff_names="", shift=shift)
    assert stall.shift == shift
    with pytest.raises(ValidationError) as again:
        make_stall(owner, day, "缝补", staff_names="", shift=shift)
    assert "already staffs the stall 磨刀" in again.value.message_dict["shift"][0]


def test_a_shift_is_posted_for_a_stall_through_the_volunteers_posting(owner, day):
    stall = Stall.objects.get(service_day=day, name="理发")
    shift = planning.post_stall_shift(owner, stall, 3, scope=scope_of(owner))
    stall.refresh_from_db()
    assert stall.shift == shift and shift.places == 3 and shift.starts_at == day.starts_at
    assert "理发" in shift.title


def test_publishing_tells_each_resident_once_not_once_per_stall(owner, day, people):
    planning.publish_day(day, scope=scope_of(owner))
    sent = Notification.objects.filter(url=day.get_absolute_url())
    users = list(sent.values_list("user_id", flat=True))
    assert len(users) == len(set(users)) >= 3  # 王建国, 李秀英 and 赵老伯's daughter
    assert people.far_user.pk not in users
    assert "理发" in sent.first().body and "量血压" in sent.first().body
    with pytest.raises(ValidationError):
        planning.publish_day(day, scope=scope_of(owner))


def test_a_day_without_stalls_is_not_published(owner, site, soon):
    bare = make_day(owner, site, soon)
    with pytest.raises(ValidationError) as refused:
        planning.publish_day(bare, scope=scope_of(owner))
    assert "at least one stall" in refused.value.messages[0]


def test_cancelling_gives_up_the_live_numbers_and_tells_the_holders(owner, published, haircut, people):
    opened(owner, haircut)
    ticket = queue.take_number(people.wang_user, haircut)
    with pytest.raises(ValidationError):
        planning.cancel_day(published, "  ", scope=scope_of(owner))
    planning.cancel_day(published, "台风", scope=scope_of(owner))
    ticket.refresh_from_db()
    assert ticket.cancelled_at is not None
    told = Notification.objects.filter(user=people.wang_user, title__startswith="Cancelled")
    assert told.count() == 1 and "台风" in told.get().body


def test_the_15th_or_the_2nd_saturday_month_by_month():
    assert planning.monthly_dates(date(2026, 1, 15), 3) == [
        date(2026, 2, 15),
        date(2026, 3, 15),
        date(2026, 4, 15),
    ]
    # 2026-01-10 is the 2nd Saturday of January.
    weekday, nth = planning.nth_weekday_of(date(2026, 1, 10))
    assert (weekday, nth) == (5, 2)
    assert planning.monthly_dates(date(2026, 1, 10), 2, weekday=weekday, nth=nth) == [
        date(2026, 2, 14),
        date(2026, 3, 14),
    ]
    assert planning.monthly_dates(date(2026, 1, 31), 2) == [date(2026, 3, 31)]  # February has no 31st


def test_repeating_copies_the_stalls_and_lists_the_clashing_dates(owner, day, site):
    second = planning.monthly_dates(day.starts_at.date(), 2)[1]
    from_ = day.starts_at.replace(year=second.year, month=second.month, day=second.day)
    taken = make_day(owner, site, from_ + timedelta(hours=1), title="体检专场")
    result = planning.repeat_monthly(owner, day, 3, scope=scope_of(owner))
    assert len(result.made) == 2
    assert [(on, other.title) for on, other in result.clashes] == [(second, "体检专场")]
    copy = result.made[0]
    assert sorted(copy.stalls.values_list("name", flat=True)) == ["理发", "量血压"]
    assert (
        copy.is_draft
        and copy.starts_at.time() == day.starts_at.time()
        and taken.pk not in {d.pk for d in result.made}
    )
    with pytest.raises(ValidationError):
        planning.repeat_monthly(owner, day, 0, scope=scope_of(owner))


def test_a_stall_with_numbers_taken_is_not_removed(owner, haircut, people):
    opened(owner, haircut)
    queue.take_number(people.wang_user, haircut)
    with pytest.raises(ValidationError):
        planning.remove_stall(haircut, scope=scope_of(owner))
    assert Ticket.objects.count() == 1
