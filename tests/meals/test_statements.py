"""Statements (issue 20, item 8): a diner's month and a funder's month, as pages, .xlsx and PDF,
to staff over their scope, to the diner and to family acting for them."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meals import statements as st
from meals.models import MealKind, Mode, Order, OrderStatus, OrderSubsidy, PaidHow
from tests.factories import login, scope_of
from tests.meals.conftest import monday, place


def cancel(order: Order) -> None:
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED, cancelled_at=timezone.now())
    OrderSubsidy.objects.filter(order=order).update(void=True)


def pay(order: Order, how=PaidHow.CASH, ref="") -> None:
    Order.objects.filter(pk=order.pk).update(paid_how=how, payment_ref=ref, paid_at=timezone.now())


@pytest.fixture
def month_orders(kitchen, diners, rules):
    """On this week's Monday: 王建国 lunch A (20, paid cash) and a cancelled breakfast;
    李秀英 lunch B (18 − 5 living alone); 赵老伯 lunch A delivered (20 − 8 aged, after a
    cancelled B) and breakfast (5 − 5)."""
    day = monday(timezone.localdate())
    wang_lunch = place(diners["wang"], kitchen.set_meal(day, "A"))
    pay(wang_lunch)
    cancel(place(diners["wang"], kitchen.set_meal(day, "早", MealKind.BREAKFAST)))
    place(diners["li"], kitchen.set_meal(day, "B"))
    cancel(place(diners["zhao"], kitchen.set_meal(day, "B"), mode=Mode.DELIVERED))
    place(diners["zhao"], kitchen.set_meal(day, "A"), mode=Mode.DELIVERED)
    place(diners["zhao"], kitchen.set_meal(day, "早", MealKind.BREAKFAST))
    return day


def test_parse_month_takes_yyyy_mm_and_names_the_field():
    assert st.parse_month("2026-12").isoformat() == "2026-12-01"
    assert st.parse_month("") == timezone.localdate().replace(day=1)
    for bad in ("2026-13", "26-12", "2026/12", "x", "1800-01"):
        with pytest.raises(st.ValidationError) as caught:
            st.parse_month(bad)
        assert "month" in caught.value.message_dict


def test_a_diner_statement_lists_live_orders_with_their_money(month_orders, diners, english):
    statement = st.diner_statement(diners["zhao"], month_orders)
    assert [
        (line.order.meal, line.order.price, line.order.subsidy, line.order.pays) for line in statement.lines
    ] == [
        (MealKind.BREAKFAST, Decimal("5.00"), Decimal("5.00"), Decimal("0.00")),
        (MealKind.LUNCH, Decimal("20.00"), Decimal("8.00"), Decimal("12.00")),
    ]
    assert statement.cancelled == 1
    assert statement.by_funder == [("区民政局", Decimal("13.00"))]
    assert (statement.price, statement.subsidy, statement.pays) == (
        Decimal("25"),
        Decimal("13"),
        Decimal("12"),
    )
    assert statement.unpaid == Decimal("12.00") and statement.unpaid_count == 1
    assert st.paid_text(statement.lines[0].order) == "Nothing to pay"
    assert st.paid_text(statement.lines[1].order) == "Unpaid"

    wang = st.diner_statement(diners["wang"], month_orders)
    assert wang.count == 1 and wang.cancelled == 1 and wang.unpaid == Decimal("0.00")
    assert st.paid_text(wang.lines[0].order).startswith("Cash · ")


def test_a_funder_statement_owes_order_by_order_by_rule_and_point(month_orders, owner, rules, kitchen):
    scope = scope_of(owner)
    statement = st.funder_statement(scope, "区民政局", month_orders, per_day=True)
    assert (statement.total.count, statement.total.amount, statement.void) == (2, Decimal("13.00"), 1)
    assert [(r.name, t.count, t.amount) for r, t in statement.by_rule] == [
        ("80岁以上助餐补贴", 2, Decimal("13.00"))
    ]
    assert [(p.name, t.count) for p, t in statement.by_point] == [("延长新村长者食堂", 2)]
    assert statement.by_point_day == {kitchen.point.pk: [(month_orders, st.Total(2, Decimal("13.00")))]}
    rows = list(st.funder_rows(scope, "区民政局", month_orders))
    assert [(r.diner, r.rule, r.amount) for r in rows] == [
        ("赵老伯", "80岁以上助餐补贴", Decimal("8.00")),
        ("赵老伯", "80岁以上助餐补贴", Decimal("5.00")),
    ]
    assert all(re.fullmatch(r"…\w{4}", r.id_tail) for r in rows)
    street = st.funder_statement(scope, "街道", month_orders)
    assert (street.total.count, street.total.amount) == (1, Decimal("5.00"))
    assert st.funders_of(scope, month_orders) == [
        ("区民政局", st.Total(2, Decimal("13.00"))),
        ("街道", st.Total(1, Decimal("5.00"))),
    ]


def test_a_funder_statement_covers_the_viewers_scope(month_orders, outsider, street_admin):
    assert st.funder_statement(scope_of(outsider), "区民政局", month_orders).is_empty
    assert st.funders_of(scope_of(outsider), month_orders) == []
    assert st.funder_statement(scope_of(street_admin), "区民政局", month_orders).total.count == 2


def test_names_are_masked_without_view_people():
    assert st.masked_name("王建国") == "王**"
    assert st.id_tail("310***********1234") == "…1234" and st.id_tail("") == ""


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, response.content[:400]
    return len(queries)


def test_the_statements_page_lists_funders_and_diners_in_fixed_queries(
    client, owner, month_orders, diners, kitchen, english
):
    login(client, owner)
    url = reverse("meals:statements") + f"?month={st.month_text(month_orders)}"
    page = client.get(url).content.decode()
    assert "区民政局" in page and "街道" in page and "赵老伯" in page and "李秀英" in page
    assert f"?funder=%E5%8C%BA%E6%B0%91%E6%94%BF%E5%B1%80&amp;month={st.month_text(month_orders)}" in page
    before = _count(client, url)
    place(diners["li"], kitchen.set_meal(month_orders, "早", MealKind.BREAKFAST))
    assert _count(client, url) == before


def test_who_sees_a_diner_statement(
    client, people, diners, month_orders, owner, street_admin, outsider, leader
):
    zhao = diners["zhao"]
    url = reverse("meals:diner_statement", args=[zhao.pk]) + f"?month={st.month_text(month_orders)}"
    for user, status in (
        (owner, 200),
        (street_admin, 200),
        (people.daughter, 200),  # 家属代办
        (outsider, 404),
        (leader, 404),  # orders for the building, sees no statements
        (people.wang_user, 404),
    ):
        login(client, user)
        assert client.get(url).status_code == status, user
    login(client, people.wang_user)
    own = reverse("meals:diner_statement", args=[diners["wang"].pk])
    assert client.get(own + f"?month={st.month_text(month_orders)}").status_code == 200
    assert client.get(own + "?month=2026-13").status_code == 400


def test_the_diner_statement_page_and_files(client, owner, diners, month_orders, english):
    login(client, owner)
    zhao = diners["zhao"]
    month = st.month_text(month_orders)
    page = client.get(reverse("meals:diner_statement", args=[zhao.pk]) + f"?month={month}").content.decode()
    assert "Meal statement of 赵老伯" in page and "2 meals; pays 12.00 元, of which 12.00 元 unpaid." in page
    assert "1 cancelled order is not counted." in page and "Subsidy from 区民政局: 13.00 元" in page

    xlsx = client.get(reverse("meals:diner_statement_xlsx", args=[zhao.pk]) + f"?month={month}")
    assert xlsx.status_code == 200 and "filename*=UTF-8''" in xlsx["Content-Disposition"]
    assert "%E8%B5%B5%E8%80%81%E4%BC%AF" in xlsx["Content-Disposition"]  # 赵老伯
    content = b"".join(xlsx.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        strings = (
            book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else ""
        )
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "赵老伯" in strings + sheet and "区民政局 5.00" in strings + sheet

    pdf = client.get(reverse("meals:diner_statement_pdf", args=[zhao.pk]) + f"?month={month}")
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "赵老伯" in text and "12.00" in text


def test_the_funder_statement_page_xlsx_and_pdf(client, owner, people, month_orders, monkeypatch, english):
    login(client, owner)
    month = st.month_text(month_orders)
    query = f"?funder=区民政局&month={month}"
    page = client.get(reverse("meals:funder_statement") + query).content.decode()
    assert (
        "2 meals subsidised, 13.00 元 owed." in page
        and "1 void line (a cancelled order) is not counted." in page
    )
    assert client.get(reverse("meals:funder_statement") + f"?month={month}").status_code == 302
    assert client.get(reverse("meals:funder_statement") + "?funder=x&month=2026-1").status_code == 400

    xlsx = client.get(reverse("meals:funder_statement_xlsx") + query)
    content = b"".join(xlsx.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        orders = book.read("xl/worksheets/sheet1.xml").decode()
        totals = book.read("xl/worksheets/sheet2.xml").decode()
    assert orders.count("<row ") == 3  # the heading and two lines
    assert "80岁以上助餐补贴" in totals and "<v>13</v>" in totals

    monkeypatch.setattr(st, "PDF_LINE_LIMIT", 1)
    monkeypatch.setattr(st.funder_pdf, "__defaults__", (1,))
    pdf = client.get(reverse("meals:funder_statement_pdf") + query)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
    assert "Thefirst1of2linesareprintedhere;theExcelfilehaseveryline." in text
    assert "延长新村长者食堂" in text and "13.00" in text


def test_a_risky_name_is_text_in_the_xlsx(client, owner, people, diners, month_orders):
    people.zhao.name = "=HYPERLINK(1)"
    people.zhao.save()
    login(client, owner)
    xlsx = client.get(
        reverse("meals:funder_statement_xlsx") + f"?funder=区民政局&month={st.month_text(month_orders)}"
    )
    with zipfile.ZipFile(io.BytesIO(b"".join(xlsx.streaming_content))) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "=HYPERLINK(1)" in sheet


def test_funder_pages_are_for_staff_who_run_meals(client, people, leader, month_orders):
    for user in (people.wang_user, leader, people.daughter):
        login(client, user)
        for name in (
            "meals:statements",
            "meals:funder_statement",
            "meals:figures",
            "meals:funder_statement_xlsx",
        ):
            assert client.get(reverse(name) + "?funder=区民政局").status_code == 403, (user, name)


def test_a_funder_statement_of_one_point_and_sheets_of_a_million(
    client, owner, outsider, kitchen, month_orders, monkeypatch
):
    login(client, owner)
    month = st.month_text(month_orders)
    url = reverse("meals:funder_statement") + f"?funder=区民政局&month={month}&point={kitchen.point.pk}"
    page = client.get(url).content.decode()
    assert "延长新村长者食堂" in page and f"&amp;point={kitchen.point.pk}" in page
    assert client.get(url.replace(f"point={kitchen.point.pk}", "point=x")).status_code == 400
    assert client.get(url.replace(f"point={kitchen.point.pk}", "point=999999")).status_code == 404
    login(client, outsider)
    assert client.get(url).status_code == 404  # a point neither run nor serving in their scope

    monkeypatch.setattr(st, "SHEET_ROWS", 2)  # one line a sheet, its heading aside
    login(client, owner)
    xlsx = client.get(reverse("meals:funder_statement_xlsx") + f"?funder=区民政局&month={month}")
    with zipfile.ZipFile(io.BytesIO(b"".join(xlsx.streaming_content))) as book:
        sheets = sorted(n for n in book.namelist() if n.startswith("xl/worksheets/sheet"))
        assert len(sheets) == 3  # two sheets of one line each, and the totals
        assert book.read("xl/worksheets/sheet2.xml").decode().count("<row ") == 2
