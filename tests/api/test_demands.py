"""The requests API: the same rules as the pages, scoped, JSON answers."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from demands.models import Category, Demand, ServiceProject
from tests import fixtures
from tests.api.conftest import api_client

immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
street_admin = fixtures.street_admin
BASE = "/api/v1/demands"


def _json(response):
    return json.loads(response.content)


def _send(client, url, data=None, method="post"):
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def _category(name):
    return Category.objects.get(committee=None, name=name).pk


def test_a_resident_asks_follows_and_rates(owner, people):
    wang = api_client(people.wang_user)
    offered = _json(wang.get(f"{BASE}/categories"))
    assert offered[0] == {
        "id": _category("助急"),
        "name": "助急",
        "hours": 4,
        "elderly": True,
        "default": True,
    }
    made = _send(
        wang, BASE, {"resident": people.wang.pk, "category": _category("物业报修"), "text": "楼道灯坏了"}
    )
    assert made.status_code == 201
    body = _json(made)
    assert body["status"] == "new" and body["at_home"] and body["where"] == "62号楼 room 301"
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    photo = wang.post(
        f"{BASE}/{body['id']}/photos", {"file": SimpleUploadedFile("灯.png", buffer.getvalue())}
    )
    assert photo.status_code == 201 and len(_json(photo)["photos"]) == 1
    assert [r["id"] for r in _json(wang.get(BASE))] == [body["id"]]

    staff = api_client(owner)
    assigned = _send(staff, f"{BASE}/{body['id']}/assign", {"kind": "property", "name": "延长物业"})
    assert assigned.status_code == 200 and _json(assigned)["assignee"] == "Property management: 延长物业"
    _send(staff, f"{BASE}/{body['id']}/respond", {"text": "物业电话内部", "internal": True})
    _send(staff, f"{BASE}/{body['id']}/respond", {"text": "明天来修"})
    timeline = _json(wang.get(f"{BASE}/{body['id']}"))["timeline"]
    assert [e["kind"] for e in timeline] == ["submitted", "photo", "assigned", "reply"]
    assert all(e["by"] is None for e in timeline)
    staff_view = _json(staff.get(f"{BASE}/{body['id']}"))["timeline"]
    assert any(e["internal"] for e in staff_view) and staff_view[0]["by"] == "王建国"

    early = _send(wang, f"{BASE}/{body['id']}/rate", {"rating": 5})
    assert early.status_code == 422 and "once it is resolved" in _json(early)["detail"]
    _send(staff, f"{BASE}/{body['id']}/resolve", {"resolution": "已更换灯管"})
    rated = _send(wang, f"{BASE}/{body['id']}/rate", {"rating": 5, "comment": "谢谢"})
    assert rated.status_code == 200 and _json(rated)["rating"] == 5
    reopened = _send(wang, f"{BASE}/{body['id']}/reopen", {"reason": "又坏了"})
    assert _json(reopened)["status"] == "reopened" and _json(reopened)["rating"] is None


def test_scoped_everywhere(owner, outsider, people):
    wang = api_client(people.wang_user)
    made = _json(
        _send(wang, BASE, {"resident": people.wang.pk, "category": _category("物业报修"), "text": "灯坏了"})
    )
    li = api_client(people.li_user)
    assert li.get(f"{BASE}/{made['id']}").status_code == 404
    assert _send(li, f"{BASE}/{made['id']}/withdraw").status_code == 404
    assert (
        _send(li, BASE, {"resident": people.wang.pk, "category": _category("助急"), "text": "x"}).status_code
        == 404
    )
    other = api_client(outsider)
    assert other.get(f"{BASE}/{made['id']}").status_code == 404
    assert _send(other, f"{BASE}/{made['id']}/resolve", {"resolution": "x"}).status_code == 404
    assert _json(other.get(f"{BASE}/queue"))["count"] == 0
    assert wang.get(f"{BASE}/queue").status_code == 403
    logged = _send(
        other, f"{BASE}/log", {"resident": people.zhao.pk, "category": _category("助餐"), "text": "送餐"}
    )
    assert logged.status_code == 404


def test_staff_queue_log_categories_projects_and_figures(owner, people, street_admin):
    staff = api_client(owner)
    logged = _send(
        staff,
        f"{BASE}/log",
        {"resident": people.zhao.pk, "category": _category("助餐"), "text": "送餐", "source": "visit"},
    )
    assert logged.status_code == 201 and _json(logged)["source"] == "visit"
    queue = _json(staff.get(f"{BASE}/queue", {"assignee": "none"}))
    assert queue["count"] == 1 and queue["items"][0]["resident_name"] == "赵老伯"
    assert _json(staff.get(f"{BASE}/queue/counts"))["new"] == 1

    added = _send(staff, f"{BASE}/categories/settings", {"name": "加装电梯", "service_hours": 240})
    assert added.status_code == 201 and _json(added)["default"] is False
    meals = _category("助餐")
    changed = _send(
        staff, f"{BASE}/categories/settings/{meals}", {"service_hours": 24, "offered": False}, "patch"
    )
    not_an_object = staff.patch(
        f"{BASE}/categories/settings/{meals}", "[null]", content_type="application/json"
    )
    assert not_an_object.status_code == 422 and "JSON object" in _json(not_an_object)["detail"]
    assert _json(changed) == {
        "id": meals,
        "name": "助餐",
        "hours": 24,
        "elderly": True,
        "default": True,
        "offered": False,
    }

    project = _send(
        staff,
        f"{BASE}/projects",
        {"title": "送餐服务", "description": "每天送午餐", "demands": [_json(logged)["id"]]},
    )
    assert project.status_code == 201 and _json(project)["demands"] == [_json(logged)["id"]]
    pid = _json(project)["id"]
    moved = _send(staff, f"{BASE}/projects/{pid}/status", {"status": "done", "outcome": "x"})
    assert moved.status_code == 422 and "cannot become" in _json(moved)["detail"]
    assert (
        _json(_send(staff, f"{BASE}/projects/{pid}/status", {"status": "in_progress"}))["status"]
        == "in_progress"
    )
    assert ServiceProject.objects.get().demands.count() == 1

    figures = _json(staff.get(f"{BASE}/figures", {"start": "2026-01-01"}))
    assert figures["by"] == "worker" and figures["total"]["open"] == 1
    street = _json(api_client(street_admin).get(f"{BASE}/figures"))
    assert street["by"] == "committee" and street["rows"][0]["label"] == "延长新村居委会"
    bad = api_client(street_admin).get(f"{BASE}/figures", {"start": "2026-05-01", "end": "2026-01-01"})
    assert bad.status_code == 422
    assert Demand.objects.count() == 1
