"""The API under /api/v1/aids/: the same services and refusals as the pages."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from aids import lending
from aids.models import Loan
from tests.api.conftest import api_client
from tests.factories import scope_of

API = "/api/v1/aids"


def test_staff_keep_kinds_and_items(owner, site):
    client = api_client(owner)
    made = client.post(
        f"{API}/kinds",
        {"name": "助行器", "category": "walker", "min_age": 70, "tags": ["disabled"], "deposit": "50"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    kind = made.json()
    assert kind["tags"] == ["disabled"] and kind["min_age"] == 70
    item = client.post(
        f"{API}/kinds/{kind['id']}/items", {"code": "ZX-1", "site": site.pk}, content_type="application/json"
    )
    assert item.status_code == 201 and item.json()["site_name"] == "延长新村服务站"
    twice = client.post(f"{API}/kinds/{kind['id']}/items", {"code": "ZX-1"}, content_type="application/json")
    assert twice.status_code == 422 and twice.json()["detail"] == "助行器 ZX-1 already exists."
    listed = client.get(f"{API}/kinds").json()
    assert [(k["name"], k["free"]) for k in listed] == [("助行器", 1)]


def test_a_resident_asks_and_staff_lend_renew_and_take_back(owner, people, wheelchairs):
    kind, items = wheelchairs
    client = api_client(people.wang_user)
    assert [k["free"] for k in client.get(f"{API}/borrowable").json()] == [2]
    hold = client.post(
        f"{API}/kinds/{kind.pk}/holds", {"resident": people.wang.pk}, content_type="application/json"
    )
    assert hold.status_code == 201 and hold.json()["status"] == "ready"
    assert client.get(f"{API}/mine").json()["holds"][0]["item_code"] == "LY-01"
    client = api_client(owner)
    lent = client.post(
        f"{API}/items/{items[0].pk}/lend", {"resident": people.wang.pk}, content_type="application/json"
    )
    assert lent.status_code == 201 and lent.json()["deposit"] == "200.00"
    again = client.post(
        f"{API}/items/{items[0].pk}/lend", {"resident": people.li.pk}, content_type="application/json"
    )
    assert again.status_code == 422 and "already lent, to 王建国" in again.json()["detail"]
    loan_id = lent.json()["id"]
    assert client.post(f"{API}/loans/{loan_id}/renew").json()["renewals"] == 1
    past = client.post(f"{API}/loans/{loan_id}/renew")
    assert (
        past.status_code == 422
        and past.json()["detail"] == "轮椅 may be renewed 1 times; this loan has been."
    )
    back = client.post(
        f"{API}/loans/{loan_id}/return",
        {"condition": "needs_repair", "notes": "刹车坏"},
        content_type="application/json",
    )
    assert back.status_code == 200 and back.json()["condition_back"] == "needs_repair"
    not_out = client.post(
        f"{API}/loans/{loan_id}/return", {"condition": "good"}, content_type="application/json"
    )
    assert not_out.status_code == 422
    assert client.get(f"{API}/items/{items[0].pk}").json()["in_service"] is False


def test_the_overdue_list_and_the_due_summary(owner, people, wheelchairs):
    _kind, items = wheelchairs
    loan = lending.lend(owner, items[0], people.zhao, scope=scope_of(owner))
    Loan.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    client = api_client(owner)
    rows = client.get(f"{API}/overdue").json()
    assert [(r["days_overdue"], r["call"], r["call_name"]) for r in rows] == [(2, "family", "赵女儿")]
    assert client.get(f"{API}/due").json()["overdue"] == 1


def test_residents_get_no_staff_lists_and_no_one_elses_loans(owner, people, wheelchairs):
    _kind, items = wheelchairs
    loan = lending.lend(owner, items[0], people.li, scope=scope_of(owner))
    client = api_client(people.wang_user)
    assert client.get(f"{API}/loans").status_code == 403
    assert client.get(f"{API}/loans/{loan.pk}").status_code == 404
