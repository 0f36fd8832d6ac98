"""The visits API: plans, shares, coverage, the log with a need raised, not visited; scoped."""

import json
from datetime import timedelta

from django.utils import timezone

from tests import fixtures
from tests.api.conftest import api_client
from tests.factories import scope_of
from tests.visits import conftest as visit_fixtures
from visits import services
from visits.models import Visit
from visits.services import PlanDraft

immediate_tasks = fixtures.immediate_tasks
homes = visit_fixtures.homes
leader = visit_fixtures.leader
category = visit_fixtures.category
BASE = "/api/v1/visits"


def _json(response):
    return json.loads(response.content)


def _send(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_a_plan_through_the_api(owner, colleague, leader, homes, tree):
    api = api_client(owner)
    workers = {w["name"]: w for w in _json(api.get(f"{BASE}/workers"))}
    assert set(workers) == {"社工甲", "书记乙", "周楼组长"}
    assert [g["name"] for g in workers["周楼组长"]["groups"]] == ["64号楼组"]
    today = timezone.localdate()
    made = _send(
        api,
        f"{BASE}/plans",
        {
            "title": "2026年第四季度四百走访",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=60)).isoformat(),
            "workers": [owner.pk, leader.pk],
        },
    )
    assert made.status_code == 201, made.content
    plan = _json(made)
    assert {s["area"]["name"]: s["worker"]["name"] for s in plan["shares"]} == {
        "62号楼组": "社工甲",
        "64号楼组": "周楼组长",
    }
    changed = _send(
        api,
        f"{BASE}/plans/{plan['id']}/shares",
        {"shares": [{"area": tree.group.code, "worker": colleague.pk}]},
        "put",
    )
    assert changed.status_code == 200
    assert {s["worker"]["name"] for s in _json(changed)["shares"]} == {"书记乙", "周楼组长"}
    refused = _send(
        api,
        f"{BASE}/plans/{plan['id']}/shares",
        {"shares": [{"area": tree.group.code, "worker": leader.pk}]},
        "put",
    )
    assert refused.status_code == 422 and "another group" in _json(refused)["detail"]
    coverage = _json(api.get(f"{BASE}/plans/{plan['id']}/coverage"))
    assert coverage["coverage"] == {"visited": 0, "total": 5, "percent": 0.0}
    assert [u["area"]["name"] for u in coverage["units"]] == ["62号楼组", "64号楼组"]
    left = _json(api.get(f"{BASE}/plans/{plan['id']}/to-visit"))
    assert left["count"] == 5
    # The building leader sees their own group of the plan, and what is left of it.
    mine = _json(api_client(leader).get(f"{BASE}/planned"))
    assert mine["total"] == 2 and mine["plan"]["id"] == plan["id"]
    assert _json(api_client(leader).get(f"{BASE}/plans/{plan['id']}/coverage"))["coverage"]["total"] == 2
    # Overlapping plans are refused with the reason.
    again = _send(
        api,
        f"{BASE}/plans",
        {
            "title": "又一个",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "workers": [owner.pk],
        },
    )
    assert again.status_code == 422 and "may not overlap" in _json(again)["detail"]


