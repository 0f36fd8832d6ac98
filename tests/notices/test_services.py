"""Notices as staff and residents meet them: who sees what, when, and who is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notices import selectors, services
from notices.models import Notice, NoticeRead, ReadHow
from notices.services import Draft
from notices.tasks import deliver_due, deliver_notice
from notifications import backends
from notifications.models import Delivery, Notification
from tests.factories import scope_of


def draft(targets, **extra) -> Draft:
    values = {"category": "announcement", "title": "停水通知", "body": "明天上午停水。", "targets": targets}
    values.update(extra)
    return Draft(**values)


def titles(user, **kwargs) -> list[str]:
    return [item.notice.title for item in selectors.feed_for(user, **kwargs)]


def published(owner, targets, capture=None, **extra) -> Notice:
    scope = scope_of(owner)
    notice = services.create_notice(owner, scope, draft(targets, **extra))
    if capture is not None:
        with capture(execute=True):
            services.publish(scope, notice)
    else:
        services.publish(scope, notice)
    notice.refresh_from_db()
    return notice


def test_a_draft_reaches_nobody_until_published(tree, owner, people, django_capture_on_commit_callbacks):
    scope = scope_of(owner)
    notice = services.create_notice(owner, scope, draft([tree.committee]))
    assert notice.state() == "draft" and titles(people.wang_user) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(scope, notice)
    assert titles(people.wang_user) == ["停水通知"]
    assert titles(people.far_user) == []  # the neighbouring committee's resident


def test_a_building_notice_reaches_that_building_only(tree, owner, people, building2):
    published(owner, [building2], title="64号楼电梯检修")
    assert titles(people.wang_user) == []
    scope = scope_of(owner)
    notice = Notice.objects.get()
    assert set(selectors.audience(notice).values_list("name", flat=True)) == {"赵老伯", "孙阿姨"}
    # Someone who has registered but is not yet verified sees committee-wide notices by home area.
    assert scope.covers(notice.area)


def test_tag_targeting_stored_and_derived_tags(tree, owner, people):
    published(owner, [tree.committee], title="独居老人关爱", tags=["living_alone"])
    published(owner, [tree.committee], title="高龄津贴", tags=["aged_80"])
    assert titles(people.li_user) == ["独居老人关爱"]
    assert titles(people.wang_user) == []
    elderly = selectors.audience(Notice.objects.get(title="高龄津贴"))
    assert list(elderly.values_list("name", flat=True)) == ["赵老伯"]  # born 1940, worked out from the date


def test_a_street_admin_reaches_every_committee_of_the_street(tree, street_admin, people):
    notice = published(street_admin, [tree.street], title="街道防汛通知")
    assert notice.area == tree.street
    assert titles(people.wang_user) == ["街道防汛通知"] and titles(people.far_user) == ["街道防汛通知"]


def test_bad_input_says_what_is_wrong_and_writes_nothing(tree, owner, people):
    scope = scope_of(owner)
    with pytest.raises(ValidationError) as error:
        services.create_notice(owner, scope, draft([tree.neighbour_group], title=" ", category="gossip"))
    problems = error.value.message_dict
    assert set(problems) == {"title", "category", "targets"}
    assert "慧芝湖1号楼组 is not part of 延长新村居委会." in problems["targets"]
    assert not Notice.objects.exists()


def test_only_publishers_of_the_area_may_publish(tree, owner, outsider, leader, people):
    notice = services.create_notice(owner, scope_of(owner), draft([tree.committee]))
    with pytest.raises(PermissionDenied):
        services.publish(scope_of(outsider), notice)
    with pytest.raises(PermissionDenied):
        services.create_notice(leader, scope_of(leader), draft([tree.committee]))


def test_scheduled_notices_appear_and_go_out_at_their_time(
    tree, owner, people, django_capture_on_commit_callbacks
):
    scope = scope_of(owner)
    notice = services.create_notice(owner, scope, draft([tree.committee]))
    later = timezone.now() + timedelta(hours=3)
    services.publish(scope, notice, later)  # the immediate backend cannot defer: the cron catches it
    notice.refresh_from_db()
    assert notice.state() == "scheduled" and titles(people.wang_user) == []
    assert deliver_notice.call(notice.pk) == 0  # too early: nothing sent
    assert titles(people.wang_user, now=later + timedelta(minutes=1)) == ["停水通知"]
    assert deliver_due() == 0  # not due yet
    Notice.objects.filter(pk=notice.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert deliver_due() == 1
    assert Notification.objects.filter(user=people.wang_user).count() == 1
    assert deliver_due() == 0  # once


def test_publishing_notifies_residents_and_family_proxies(
    tree, owner, people, django_capture_on_commit_callbacks
):
    notice = published(owner, [tree.committee], capture=django_capture_on_commit_callbacks, send_sms=True)
    to = set(Notification.objects.values_list("user__name", flat=True))
    assert to == {"王建国", "李秀英", "赵女儿"}  # 赵老伯 has no phone of his own: his daughter gets it
    assert notice.audience_size == 4 and notice.delivered_at is not None
    assert sorted(sms.to for sms in backends.outbox) == ["13900001001", "13900001002", "13900001003"]
    assert all(
        sms.text.startswith("【睦邻】公告：停水通知") or "停水通知" in sms.text for sms in backends.outbox
    )
    assert [m.to for m in mail.outbox] == [["wang@example.org"]]
    assert Delivery.objects.filter(status="sent").count() == 4


def test_residents_can_turn_sms_off(tree, owner, people, django_capture_on_commit_callbacks):
    people.li_user.sms_notifications = False
    people.li_user.save()
    published(owner, [tree.committee], capture=django_capture_on_commit_callbacks, send_sms=True)
    assert "13900001002" not in {sms.to for sms in backends.outbox}
    assert Notification.objects.filter(user=people.li_user).exists()  # in the app always


def test_a_failing_gateway_is_recorded_not_raised(
    tree, owner, people, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.notices.test_services.BrokenGateway"
    published(owner, [building_of(people.wang)], capture=django_capture_on_commit_callbacks, send_sms=True)
    failed = Delivery.objects.filter(status="failed")
    first = failed.first()
    assert failed.count() == 2 and first is not None and "gateway down" in first.error


class BrokenGateway(backends.BaseSMSBackend):
    def send(self, to, text):
        raise ConnectionError("gateway down")


def building_of(resident):
    return resident.household.building


def test_pinned_first_then_newest(tree, owner, people):
    first = published(owner, [tree.committee], title="第一")
    published(owner, [tree.committee], title="第二")
    assert titles(people.wang_user) == ["第二", "第一"]
    services.set_pinned(scope_of(owner), first, True)
    assert titles(people.wang_user) == ["第一", "第二"]


def test_withdrawing_takes_it_down_and_needs_a_reason(tree, owner, people):
    notice = published(owner, [tree.committee])
    with pytest.raises(ValidationError):
        services.withdraw(scope_of(owner), notice, " ")
    services.withdraw(scope_of(owner), notice, "时间改了")
    assert titles(people.wang_user) == []
    assert notice.state() == "withdrawn"
    with pytest.raises(ValidationError):
        services.publish(scope_of(owner), notice)


def test_the_audience_is_fixed_once_delivered(
    tree, owner, people, building2, django_capture_on_commit_callbacks
):
    notice = published(owner, [tree.committee], capture=django_capture_on_commit_callbacks)
    services.update_notice(scope_of(owner), notice, draft([tree.committee], title="停水通知（更正）"))
    with pytest.raises(ValidationError) as error:
        services.update_notice(scope_of(owner), notice, draft([building2]))
    assert "withdraw it and publish a new one" in str(error.value)


def test_reads_count_per_building_group(tree, owner, people, leader, building2):
    notice = published(owner, [tree.committee])
    services.mark_read(people.wang_user, notice)
    services.mark_read(people.daughter, notice)  # reads it for her father
    services.mark_read(people.far_user, notice)  # not for him: nothing recorded
    reads = {r.resident.name: r.how for r in NoticeRead.objects.select_related("resident")}
    assert reads == {"王建国": ReadHow.ONLINE, "赵老伯": ReadHow.PROXY}
    rows = {
        r.group.name if r.group else None: (r.total, r.read)
        for r in selectors.receipts(notice, scope_of(owner))
    }
    assert rows == {"62号楼组": (2, 1), "64号楼组": (2, 1)}
    # The building leader sees their own group only, and who there to visit.
    leader_scope = scope_of(leader)
    assert [r.group.name if r.group else None for r in selectors.receipts(notice, leader_scope)] == [
        "64号楼组"
    ]
    assert [p.name for p in selectors.unread_in(notice, leader_scope, building2.parent)] == ["孙阿姨"]
    assert services.record_told(leader, leader_scope, notice, [people.sun.pk, people.wang.pk]) == 1
    assert list(selectors.unread_in(notice, leader_scope, building2.parent)) == []
    assert NoticeRead.objects.get(resident=people.sun).how == ReadHow.IN_PERSON


def test_the_publicity_plan_counts_months_against_the_cadence(tree, owner, people, street_admin):
    scope = scope_of(owner)
    services.set_cadence(scope, tree.committee, "health", 2)
    now = timezone.now()
    for title, when in (("冬季养生", now), ("防跌倒", now - timedelta(days=40))):
        notice = published(owner, [tree.committee], title=title, category="health")
        Notice.objects.filter(pk=notice.pk).update(publish_at=when)
    street = published(street_admin, [tree.street], title="街道健康宣传", category="health")
    Notice.objects.filter(pk=street.pk).update(publish_at=now)
    categories, months = selectors.plan(tree.committee, today=timezone.localdate(now))
    health = categories.index("health")
    this_month = months[0].cells[health]
    assert (this_month.published, this_month.wanted, this_month.met) == (2, 2, True)
    earlier = [m.cells[health].published for m in months[1:]]
    assert sum(earlier) == 1 and len(months) == 12
    with pytest.raises(ValidationError):
        services.set_cadence(scope, tree.committee, "health", 40)
    services.set_cadence(scope, tree.committee, "health", 0)
    assert selectors.plan(tree.committee)[1][0].cells[health].wanted is None
