"""The notices and messages API: the same rules as the pages, scoped, JSON answers."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from notices.models import Notice, NoticeRead
from notifications.models import Notification
from tests import fixtures
from tests.api.conftest import api_client
from tests.notices.test_pages import png_bytes

# The notice tests' world: residents with accounts, a proxy, a building leader; tasks run at once.
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
leader = fixtures.leader

BASE = "/api/v1/notices"


def _json(response):
    return json.loads(response.content)


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def notice_payload(tree):
    return {
        "category": "health",
        "title": "冬季养生讲座",
        "body": "周二下午两点，居委会活动室。",
        "targets": [tree.committee.code],
    }


def test_write_attach_publish_and_read(owner_api, people, notice_payload, django_capture_on_commit_callbacks):
    created = owner_api.post(BASE, notice_payload, content_type="application/json")
    assert created.status_code == 201
    data = _json(created)
    assert data["state"] == "draft" and data["targets"][0]["name"] == "延长新村居委会"
    upload = owner_api.post(
        f"{BASE}/{data['id']}/attachments", {"file": SimpleUploadedFile("海报.png", png_bytes(), "image/png")}
    )
    assert upload.status_code == 201 and _json(upload)["is_image"]
    with django_capture_on_commit_callbacks(execute=True):
        _post(owner_api, f"{BASE}/{data['id']}/publish", {})
    published = _json(owner_api.get(f"{BASE}/{data['id']}"))
    assert published["state"] == "published" and published["audience_size"] == 4
    resident = api_client(people.wang_user)
    mine = _json(resident.get(f"{BASE}/mine"))
    assert [(n["title"], n["read"]) for n in mine] == [("冬季养生讲座", False)]
    detail = _json(resident.get(f"{BASE}/{data['id']}"))
    assert detail["body"].startswith("周二") and detail["poster_url"].endswith("poster.pdf")
    assert NoticeRead.objects.filter(resident=people.wang).exists()
    assert _json(resident.get(f"{BASE}/mine"))[0]["read"] is True
    messages = _json(resident.get("/api/v1/notifications"))
    assert messages["count"] == 1 and messages["items"][0]["title"] == "Health publicity：冬季养生讲座"
    assert _json(_post(resident, "/api/v1/notifications/read", {}))["unread"] == 0


def test_refusals_are_specific(owner_api, owner, outsider, tree, notice_payload, people):
    bad = dict(notice_payload, targets=[tree.neighbour_group.code])
    response = _post(owner_api, BASE, bad)
    assert response.status_code == 422 and tree.neighbour_group.code in _json(response)["detail"]
    empty = _post(owner_api, BASE, dict(notice_payload, title=""))
    assert empty.status_code == 422
    assert not Notice.objects.exists()
    notice_id = _json(_post(owner_api, BASE, notice_payload))["id"]
    assert _post(api_client(outsider), f"{BASE}/{notice_id}/publish", {}).status_code == 404
    draft = _post(owner_api, f"{BASE}/{notice_id}/withdraw", {"reason": "x"})
    assert draft.status_code == 422 and "delete it instead" in _json(draft)["detail"]
    resident = api_client(people.wang_user)
    assert resident.get(f"{BASE}/{notice_id}").status_code == 404  # a draft is not for residents
    assert _post(resident, BASE, notice_payload).status_code == 403
    assert owner_api.delete(f"{BASE}/{notice_id}").status_code == 204
    assert not Notice.objects.exists()
    deleted = AuditEntry.objects.filter(action="delete", content_type__model="notice", object_id=notice_id)
    assert [(e.actor, e.area_path) for e in deleted] == [(owner, tree.committee.path)]  # once, with its area


def test_receipts_follow_up_and_plan(owner_api, leader, people, tree, building2, notice_payload):
    notice_id = _json(_post(owner_api, BASE, notice_payload))["id"]
    _post(owner_api, f"{BASE}/{notice_id}/publish", {})
    rows = _json(owner_api.get(f"{BASE}/{notice_id}/receipts"))
    assert {(r["group"]["name"], r["total"], r["read"]) for r in rows} == {
        ("62号楼组", 2, 0),
        ("64号楼组", 2, 0),
    }
    leader_api = api_client(leader)
    group = building2.parent.code
    unread = _json(leader_api.get(f"{BASE}/{notice_id}/receipts/{group}/unread"))
    assert {p["name"] for p in unread} == {"赵老伯", "孙阿姨"}
    assert leader_api.get(f"{BASE}/{notice_id}/receipts/{tree.group.code}/unread").status_code == 404
    told = _post(leader_api, f"{BASE}/{notice_id}/told", {"residents": [people.zhao.pk, people.wang.pk]})
    assert _json(told) == {"count": 1}
    plan = owner_api.put(
        f"{BASE}/plan/{tree.committee.code}", {"per_month": {"health": 2}}, content_type="application/json"
    )
    months = _json(plan)
    assert (
        len(months) == 12 and months[0]["published"]["health"] == 1 and months[0]["wanted"] == {"health": 2}
    )
    assert Notification.objects.count() == 0  # on_commit not run here: delivery is the task's job
