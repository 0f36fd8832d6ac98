"""Signing up as residents, family members and staff meet it: places, the waiting list,
eligibility with reasons, check-in, ratings and the review."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities import selectors, services, signups
from activities.models import Activity, Signup
from common.scope import NO_SCOPE
from notices.models import Notice
from notifications.models import Notification
from registry.models import ResidentTag
from tests.activities.conftest import make_activity
from tests.factories import scope_of


def statuses(activity) -> list[tuple[str, str]]:
    return [(s.resident.name, s.status) for s in Signup.objects.filter(activity=activity).order_by("pk")]


def test_places_then_the_waiting_list_in_order(activity, people, owner):
    signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    signups.register(people.li_user, people.li, activity, scope=NO_SCOPE)
    # A daughter for her father:
    waiting = signups.register(people.daughter, people.zhao, activity, scope=NO_SCOPE)
    assert statuses(activity) == [("王建国", "confirmed"), ("李秀英", "confirmed"), ("赵老伯", "waiting")]
    assert waiting.via == "proxy" and signups.waiting_position(waiting) == 1
    activity.refresh_from_db()
    assert activity.confirmed == 2 and activity.is_full


def test_a_freed_place_goes_to_the_first_waiting_and_they_are_told(
    activity, people, owner, django_capture_on_commit_callbacks
):
    first = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    signups.register(people.li_user, people.li, activity, scope=NO_SCOPE)
    signups.register(people.daughter, people.zhao, activity, scope=NO_SCOPE)
    signups.register(owner, people.sun, activity, scope=scope_of(owner))
    with django_capture_on_commit_callbacks(execute=True):
        signups.cancel_signup(people.wang_user, first, scope=NO_SCOPE)
    assert statuses(activity)[2:] == [("赵老伯", "confirmed"), ("孙阿姨", "waiting")]
    told = Notification.objects.get(user=people.daughter)  # 赵老伯 has no account: his daughter hears
    assert "You have a place" in told.title and told.url == activity.get_absolute_url()
    activity.refresh_from_db()
    assert activity.confirmed == 2


def test_more_places_promote_the_waiting_list(activity, people, owner):
    for user, person in (
        (people.wang_user, people.wang),
        (people.li_user, people.li),
        (people.daughter, people.zhao),
    ):
        signups.register(user, person, activity, scope=NO_SCOPE)
    services.change_capacity(scope_of(owner), activity, 5)
    assert [s for _n, s in statuses(activity)] == ["confirmed"] * 3
    with pytest.raises(ValidationError):
        services.change_capacity(scope_of(owner), activity, 1)


def test_reasons_for_refusal(owner, people, building2, tree):
    now = timezone.now()
    later = make_activity(owner, opens_at=now + timedelta(days=1))
    with pytest.raises(ValidationError, match="Sign-up opens on"):
        signups.register(people.wang_user, people.wang, later, scope=NO_SCOPE)
    closed = make_activity(owner, closes_at=now - timedelta(hours=1))
    with pytest.raises(ValidationError, match="Sign-up closed on"):
        signups.register(people.wang_user, people.wang, closed, scope=NO_SCOPE)
    elders = make_activity(owner, min_age=75)
    with pytest.raises(ValidationError, match="for ages 75\\+; 王建国 will be 66"):
        signups.register(people.wang_user, people.wang, elders, scope=NO_SCOPE)
    assert signups.register(people.daughter, people.zhao, elders, scope=NO_SCOPE).status == "confirmed"
    building = make_activity(owner, areas=[building2])
    with pytest.raises(ValidationError, match="for residents of 64号楼"):
        signups.register(people.wang_user, people.wang, building, scope=NO_SCOPE)
    alone = make_activity(owner, tags=["living_alone"])
    with pytest.raises(ValidationError, match="residents who are: Living alone"):
        signups.register(people.wang_user, people.wang, alone, scope=NO_SCOPE)
    assert signups.register(people.li_user, people.li, alone, scope=NO_SCOPE).status == "confirmed"
    draft = make_activity(owner, publish=False)
    with pytest.raises(ValidationError, match="not open for sign-up"):
        signups.register(people.wang_user, people.wang, draft, scope=NO_SCOPE)
    far = make_activity(owner)
    with pytest.raises(ValidationError, match="for residents of 延长新村居委会"):
        signups.register(people.far_user, people.far, far, scope=NO_SCOPE)


def test_only_oneself_a_proxy_or_staff(activity, people, outsider):
    with pytest.raises(PermissionDenied):
        signups.register(people.wang_user, people.sun, activity, scope=NO_SCOPE)  # not his household
    with pytest.raises(PermissionDenied):
        signups.register(outsider, people.wang, activity, scope=scope_of(outsider))
    signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    with pytest.raises(ValidationError, match="already signed up"):
        signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)


def test_a_series_signs_up_for_every_session_left(owner, people):
    sessions = make_activity(owner, weeks=4, title="新华书法班")
    assert Activity.objects.filter(series=sessions[0].series).count() == 4
    Activity.objects.filter(pk=sessions[1].pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    done, skipped = signups.register_series(people.wang_user, people.wang, sessions[0].series, scope=NO_SCOPE)
    assert len(done) == 3 and len(skipped) == 1 and "Sign-up closed" in skipped[0]


def test_staff_sign_a_resident_up_for_a_whole_series(owner, people):
    """The series goes through the same staff check as one session: it used to drop the scope
    and refuse staff with "you may sign up only yourself or someone you act for"."""
    sessions = make_activity(owner, weeks=3, title="新华书法班")
    done, skipped = signups.register_series(owner, people.wang, sessions[0].series, scope=scope_of(owner))
    assert len(done) == 3 and skipped == []
    assert {s.via for s in done} == {"staff"} and {s.by for s in done} == {owner}
    with pytest.raises(PermissionDenied):
        signups.register_series(owner, people.li, sessions[0].series, scope=NO_SCOPE)


def test_check_in_by_pass_and_walk_ins(activity, people, owner):
    signup = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    token = signups.pass_token(people.wang)
    assert signups.resident_from_token(token) == people.wang.pk
    assert signups.resident_from_token(token[:-2] + "xx") is None
    with time_machine.travel(activity.starts_at - timedelta(minutes=10)):  # check-in is open
        signups.check_in(owner, scope_of(owner), signup)
        walk = signups.walk_in(owner, scope_of(owner), activity, people.sun)  # the last place
        assert walk.via == "walk_in" and walk.checked_in_at is not None
        with pytest.raises(ValidationError):
            signups.walk_in(owner, scope_of(owner), activity, people.li)  # full now
    start, end = activity.starts_at - timedelta(days=1), activity.starts_at + timedelta(days=1)
    figures = selectors.beneficiaries(activity.committee, start, end)
    assert (figures.activities, figures.person_times, figures.people) == (1, 2, 2)


def test_beneficiaries_count_person_times_and_people(owner, people, tree):
    sessions = make_activity(owner, weeks=2, capacity=10)
    for session in sessions:
        made = [
            signups.register(user, person, session, scope=NO_SCOPE)
            for user, person in ((people.wang_user, people.wang), (people.li_user, people.li))
        ]
        with time_machine.travel(session.starts_at):  # check-in is open
            for signup in made:
                signups.check_in(owner, scope_of(owner), signup)
    start = sessions[0].starts_at - timedelta(days=1)
    end = sessions[-1].starts_at + timedelta(days=1)
    street = selectors.beneficiaries(tree.street, start, end)
    assert (street.activities, street.person_times, street.people) == (2, 4, 2)
    # A street lists every committee, the one without activities too; a district its streets.
    assert [
        (c.name, b.person_times) for c, b in selectors.beneficiaries_by_part(tree.street, start, end)
    ] == [
        ("延长新村居委会", 4),
        ("慧芝湖花园居委会", 0),
    ]
    by_street = selectors.beneficiaries_by_part(tree.district, start, end)
    assert [(s.name, b.person_times, b.people) for s, b in by_street] == [("大宁路街道", 4, 2)]
    assert selectors.beneficiaries_by_part(tree.committee, start, end) == []


def test_ratings_and_the_review(activity, people, owner):
    signup = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    with pytest.raises(ValidationError):
        signups.rate(people.wang_user, signup, 5)  # did not come (yet)
    with time_machine.travel(activity.starts_at):  # check-in is open
        signups.check_in(owner, scope_of(owner), signup)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    signup.refresh_from_db()
    signups.rate(people.wang_user, signup, 5, "老师讲得好")
    assert selectors.rating_of(activity) == (5.0, 1)
    with pytest.raises(ValidationError):
        signups.rate(people.wang_user, signup, 6)
    activity.refresh_from_db()
    services.publish_review(owner, scope_of(owner), activity, "20位居民参加，现场气氛热烈。")
    notice = Notice.objects.get()
    assert notice.category == "news" and notice.title == "Review: 书法班" and notice.state() == "published"


def test_cancelling_an_activity_tells_everyone(activity, people, owner, django_capture_on_commit_callbacks):
    signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    signups.register(people.li_user, people.li, activity, scope=NO_SCOPE)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_activity(scope_of(owner), activity, "暴雨预警")
    assert {s for _n, s in statuses(activity)} == {"cancelled"}
    assert Notification.objects.filter(title__startswith="Cancelled").count() == 2


def test_bad_drafts_are_refused_whole(owner, tree, people):
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        make_activity(
            owner, title=" ", ends_at=start - timedelta(hours=1), starts_at=start, min_age=80, max_age=60
        )
    assert set(error.value.message_dict) == {"title", "ends_at", "max_age"}
    assert not Activity.objects.exists()


def test_offers_for_a_resident_and_their_family(owner, people):
    open_one = make_activity(owner, title="健康讲座", capacity=None)
    make_activity(owner, title="高龄茶话会", min_age=80)
    signups.register(people.daughter, people.zhao, open_one, scope=NO_SCOPE)
    start, end = selectors.week_bounds(timezone.localdate())
    start, end = start - timedelta(days=7), end + timedelta(days=7)
    offers = {o.activity.title: o for o in selectors.offers_for(people.daughter, start, end)}
    assert set(offers) == {"健康讲座", "高龄茶话会"}
    assert people.zhao.pk in offers["健康讲座"].signups
    assert offers["高龄茶话会"].problems[people.zhao.pk] == ""  # 86: welcome
    ResidentTag.objects.all().delete()
