"""The resident home of a family member (家属代办): the people she acts for, each with the
notices of their committee, their coming sign-ups and their open requests, in a fixed
number of queries however many people."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import signups
from common.scope import NO_SCOPE
from demands.models import Demand, DemandStatus
from mulin.home import cared_for
from registry.models import Proxy
from tests import fixtures
from tests.activities.conftest import make_activity
from tests.demands.conftest import submit
from tests.factories import login
from tests.notices.test_pages import publish

english = fixtures.english
people = fixtures.people


def _home(client) -> str:
    return client.get(reverse("home")).content.decode()


def test_a_daughter_sees_her_father_his_notices_sign_ups_and_requests(client, owner, people, tree):
    people.daughter.home_area = None  # she lives elsewhere: the committee is her father's
    people.daughter.save(update_fields=["home_area"])
    publish(owner, [tree.committee], title="停水通知")
    activity = make_activity(owner, title="书法班")
    signups.register(people.daughter, people.zhao, activity, scope=NO_SCOPE)
    submit(people.daughter, people.zhao, text="楼道灯坏了")
    login(client, people.daughter)
    page = _home(client)
    assert "We do not know your residents' committee yet" not in page
    assert "You act for: 赵老伯（延长新村居委会）" in page
    assert "For 赵老伯" in page and "停水通知" in page and "书法班" in page and "物业报修" in page


def test_a_resolved_request_waits_for_her_rating(client, owner, people):
    done = submit(people.daughter, people.zhao, text="楼道灯坏了")
    Demand.objects.filter(pk=done.pk).update(status=DemandStatus.RESOLVED)
    submit(people.daughter, people.zhao, name="助餐", text="送饭")
    Demand.objects.filter(text="送饭").update(status=DemandStatus.CLOSED, rating=5)
    login(client, people.daughter)
    page = _home(client)
    assert "物业报修" in page and "Waiting for your rating" in page and "助餐" not in page


def test_a_residents_own_home_shows_nobody_else(client, owner, people):
    login(client, people.wang_user)
    assert "You act for" not in _home(client) and "For 王建国" not in _home(client)


def _queries(client) -> int:
    _home(client)
    with CaptureQueriesContext(connection) as done:
        _home(client)
    return len(done)


def test_the_home_runs_the_same_queries_for_one_person_or_three(client, owner, people, tree, building2):
    publish(owner, [tree.committee], title="停水通知")
    publish(owner, [building2], title="64号楼电梯检修")
    activity = make_activity(owner, title="书法班", capacity=10)
    signups.register(people.daughter, people.zhao, activity, scope=NO_SCOPE)
    submit(people.daughter, people.zhao)
    login(client, people.daughter)
    one = _queries(client)
    for person in (people.sun, people.li):
        Proxy.objects.create(resident=person, user=people.daughter, relation="女儿")
        signups.register(people.daughter, person, activity, scope=NO_SCOPE)
        submit(people.daughter, person)
    page = _home(client)
    assert "For 孙阿姨" in page and "For 李秀英" in page and page.count("书法班") == 3
    assert page.count("64号楼电梯检修") == 2  # 赵老伯 and 孙阿姨 live in 64号楼, 李秀英 does not
    assert _queries(client) == one


def test_gathering_the_people_takes_seven_queries(owner, people, tree, django_assert_num_queries):
    publish(owner, [tree.committee], title="停水通知")
    for person in (people.sun, people.li):
        Proxy.objects.create(resident=person, user=people.daughter, relation="女儿")
    # people and their tags, their committees, notices and reads, sign-ups, requests
    with django_assert_num_queries(7):
        assert len(cared_for(people.daughter)) == 3
