"""The API under /api/v1/meals/: diners (list, one, register, change, end, reveal) and subsidy
rules (list, one, set, change, delete, end), with the same refusals as the pages."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meals.models import Diner, SubsidyRule
from registry.models import AccessLog, RevealedField
from tests.api.conftest import api_client
from tests.meals.conftest import place

API = "/api/v1/meals"
JSON = "application/json"
TODAY = timezone.localdate


def test_staff_register_list_change_and_end_a_diner(owner, people, kitchen):
    client = api_client(owner)
    made = client.post(
        f"{API}/diners",
        {
            "resident": people.zhao.pk,
            "point": kitchen.point.pk,
            "needs": ["soft"],
            "allergies": ["fish"],
            "health": "糖尿病",
            "delivery": True,
            "usual_mode": "delivered",
        },
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["name"], body["needs"], body["allergies"], body["health"], body["delivery"]) == (
        "赵老伯",
        ["soft"],
        ["fish"],
        "已登记（1项）",
        True,
    )
    cipher = Diner.objects.get().health_cipher
    assert cipher not in made.content.decode() and "糖尿病" not in made.content.decode()
    listed = client.get(f"{API}/diners", {"delivery": "true"}).json()
    assert [d["name"] for d in listed["items"]] == ["赵老伯"]
    changed = client.put(f"{API}/diners/{body['id']}", {"needs": ["low_salt"]}, content_type=JSON)
    assert changed.status_code == 200 and changed.json()["needs"] == ["low_salt"]
    assert changed.json()["health"] == "已登记（1项）"
    ended = client.post(f"{API}/diners/{body['id']}/end", {"reason": "住院"}, content_type=JSON)
    assert ended.status_code == 200 and ended.json()["current"] is False


def test_refusals_answer_422_naming_the_field(owner, people, kitchen, tree, diners):
    from tests.meals.conftest import make_point

    client = api_client(owner)
    elsewhere = make_point(tree.neighbour, [tree.neighbour], name="慧芝湖助餐点")
    refused = client.post(
        f"{API}/diners", {"resident": people.sun.pk, "point": elsewhere.pk}, content_type=JSON
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "point"]
    bad = client.post(
        f"{API}/diners",
        {"resident": people.sun.pk, "point": kitchen.point.pk, "needs": ["spicy"]},
        content_type=JSON,
    )
    assert bad.status_code == 422
    place(diners["wang"], kitchen.set_meal(TODAY() + timedelta(days=1)))
    busy = client.post(f"{API}/diners/{diners['wang'].pk}/end", {"reason": "搬走"}, content_type=JSON)
    assert busy.status_code == 422 and "has open orders on" in busy.json()["detail"]


def test_residents_register_themselves_and_see_only_their_own(people, kitchen, diners):
    client = api_client(people.far_user)
    assert client.get(f"{API}/diners").status_code == 403
    assert client.get(f"{API}/diners/{diners['wang'].pk}").status_code == 404
    wang = api_client(people.wang_user)
    assert wang.get(f"{API}/diners/{diners['wang'].pk}").json()["name"] == "王建国"
    daughter = api_client(people.daughter)
    answer = daughter.put(f"{API}/diners/{diners['zhao'].pk}", {"allergies": ["peanut"]}, content_type=JSON)
    assert answer.status_code == 200 and answer.json()["allergies"] == ["peanut"]
    assert (
        daughter.post(
            f"{API}/diners", {"resident": people.sun.pk, "point": kitchen.point.pk}, content_type=JSON
        ).status_code
        == 404
    )


def test_reveal_logs_and_refuses(owner, leader, diners):
    client = api_client(owner)
    li = diners["li"]
    client.put(f"{API}/diners/{li.pk}", {"health": "高血压"}, content_type=JSON)
    short = client.post(f"{API}/diners/{li.pk}/reveal", {"reason": "看"}, content_type=JSON)
    assert short.status_code == 422 and not AccessLog.objects.exists()
    shown = client.post(f"{API}/diners/{li.pk}/reveal", {"reason": "核对饮食禁忌"}, content_type=JSON)
    assert shown.status_code == 200 and shown.json() == {"diner": li.pk, "health": "高血压"}
    assert AccessLog.objects.get().field == RevealedField.MEAL_HEALTH
    assert (
        api_client(leader)
        .post(f"{API}/diners/{li.pk}/reveal", {"reason": "核对饮食禁忌"}, content_type=JSON)
        .status_code
        == 403
    )


def test_rules_are_set_listed_ended_and_refused_when_they_overlap(
    street_admin, owner, rules, tree, diners, kitchen
):
    client = api_client(street_admin)
    data = {
        "area": tree.committee.code,
        "name": "残疾人助餐",
        "funder": "街道",
        "tags": ["disabled"],
        "amount": "4.00",
        "valid_from": TODAY().isoformat(),
    }
    made = client.post(f"{API}/rules", data, content_type=JSON)
    assert made.status_code == 201, made.content
    rule = made.json()
    assert (rule["area"]["code"], rule["tags"], rule["used"], rule["covered_today"]) == (
        tree.committee.code,
        ["disabled"],
        False,
        0,
    )
    overlapping = client.post(f"{API}/rules", {**data, "name": "又一条", "tags": []}, content_type=JSON)
    assert overlapping.status_code == 422 and "独居老人午餐补贴" in overlapping.json()["detail"]
    bad_band = client.post(
        f"{API}/rules", {**data, "min_age": 90, "max_age": 80, "funder": "x"}, content_type=JSON
    )
    assert bad_band.status_code == 422 and bad_band.json()["errors"][0]["loc"] == ["body", "max_age"]
    zero_cap = client.post(f"{API}/rules", {**data, "monthly_cap": "0", "funder": "x"}, content_type=JSON)
    assert zero_cap.status_code == 422
    changed = client.put(f"{API}/rules/{rule['id']}", {**data, "amount": "5.00"}, content_type=JSON)
    assert changed.status_code == 200 and changed.json()["amount"] == "5.00"
    place(diners["li"], kitchen.set_meal(TODAY()))
    alone = rules["alone"]
    detail = client.get(f"{API}/rules/{alone.pk}").json()
    assert (detail["used"], detail["paid_orders"], detail["paid_amount"]) == (True, 1, "5.00")
    early = client.post(
        f"{API}/rules/{alone.pk}/end", {"until": (TODAY() - timedelta(days=1)).isoformat()}, content_type=JSON
    )
    assert early.status_code == 422
    ended = client.post(f"{API}/rules/{alone.pk}/end", {"until": TODAY().isoformat()}, content_type=JSON)
    assert ended.status_code == 200 and ended.json()["valid_until"] == TODAY().isoformat()
    assert client.delete(f"{API}/rules/{alone.pk}").status_code == 422
    assert client.delete(f"{API}/rules/{rule['id']}").status_code == 204
    # A committee reads, and is refused setting.
    committee = api_client(owner)
    assert {r["name"] for r in committee.get(f"{API}/rules").json()} == {
        "80岁以上助餐补贴",
        "独居老人午餐补贴",
    }
    assert committee.post(f"{API}/rules", {**data, "funder": "y"}, content_type=JSON).status_code == 403
    assert (
        committee.post(
            f"{API}/rules/{alone.pk}/end", {"until": TODAY().isoformat()}, content_type=JSON
        ).status_code
        == 403
    )
    assert SubsidyRule.objects.count() == 2