def test_logging_a_visit_with_a_request_through_the_api(owner, homes, category):
    api = api_client(owner)
    made = _send(
        api,
        BASE,
        {
            "household": homes.a301.pk,
            "way": "phone",
            "seen": [homes.li.pk],
            "findings": "电话联系，李阿姨说最近腰不好。",
            "needs": "需要助洁",
            "demand": {"category": category.pk, "text": "李阿姨家需要每周助洁一次", "resident": homes.li.pk},
        },
    )
    assert made.status_code == 201, made.content
    body = _json(made)
    assert body["visited_on"] == timezone.localdate().isoformat() and body["seen"] == [
        {"id": homes.li.pk, "name": "李秀英"}
    ]
    assert body["demands"][0]["category"] == "助洁"
    listed = _json(api.get(BASE, {"household": homes.a301.pk}))
    assert listed["count"] == 1 and listed["items"][0]["findings"].startswith("电话联系")
    future = _send(
        api,
        BASE,
        {"household": homes.a302.pk, "visited_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 422 and "future" in _json(future)["detail"]
    later = _send(api, f"{BASE}/{body['id']}/demands", {"category": category.pk, "text": "再申请助餐"})
    assert later.status_code == 201 and len(_json(later)["demands"]) == 2


def test_the_api_is_scoped(owner, outsider, resident, homes):
    made = services.log_visit(owner, scope_of(owner), services.VisitDraft(homes.a301, timezone.localdate()))
    far = api_client(outsider)
    assert far.get(f"{BASE}/{made.pk}").status_code == 404
    assert _json(far.get(BASE))["count"] == 0
    assert _send(far, BASE, {"household": homes.a301.pk}).status_code == 404
    assert api_client(resident).get(BASE).status_code == 403
    assert Visit.objects.count() == 1


def test_not_visited_through_the_api(owner, homes):
    services.log_visit(
        owner, scope_of(owner), services.VisitDraft(homes.a301, timezone.localdate() - timedelta(days=30))
    )
    api = api_client(owner)
    rows = _json(api.get(f"{BASE}/not-visited"))["items"]
    assert [r["address"] for r in rows][:1] == ["62号楼 room 302"] and len(rows) == 4
    assert len(_json(api.get(f"{BASE}/not-visited", {"days": 10}))["items"]) == 5
    assert _json(api.get(f"{BASE}/not-visited", {"days": 10}))["items"][-1]["last_way"] == "door"


def test_plans_list_and_detail(owner, outsider, homes):
    today = timezone.localdate()
    plan = services.create_plan(owner, scope_of(owner), PlanDraft("四百走访", today, today, [owner]))
    assert _json(api_client(owner).get(f"{BASE}/plans"))["items"][0]["title"] == "四百走访"
    assert api_client(outsider).get(f"{BASE}/plans/{plan.pk}").status_code == 404


def test_correcting_a_visit_through_the_api(owner, colleague, outsider, homes):
    made = services.log_visit(owner, scope_of(owner), services.VisitDraft(homes.a301, timezone.localdate()))
    change = {
        "visited_on": timezone.localdate().isoformat(),
        "way": "phone",
        "seen": [homes.wang.pk],
        "needs": "助餐",
    }
    answer = _send(api_client(owner), f"{BASE}/{made.pk}", change, method="put")
    assert answer.status_code == 200, answer.content
    body = _json(answer)
    assert body["way"] == "phone" and body["needs"] == "助餐" and body["corrected_at"]
    assert body["seen"] == [{"id": homes.wang.pk, "name": "王建国"}]
    stranger = _send(
        api_client(owner), f"{BASE}/{made.pk}", {**change, "seen": [homes.zhao.pk]}, method="put"
    )
    assert stranger.status_code == 422 and str(homes.zhao.pk) in _json(stranger)["detail"]
    assert _send(api_client(colleague), f"{BASE}/{made.pk}", change, method="put").status_code == 403
    assert _send(api_client(outsider), f"{BASE}/{made.pk}", change, method="put").status_code == 404


def test_deleting_a_plan_through_the_api(owner, outsider, leader, homes):
    today = timezone.localdate()
    plan = services.create_plan(
        owner, scope_of(owner), PlanDraft("四百走访", today, today + timedelta(days=30), [owner])
    )
    ended = services.create_plan(
        owner,
        scope_of(owner),
        PlanDraft("三季度走访", today - timedelta(days=90), today - timedelta(days=1), [owner]),
    )
    assert api_client(outsider).delete(f"{BASE}/plans/{plan.pk}").status_code == 404
    assert api_client(leader).delete(f"{BASE}/plans/{plan.pk}").status_code == 403
    api = api_client(owner)
    refused = api.delete(f"{BASE}/plans/{ended.pk}")
    assert refused.status_code == 422 and "record of that round" in refused.content.decode()
    assert api.delete(f"{BASE}/plans/{plan.pk}").status_code == 204
    assert api.get(f"{BASE}/plans/{plan.pk}").status_code == 404
    assert [p["title"] for p in _json(api.get(f"{BASE}/plans"))["items"]] == ["三季度走访"]
