"""The deliberation pages as residents, family members and staff use them, with JavaScript
off (plain forms), and the public outcome page."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.scope import NO_SCOPE
from deliberation import polls, services
from deliberation.models import Ballot, Meeting, Opinion, Phase, Topic
from tests.deliberation.conftest import make_poll, make_topic
from tests.factories import login, scope_of


def test_a_resident_reads_gives_an_opinion_and_votes(client, owner, people, poll):
    login(client, people.wang_user)
    index = client.get(reverse("deliberation:index")).content.decode()
    assert "红屋顶花园怎么设计" in index and "Open: your say counts" in index
    url = poll.topic.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Give your opinion" in page and "Vote for 王建国" in page
    response = client.post(
        reverse("deliberation:opinion", args=[poll.topic.pk]), {"body": "座椅要有靠背"}, follow=True
    )
    assert "your post is shown" in response.content.decode()
    seat = poll.options.first()
    response = client.post(
        reverse("deliberation:vote", args=[poll.topic.pk]), {"option": seat.pk}, follow=True
    )
    page = response.content.decode()
    assert "王建国&#x27;s vote is counted" in page or "王建国's vote is counted" in page
    assert "王建国 voted on" in page
    response = client.post(
        reverse("deliberation:vote", args=[poll.topic.pk]), {"option": seat.pk}, follow=True
    )
    assert "has already voted" in response.content.decode()
    assert Ballot.objects.count() == 1
    # Residents see each other by surname and building, not full name.
    login(client, people.li_user)
    page = client.get(url).content.decode()
    assert "王** · 62号楼" in page and "王建国" not in page
    assert "The results are shown when voting closes" in page


def test_a_daughter_speaks_for_her_father(client, owner, people, topic):
    login(client, people.daughter)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "赵老伯" not in page or "Speaking for" not in page  # one person: no choice to make
    client.post(
        reverse("deliberation:opinion", args=[topic.pk]),
        {"body": "父亲想要遮阳棚", "resident": people.zhao.pk},
    )
    opinion = Opinion.objects.get()
    assert opinion.resident == people.zhao and opinion.author == people.daughter
    response = client.post(
        reverse("deliberation:opinion", args=[topic.pk]), {"body": "x", "resident": people.wang.pk}
    )
    assert response.status_code == 403


def test_a_resident_proposes_and_neighbours_support(client, settings, owner, people):
    settings.DELIBERATION_SUPPORTERS = 2
    login(client, people.wang_user)
    response = client.post(
        reverse("deliberation:propose"), {"title": "楼道加装扶手", "body": "老人上下楼不方便。"}, follow=True
    )
    assert "once 2 neighbours support it" in response.content.decode()
    topic = Topic.objects.get()
    login(client, people.li_user)
    response = client.post(reverse("deliberation:support", args=[topic.pk]), follow=True)
    assert "李秀英 supports this proposal" in response.content.decode()
    topic.refresh_from_db()
    assert topic.phase == Phase.COLLECTING


def test_topics_are_for_their_committee_and_buildings(client, owner, people, building2):
    mine = make_topic(owner, title="64号楼的议题", areas=[building2])
    login(client, people.far_user)
    assert client.get(mine.get_absolute_url()).status_code == 404
    login(client, people.wang_user)
    assert client.get(mine.get_absolute_url()).status_code == 404
    assert "64号楼的议题" not in client.get(reverse("deliberation:index")).content.decode()
    login(client, people.daughter)
    assert client.get(mine.get_absolute_url()).status_code == 200


def test_the_resident_pages_run_fixed_queries(client, owner, people, django_assert_num_queries):
    login(client, people.daughter)
    first = make_topic(owner, title="第1个")
    client.get(reverse("deliberation:index"))
    with CaptureQueriesContext(connection) as index_queries:
        client.get(reverse("deliberation:index"))
    with CaptureQueriesContext(connection) as detail_queries:
        client.get(first.get_absolute_url())
    for n in range(2, 12):
        made = make_topic(owner, title=f"第{n}个")
        services.give_opinion(people.daughter, first, f"意见{n}", resident=people.zhao, scope=NO_SCOPE)
        services.give_opinion(owner, first, f"回复{n}", parent=Opinion.objects.last(), scope=scope_of(owner))
        services.give_opinion(people.daughter, made, "好", resident=people.zhao, scope=NO_SCOPE)
    with django_assert_num_queries(len(index_queries)):
        page = client.get(reverse("deliberation:index")).content.decode()
    assert "第11个" in page
    with django_assert_num_queries(len(detail_queries)):
        page = client.get(first.get_absolute_url()).content.decode()
    assert "意见11" in page and "回复11" in page


def test_staff_put_a_topic_move_it_and_moderate(client, owner, people):
    login(client, owner)
    response = client.post(
        reverse("deliberation:new"),
        {"title": "红屋顶花园怎么设计", "body": "请大家说说。", "collect_until": ""},
        follow=True,
    )
    assert "open for residents" in response.content.decode()
    topic = Topic.objects.get()
    client.post(reverse("deliberation:moderation"), {"words": "广告\n加微信"})
    services.give_opinion(people.wang_user, topic, "装修请加微信", resident=people.wang, scope=NO_SCOPE)
    queue = client.get(reverse("deliberation:moderation")).content.decode()
    assert "装修请加微信" in queue and "held for: 加微信" in queue
    held = Opinion.objects.get()
    response = client.post(
        reverse("deliberation:hide", args=[held.pk]),
        {"reason": "广告", "next": reverse("deliberation:moderation")},
        follow=True,
    )
    assert "the author is told why" in response.content.decode()
    # An outside address in "next" is not followed.
    response = client.post(
        reverse("deliberation:hide", args=[held.pk]), {"reason": "广告", "next": "https://evil.example/"}
    )
    assert response["Location"] == topic.get_absolute_url()
    response = client.post(
        reverse("deliberation:phase", args=[topic.pk]), {"phase": "implementation", "note": ""}, follow=True
    )
    assert "before carrying it out" in response.content.decode()
    client.post(reverse("deliberation:phase", args=[topic.pk]), {"phase": "decision", "note": "提交议事会"})
    topic.refresh_from_db()
    assert topic.phase == Phase.DECISION
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "提交议事会" in page and "王建国" in page  # staff see full names


def test_staff_set_up_the_poll_and_see_live_results(client, owner, people, topic):
    login(client, owner)
    now = timezone.localtime()
    response = client.post(
        reverse("deliberation:poll", args=[topic.pk]),
        {
            "question": "花园里最想要什么？",
            "options": "座椅\n花架\n\n露天电影场地",
            "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "anonymous": "on",
        },
    )
    assert response.status_code == 302
    poll = topic.poll
    assert [o.label for o in poll.options.all()] == ["座椅", "花架", "露天电影场地"]
    services.move(owner, scope_of(owner), topic, Phase.POLL)
    topic.refresh_from_db()
    polls.vote(people.wang_user, people.wang, poll, [poll.options.first().pk])
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Live: residents see the results after voting closes" in page and "1 vote cast" in page


def test_a_meeting_from_invitation_to_decision(client, owner, people, topic):
    login(client, owner)
    response = client.post(
        reverse("deliberation:meeting_new"),
        {
            "kind": "joint",
            "title": "三驾马车联席会议",
            "starts_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "居委会会议室",
            "topics": [topic.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    url = reverse("deliberation:participants", args=[meeting.pk])
    page = client.post(url, {"side": "property", "name": "王经理"}).content.decode()
    assert "Name the company or body they represent" in page
    client.post(url, {"side": "property", "name": "王经理", "organisation": "上房物业"})
    manager = meeting.participants.get()
    client.post(
        reverse("deliberation:minutes", args=[meeting.pk]), {"minutes": "同意方案", "attended": [manager.pk]}
    )
    client.post(
        reverse("deliberation:decide", args=[meeting.pk]),
        {
            "text": "物业清理杂物",
            "owner": "上房物业",
            "due_on": timezone.localdate().isoformat(),
            "topic": topic.pk,
        },
    )
    decision = meeting.decisions.get()
    assert decision.topic == topic
    page = client.get(reverse("deliberation:decisions")).content.decode()
    assert "物业清理杂物" in page
    client.post(reverse("deliberation:track", args=[decision.pk]), {"status": "done", "progress": "已清理"})
    decision.refresh_from_db()
    assert decision.status == "done"


def test_the_outcome_page_is_public_and_names_nobody(owner, people, topic, django_assert_num_queries):
    services.give_opinion(people.wang_user, topic, "要有座椅", resident=people.wang, scope=NO_SCOPE)
    now = timezone.now()
    make_poll(owner, topic, opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    services.move(owner, scope_of(owner), topic, Phase.CLOSED, "与物业维修计划重复")
    anonymous = Client()
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("deliberation:outcomes", args=[topic.committee.code])
    anonymous.get(url)
    with CaptureQueriesContext(connection) as few:
        anonymous.get(url)
    for n in range(3):
        other = make_topic(owner, title=f"议题{n}")
        services.give_opinion(people.li_user, other, f"意见{n}", resident=people.li, scope=NO_SCOPE)
        make_poll(owner, other, opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    with django_assert_num_queries(len(few)):
        page = anonymous.get(url).content.decode()
    assert "要有座椅" in page and "王**" in page and "王建国" not in page
    assert "Not taken up." in page and "议题2" in page
    building = topic.committee  # a committee's part answers with the committee's page
    assert anonymous.get(reverse("deliberation:outcomes", args=[building.code])).status_code == 200
    assert (
        anonymous.get(reverse("deliberation:outcomes", args=[topic.committee.parent.code])).status_code == 404
    )


def test_the_phase_strip_shows_what_happened_and_plans_only_ahead(client, owner, people):
    """Opinions were to close in three weeks, the committee moved on to deciding after one day:
    the strip says collecting ended that day (not the planned date), deciding began then, and
    only what is to come carries the plan, labelled as such."""
    today = timezone.localdate()
    made = make_topic(
        owner,
        collect_until=today + timedelta(days=21),
        decide_by=today + timedelta(days=30),
        implement_by=today + timedelta(days=60),
    )
    services.move(owner, scope_of(owner), made, "decision", "提前进入决定")
    login(client, people.wang_user)
    page = client.get(reverse("deliberation:detail", args=[made.pk])).content.decode()
    strip = page[page.index('<ol class="steps"') : page.index("</ol>", page.index('<ol class="steps"'))]
    day = lambda d: d.strftime("%m-%d")  # noqa: E731
    assert day(today + timedelta(days=21)) not in strip
    assert f"ended {day(today)}" in strip and f"since {day(today)}" in strip
    assert f"planned until {day(today + timedelta(days=30))}" in strip
    assert f"planned {day(today + timedelta(days=60))}" in strip
