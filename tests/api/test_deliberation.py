"""The deliberation API: the same rules as the pages, scoped, JSON answers."""

import json
from datetime import timedelta

from django.utils import timezone

from deliberation.models import Ballot, Opinion, Topic
from tests import fixtures
from tests.api.conftest import api_client
from tests.deliberation import conftest as deliberation_fixtures

immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
topic = deliberation_fixtures.topic
poll = deliberation_fixtures.poll
BASE = "/api/v1/deliberation"


def _json(response):
    return json.loads(response.content)


def _send(client, url, data=None, method="post"):
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def test_residents_read_speak_and_vote(people, poll):
    wang = api_client(people.wang_user)
    topics = _json(wang.get(BASE))
    assert [t["title"] for t in topics] == ["红屋顶花园怎么设计"] and topics[0]["phase"] == "poll"
    detail = _json(wang.get(f"{BASE}/{poll.topic.pk}"))
    assert detail["poll"]["question"] == "花园里最想要什么？"
    assert detail["voters"] == [
        {"resident": people.wang.pk, "name": "王建国", "voted_at": None, "problem": ""}
    ]
    said = _send(wang, f"{BASE}/{poll.topic.pk}/opinions", {"resident": people.wang.pk, "body": "要有座椅"})
    assert said.status_code == 201 and _json(said)["status"] == "visible"
    seat = poll.options.first().pk
    assert (
        _send(
            wang, f"{BASE}/{poll.topic.pk}/vote", {"resident": people.wang.pk, "options": [seat]}
        ).status_code
        == 201
    )
    again = _send(wang, f"{BASE}/{poll.topic.pk}/vote", {"resident": people.wang.pk, "options": [seat]})
    assert again.status_code == 422 and "already voted" in _json(again)["detail"]
    assert Ballot.objects.count() == 1
    # Results wait for the close; the neighbour sees the opinion without the full name.
    assert wang.get(f"{BASE}/{poll.topic.pk}/results").status_code == 403
    li = api_client(people.li_user)
    assert _json(li.get(f"{BASE}/{poll.topic.pk}/opinions"))[0]["author"] == "王** · 62号楼"
    # Only for oneself or someone one acts for; nothing outside one's committee.
    assert (
        _send(li, f"{BASE}/{poll.topic.pk}/vote", {"resident": people.wang.pk, "options": [seat]}).status_code
        == 404
    )
    far = api_client(people.far_user)
    assert far.get(f"{BASE}/{poll.topic.pk}").status_code == 404
    assert _json(far.get(BASE)) == []


def test_staff_see_live_results_and_moderate(owner, people, poll):
    staff = api_client(owner)
    _send(
        api_client(people.wang_user),
        f"{BASE}/{poll.topic.pk}/vote",
        {"resident": people.wang.pk, "options": [poll.options.first().pk]},
    )
    results = _json(staff.get(f"{BASE}/{poll.topic.pk}/results"))
    assert results["ballots"] == 1 and results["closed"] is False and results["options"][0]["votes"] == 1
    assert _send(staff, f"{BASE}/held-words", {"words": ["加微信"]}, "put").status_code == 200
    held = _json(
        _send(
            api_client(people.li_user),
            f"{BASE}/{poll.topic.pk}/opinions",
            {"resident": people.li.pk, "body": "请加微信"},
        )
    )
    assert held["status"] == "held"
    queue = _json(staff.get(f"{BASE}/moderation"))
    assert [q["body"] for q in queue] == ["请加微信"] and queue[0]["resident"] == "李秀英"
    hidden = _send(staff, f"{BASE}/opinions/{held['id']}/hide", {"reason": "广告"})
    assert _json(hidden)["status"] == "hidden"
    reply = _send(staff, f"{BASE}/{poll.topic.pk}/opinions", {"body": "居委会会汇总"})
    assert _json(reply)["from_committee"] is True
    assert Opinion.objects.filter(status="hidden").count() == 1


def test_staff_post_move_and_meet(owner, outsider, people):
    staff = api_client(owner)
    made = _send(staff, BASE, {"title": "红屋顶花园", "body": "请大家说说。", "areas": []})
    assert made.status_code == 201
    topic_id = _json(made)["id"]
    refused = _send(staff, f"{BASE}/{topic_id}/phase", {"phase": "implementation", "note": ""})
    assert refused.status_code in (400, 422) and "decided" in refused.content.decode()
    moved = _send(staff, f"{BASE}/{topic_id}/phase", {"phase": "decision", "note": "提交议事会"})
    assert _json(moved)["phase"] == "decision"
    meeting = _json(
        _send(
            staff,
            f"{BASE}/meetings",
            {
                "kind": "joint",
                "title": "联席会议",
                "starts_at": (timezone.now() - timedelta(hours=1)).isoformat(),
                "place": "会议室",
                "topics": [topic_id],
            },
        )
    )["meeting"]
    guest = _send(
        staff,
        f"{BASE}/meetings/{meeting['id']}/participants",
        {"side": "owners", "name": "陈主任", "organisation": "业委会"},
    )
    assert guest.status_code == 201
    done = _send(
        staff,
        f"{BASE}/meetings/{meeting['id']}/minutes",
        {"minutes": "同意", "attended": [_json(guest)["id"]]},
    )
    assert _json(done)["participants"][0]["attended"] is True
    decision = _send(
        staff,
        f"{BASE}/meetings/{meeting['id']}/decisions",
        {
            "text": "物业清理",
            "owner": "物业",
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "topic": topic_id,
        },
    )
    assert _json(decision)["overdue"] is True
    assert [d["text"] for d in _json(staff.get(f"{BASE}/decisions", {"overdue": True}))["items"]] == [
        "物业清理"
    ]
    tracked = _send(
        staff, f"{BASE}/decisions/{_json(decision)['id']}", {"status": "done", "progress": "已完成"}
    )
    assert _json(tracked)["status"] == "done"
    # Another committee's staff see none of it.
    other = api_client(outsider)
    assert other.get(f"{BASE}/meetings/{meeting['id']}").status_code == 404
    assert _send(other, f"{BASE}/{topic_id}/phase", {"phase": "done", "note": "x"}).status_code == 404
    assert Topic.objects.get(pk=topic_id).phase == "decision"


def test_proposals_and_support(settings, people):
    settings.DELIBERATION_SUPPORTERS = 2
    made = _send(
        api_client(people.wang_user),
        f"{BASE}/proposals",
        {"resident": people.wang.pk, "title": "加装扶手", "body": "老人不方便"},
    )
    assert _json(made)["phase"] == "proposed"
    backed = _send(
        api_client(people.li_user), f"{BASE}/{_json(made)['id']}/support", {"resident": people.li.pk}
    )
    assert _json(backed)["phase"] == "collecting"


def test_the_outcomes_as_json(owner, people, topic):
    outcomes = _json(api_client(people.far_user).get(f"{BASE}/outcomes/{topic.committee.code}"))
    assert [o["topic"]["title"] for o in outcomes] == ["红屋顶花园怎么设计"]
    assert api_client(people.far_user).get(f"{BASE}/outcomes/310106019").status_code == 404
