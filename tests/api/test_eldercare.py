"""The elderly-watch API: the same rules as the pages, scoped, JSON answers."""

import json

import time_machine

from eldercare import cutoffs
from eldercare.models import Alert, Check, Watch
from tests.api.conftest import api_client
from tests.eldercare import conftest as eldercare_fixtures
from tests.eldercare.conftest import at

world = eldercare_fixtures.world
immediate_tasks = eldercare_fixtures.immediate_tasks
BASE = "/api/v1/eldercare"


def _json(response):
    return json.loads(response.content)


def _send(client, url, data=None, method="post"):
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def test_a_watcher_reads_my_watch_and_records_a_check(world):
    neighbour = api_client(world.neighbour)
    with time_machine.travel(at(10, 30), tick=False):
        [row] = _json(neighbour.get(f"{BASE}/mine"))
        assert row["watch"]["resident"]["name"] == "刘阿姨"
        assert (row["day"]["state"], row["night"]["state"]) == ("late", "due")
        made = _send(
            neighbour, f"{BASE}/watches/{world.watch.pk}/checks", {"kind": "curtains", "note": "拉开了"}
        )
    assert made.status_code == 201 and _json(made)["slot"] == "day"
    assert Check.objects.filter(watch=world.watch, by=world.neighbour).count() == 1
    stranger = api_client(world.daughter)
    assert _send(stranger, f"{BASE}/watches/{world.watch.pk}/checks", {"kind": "light"}).status_code == 404
    bad = _send(neighbour, f"{BASE}/watches/{world.watch.pk}/checks", {"kind": "dance"})
    assert bad.status_code == 422


def test_staff_list_add_and_scope(world, owner, outsider):
    staff = api_client(owner)
    listing = _json(staff.get(f"{BASE}/watches"))
    assert [w["resident"]["name"] for w in listing["items"]] == ["刘阿姨"]
    assert _json(staff.get(f"{BASE}/candidates"))["items"][0]["name"] == "钱伯伯"
    added = _send(staff, f"{BASE}/watches", {"resident": world.qian.pk})
    assert added.status_code == 201 and _json(added)["checks_from"]
    again = _send(staff, f"{BASE}/watches", {"resident": world.qian.pk})
    assert again.status_code == 422 and "already on the watch list" in _json(again)["detail"]
    assert staff.get(f"{BASE}/watches/{world.far_watch.pk}").status_code == 404
    assert api_client(outsider).get(f"{BASE}/watches/{world.watch.pk}").status_code == 404
    assert api_client(world.leader).get(f"{BASE}/watches").status_code == 403


def test_staff_keep_watchers_family_times_and_status(world, owner):
    staff = api_client(owner)
    url = f"{BASE}/watches/{world.watch.pk}"
    detail = _json(staff.get(url))
    assert {w["name"] for w in detail["watchers"]} == {"张楼组长", "邻居孙"}
    gone = staff.delete(f"{url}/watchers/{world.neighbour.pk}")
    assert gone.status_code == 204
    added = _send(staff, f"{url}/watchers", {"phone": world.neighbour.phone, "kind": "neighbour"})
    assert added.status_code == 201
    family = _send(
        staff, f"{url}/family", {"name": "女儿", "relation": "女儿", "account": world.daughter.pk}, "put"
    )
    assert _json(family)["family_account"] == world.daughter.pk
    times = _send(staff, f"{url}/cutoffs", {"day_cutoff": "09:00", "night_cutoff": None}, "put")
    assert _json(times)["day_cutoff"] == "09:00"
    assert _send(staff, f"{url}/cutoffs", {"day_cutoff": 32400}, "put").status_code == 422
    paused = _send(staff, f"{url}/status", {"status": "paused", "reason": "in_hospital"})
    assert _json(paused)["status"] == "paused"


def test_alerts_acknowledge_and_close(world, owner):
    cutoffs.run_cutoffs(at(10, 0))
    staff = api_client(owner)
    [alert] = _json(staff.get(f"{BASE}/alerts"))["items"]
    assert alert["resident"] == "刘阿姨" and alert["level"] == 1
    done = _send(staff, f"{BASE}/alerts/{alert['id']}/acknowledge")
    assert _json(done)["acknowledged_by"] == owner.name
    refused = _send(staff, f"{BASE}/alerts/{alert['id']}/close", {"outcome": "help_sent"})
    assert refused.status_code == 422
    closed = _send(staff, f"{BASE}/alerts/{alert['id']}/close", {"outcome": "help_sent", "note": "上门送药"})
    assert _json(closed)["outcome"] == "help_sent"
    far = Alert.objects.get(watch=world.far_watch)
    assert staff.get(f"{BASE}/alerts/{far.pk}").status_code == 404


def test_attention_and_policy(world, owner):
    staff = api_client(owner)
    with time_machine.travel(at(10, 30), tick=False):
        found = _json(staff.get(f"{BASE}/attention"))
    assert found["overdue_count"] == 1 and found["overdue"][0]["resident"]["name"] == "刘阿姨"
    policy = _send(
        staff,
        f"{BASE}/policy",
        {
            "day_cutoff": "09:00",
            "night_cutoff": "19:00",
            "night_from": "16:00",
            "workers_after": 30,
            "family_after": 60,
        },
        "put",
    )
    assert _json(policy)["workers_after"] == 30
    assert _json(staff.get(f"{BASE}/policy"))["day_cutoff"] == "09:00"
    assert Watch.objects.count() == 2
