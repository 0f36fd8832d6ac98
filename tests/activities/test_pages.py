"""The activity pages as residents, family members and staff at the door use them."""

from __future__ import annotations

import io
from datetime import timedelta

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import Role
from activities import signups
from activities.models import Activity, Signup
from common.scope import NO_SCOPE
from notices.models import Notice
from tests.activities.conftest import make_activity
from tests.factories import UserFactory, grant, login, scope_of


def test_a_resident_signs_up_and_cancels(client, owner, people, activity):
    login(client, people.wang_user)
    page = client.get(reverse("activities:index")).content.decode()
    assert "书法班" in page and "2 places left" in page
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert "Sign up the ticked people" in detail  # himself, or with his wife: one household
    response = client.post(
        reverse("activities:signup", args=[activity.pk]), {"resident": people.wang.pk}, follow=True
    )
    assert "王建国 has a place." in response.content.decode()
    signup = Signup.objects.get()
    client.post(reverse("activities:cancel", args=[signup.pk]))
    signup.refresh_from_db()
    assert signup.status == "cancelled"


def test_a_daughter_signs_up_her_father_and_joins_the_waiting_list(client, owner, people, activity):
    signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    signups.register(people.li_user, people.li, activity, scope=NO_SCOPE)
    login(client, people.daughter)
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert "Join the waiting list: 赵老伯" in detail
    response = client.post(
        reverse("activities:signup", args=[activity.pk]), {"resident": people.zhao.pk}, follow=True
    )
    assert "number 1 on the waiting list" in response.content.decode()
    # Nobody else's relatives: signing up 孙阿姨 is not hers to do.
    refused = client.post(reverse("activities:signup", args=[activity.pk]), {"resident": people.sun.pk})
    assert refused.status_code == 404


def test_ineligible_residents_read_why(client, owner, people):
    elders = make_activity(owner, title="高龄茶话会", min_age=80)
    login(client, people.wang_user)
    page = client.get(elders.get_absolute_url()).content.decode()
    assert "This activity is for ages 80+; 王建国 will be 66." in page and "Sign up 王建国" not in page


