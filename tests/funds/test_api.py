"""The fund's API: the public data without logging in, the staff's writes with the services'
refusals (422 with the field, 403 with the reason, 404 outside the scope)."""

from __future__ import annotations

import io

from django.utils import timezone

from funds.models import Entry, Expense, StatementLine
from tests.api.conftest import api_client
from tests.funds.conftest import give

BASE = "/api/v1/funds"


def test_the_public_campaign_without_logging_in(world, owner):
    give(world.fund, owner, "300", campaign=world.lift, anonymous=True)
    give(world.fund, owner, "200", campaign=world.lift, name="王建国")
    answer = api_client().get(f"{BASE}/public/campaigns/{world.lift.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["campaign"]["raised"] == "500.00"
    assert [m["who"] for m in body["movements"]] == ["王建国", "Anonymous"]
    assert "13900001001" not in answer.content.decode()
    assert api_client().get(f"{BASE}/public/{world.fund.pk}?before=99999999999999999999").status_code == 422


def test_staff_give_spend_approve_and_reverse(world, owner, colleague, street_admin):
    keeper = api_client(owner)
    today = timezone.localdate().isoformat()
    refused = keeper.post(
        f"{BASE}/funds/{world.fund.pk}/gifts",
        {"amount": "-20", "donor_name": "王建国", "received_on": today},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "more than zero" in refused.json()["detail"]
    made = keeper.post(
        f"{BASE}/funds/{world.fund.pk}/gifts",
        {"amount": "1000", "donor_name": "王建国", "received_on": today, "campaign": world.lift.pk},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    too_much = keeper.post(
        f"{BASE}/funds/{world.fund.pk}/expenses",
        {"payee": "电梯公司", "purpose": "电梯", "amount": "5000", "paid_on": today},
        content_type="application/json",
    )
    assert too_much.status_code == 422 and "1,000.00 yuan" in too_much.json()["detail"]
    expense = keeper.post(
        f"{BASE}/funds/{world.fund.pk}/expenses",
        {"payee": "电梯公司", "purpose": "电梯", "amount": "600", "paid_on": today},
        content_type="application/json",
    ).json()
    assert keeper.post(f"{BASE}/expenses/{expense['id']}/approve").status_code == 403
    assert api_client(colleague).post(f"{BASE}/expenses/{expense['id']}/approve").status_code == 200
    again = api_client(colleague).post(f"{BASE}/expenses/{expense['id']}/approve")
    assert again.status_code == 422
    done = api_client(street_admin).post(f"{BASE}/expenses/{expense['id']}/approve").json()
    assert done["entry"] is not None
    back = keeper.post(
        f"{BASE}/entries/{done['entry']}/reverse", {"reason": "开错发票"}, content_type="application/json"
    )
    assert back.status_code == 201 and back.json()["amount"] == "600.00"
    fund = keeper.get(f"{BASE}/funds/{world.fund.pk}").json()
    assert fund["balance"] == "1000.00"
    assert Expense.objects.get().is_posted


def test_outsiders_get_404(world, owner, outsider):
    give(world.fund, owner, "10")
    assert api_client(outsider).get(f"{BASE}/funds/{world.fund.pk}").status_code == 404
    entry = Entry.objects.get()
    reverse = api_client(outsider).post(
        f"{BASE}/entries/{entry.pk}/reverse", {"reason": "x"}, content_type="application/json"
    )
    assert reverse.status_code == 404


def test_a_bank_statement_is_matched_and_the_rest_shown(world, owner):
    gift = give(world.fund, owner, "300")
    give(world.fund, owner, "50", name="李秀英")
    day = gift.received_on.isoformat()
    csv = f"date,amount,reference\n{day},300.00,王建国捐款\n{day},99.00,利息\n".encode()
    upload = io.BytesIO(csv)
    upload.name = "statement.csv"
    answer = api_client(owner).post(f"{BASE}/funds/{world.fund.pk}/statements", {"file": upload})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert [line["entry"] for line in body["matched"]] == [gift.entry_id]
    assert [line["reference"] for line in body["unmatched_lines"]] == ["利息"]
    assert [e["amount"] for e in body["unmatched_entries"]] == ["50.00"]


def test_a_bad_statement_names_row_and_field_and_keeps_nothing(world, owner):
    upload = io.BytesIO(b"date,amount,reference\n2026-01-01,100,ok\nyesterday,abc,bad\n")
    upload.name = "statement.csv"
    answer = api_client(owner).post(f"{BASE}/funds/{world.fund.pk}/statements", {"file": upload})
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert "Row 3, date" in detail and "Row 3, amount" in detail
    assert StatementLine.objects.count() == 0