def test_an_activity_is_for_its_committee(client, owner, people, activity):
    response = client.get(activity.get_absolute_url())
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    login(client, people.far_user)  # 慧芝湖花园's resident
    assert client.get(activity.get_absolute_url()).status_code == 404
    client.logout()
    login(client, people.wang_user)
    assert client.get(activity.get_absolute_url()).status_code == 200
    draft = make_activity(owner, publish=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_resident_pages_run_fixed_queries(client, owner, people, django_assert_num_queries):
    login(client, people.daughter)
    make_activity(owner, title="第1个")
    client.get(reverse("activities:index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("activities:index"))
    for n in range(2, 12):
        made = make_activity(owner, title=f"第{n}个", capacity=None, min_age=60 if n % 2 else None)
        signups.register(people.daughter, people.zhao, made, scope=NO_SCOPE)
    with django_assert_num_queries(len(few)):
        page = client.get(reverse("activities:index")).content.decode()
    assert "第11个" in page


def test_staff_create_a_weekly_class_and_publish_it(client, owner, people):
    login(client, owner)
    start = timezone.localtime() + timedelta(days=3)
    response = client.post(
        reverse("activities:new"),
        {
            "title": "新华书法班",
            "place": "居委会活动室",
            "starts_at": start.strftime("%Y-%m-%dT14:00"),
            "ends_at": start.strftime("%Y-%m-%dT16:00"),
            "capacity": "20",
            "weeks": "4",
        },
    )
    assert response.status_code == 302
    sessions = Activity.objects.order_by("starts_at")
    assert sessions.count() == 4 and len({a.series_id for a in sessions}) == 1
    assert (sessions[3].starts_at - sessions[0].starts_at).days == 21
    client.post(reverse("activities:action", args=[sessions[0].pk]), {"action": "publish_series"})
    assert Activity.objects.filter(published_at__isnull=False).count() == 4
    bad = client.post(
        reverse("activities:new"),
        {
            "title": "讲座",
            "place": "",
            "starts_at": start.strftime("%Y-%m-%dT14:00"),
            "ends_at": start.strftime("%Y-%m-%dT13:00"),
            "weeks": "1",
        },
    )
    assert "It must end after it starts." in bad.content.decode() and Activity.objects.count() == 4


def test_at_the_door(client, owner, people, activity):
    first = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    soon = timezone.now() + timedelta(minutes=10)  # check-in is open
    Activity.objects.filter(pk=activity.pk).update(starts_at=soon, ends_at=soon + timedelta(hours=2))
    login(client, owner)
    url = reverse("activities:door", args=[activity.pk])
    assert "王建国" in client.get(url).content.decode()
    client.post(url, {"action": "check_in", "signups": [first.pk]})
    first.refresh_from_db()
    assert first.checked_in_at is not None
    found = client.get(url, {"q": "孙阿姨"}).content.decode()
    assert "Sign up and check in" in found
    client.post(url, {"action": "walk_in", "resident": people.sun.pk})
    assert Signup.objects.get(resident=people.sun).via == "walk_in"
    sheet = client.get(reverse("activities:sheet", args=[activity.pk]))
    text = PdfReader(io.BytesIO(sheet.content)).pages[0].extract_text()
    assert "王建国" in text and "孙阿姨" in text and "书法班" in text


def test_scanning_a_pass_checks_in(client, owner, people):
    # This evening, whenever the suite runs: tonight's film has not started yet, check-in is open.
    afternoon = timezone.localtime().replace(hour=22, minute=45, second=0, microsecond=0)
    with time_machine.travel(afternoon):
        _scan_tonights_pass(client, owner, people)


def _scan_tonights_pass(client, owner, people):
    today = timezone.localtime().replace(hour=23, minute=0, second=0, microsecond=0)
    tonight = make_activity(owner, title="今晚电影", starts_at=today, ends_at=today + timedelta(minutes=50))
    signups.register(people.wang_user, people.wang, tonight, scope=NO_SCOPE)
    login(client, people.wang_user)
    card = client.get(reverse("activities:pass")).content.decode()
    assert "<svg" in card and "王建国" in card
    client.logout()
    login(client, owner)
    url = reverse("activities:scan", args=[signups.pass_token(people.wang)])
    assert "今晚电影" in client.get(url).content.decode()
    client.post(url, {"activity": tonight.pk})
    assert Signup.objects.get().checked_in_at is not None
    assert client.get(reverse("activities:scan", args=["forged:token"])).status_code == 404


def test_figures_and_the_review(client, owner, people, activity):
    signup = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    with time_machine.travel(activity.starts_at):  # check-in is open
        signups.check_in(owner, scope_of(owner), signup)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    login(client, owner)
    figures = client.get(reverse("activities:figures")).content.decode()
    assert "1 activities, 1 person-times" in figures
    client.post(reverse("activities:review", args=[activity.pk]), {"summary": "居民们写得很认真。"})
    notice = Notice.objects.get()
    assert notice.category == "news" and "居民们写得很认真" in notice.body
    client.logout()  # which empties the cookie jar: English again
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login(client, people.wang_user)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "How it went" in page and "Send rating" in page
    client.post(reverse("activities:rate", args=[signup.pk]), {"rating": "4", "comment": "很好"})
    signup.refresh_from_db()
    assert signup.rating == 4


def test_staff_sign_a_resident_up_for_the_whole_series_from_the_page(client, owner, people):
    sessions = make_activity(owner, weeks=3, title="新华书法班")
    login(client, owner)
    response = client.post(
        reverse("activities:signup", args=[sessions[0].pk]),
        {"resident": people.wang.pk, "series": "1"},
        follow=True,
    )
    assert "is signed up for 3 sessions" in response.content.decode()
    made = Signup.objects.filter(resident=people.wang)
    assert made.count() == 3 and set(made.values_list("via", flat=True)) == {"staff"}


def test_a_district_sees_beneficiaries_by_street_with_total_and_links_down(
    client, owner, people, activity, tree
):
    made = signups.register(people.wang_user, people.wang, activity, scope=NO_SCOPE)
    with time_machine.travel(activity.starts_at):  # check-in is open
        signups.check_in(owner, scope_of(owner), made)
    admin = UserFactory.create(name="区管理员")
    grant(admin, Role.DISTRICT_ADMIN, tree.district)
    login(client, admin)
    year = timezone.localtime(activity.starts_at).year
    page = client.get(reverse("activities:figures"), {"year": year}).content.decode()
    assert "By Street / town, with the total" in page and "<tfoot>" in page
    assert f'href="?area={tree.street.code}&amp;year={year}"' in page
    down = client.get(reverse("activities:figures"), {"year": year, "area": tree.street.code})
    assert "By Committee, with the total" in down.content.decode() and "大宁路街道" in down.content.decode()
    assert client.get(reverse("activities:figures"), {"area": "310110009"}).status_code == 404
