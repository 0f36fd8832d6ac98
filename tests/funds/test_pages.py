"""The public pages (no login) and the staff's pages."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from funds.models import Entry, Expense, Gift
from tests.factories import login
from tests.funds.conftest import approve_twice, give, spend


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def test_the_public_campaign_page_shows_everything_but_private_data(
    client, world, owner, colleague, street_admin
):
    give(world.fund, owner, "500", campaign=world.lift, name="王建国")
    give(world.fund, owner, "200", campaign=world.lift, name="李秀英", anonymous=True)
    approve_twice(spend(world.fund, owner, "300", campaign=world.lift), colleague, street_admin)
    page = client.get(reverse("funds:public_campaign", args=[world.lift.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "王建国" in text and "李秀英" not in text and "Anonymous" in text
    assert "13900001001" not in text
    assert "上海三菱电梯" in text and "700.00" in text and "300.00" in text


def test_anonymous_reads_as_niming_in_chinese(client, world, owner, settings):
    give(world.fund, owner, "200", campaign=world.lift, anonymous=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    with translation.override("zh-hans"):
        text = client.get(reverse("funds:public_campaign", args=[world.lift.pk])).content.decode()
    assert "匿名" in text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def test_the_public_pages_take_a_fixed_number_of_queries(client, world, owner):
    give(world.fund, owner, "1", campaign=world.lift)
    urls = [
        reverse("funds:public_campaign", args=[world.lift.pk]),
        reverse("funds:public_fund", args=[world.fund.pk]),
    ]
    few = [_queries(client, url) for url in urls]
    for n in range(80):
        give(world.fund, owner, "1", campaign=world.lift, name=f"捐赠者{n}")
    assert [_queries(client, url) for url in urls] == few
    assert few[0] <= 4


def test_every_movement_is_reached_page_by_page(client, world, owner):
    for n in range(120):
        give(world.fund, owner, "1", campaign=world.lift, name=f"捐赠者{n}")
    seen: list[str] = []
    url = reverse("funds:public_campaign", args=[world.lift.pk])
    before = ""
    for _page in range(5):
        response = client.get(url + (f"?before={before}" if before else ""))
        rows = response.context["rows"]
        seen += [row["who"] for row in rows]
        nxt = response.context["page"].next_before
        if nxt is None:
            break
        before = str(nxt)
    assert len(seen) == 120 and len(set(seen)) == 120


def test_the_movements_download_as_xlsx(client, world, owner):
    give(world.fund, owner, "1", campaign=world.lift)
    response = client.get(reverse("funds:public_campaign_xlsx", args=[world.lift.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_staff_record_a_gift_and_an_expense_with_its_invoice(client, world, owner, colleague, street_admin):
    login(client, owner)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("funds:gift_new", args=[world.fund.pk]),
        {"kind": "donation", "amount": "-5", "donor_name": "王建国", "received_on": today},
    )
    assert response.status_code == 200 and "more than zero" in response.content.decode()
    assert Gift.objects.count() == 0
    response = client.post(
        reverse("funds:gift_new", args=[world.fund.pk]),
        {
            "kind": "donation",
            "amount": "500",
            "donor_name": "王建国",
            "received_on": today,
            "campaign": world.lift.pk,
        },
    )
    assert response.status_code == 302
    gift = Gift.objects.get()
    assert client.get(reverse("funds:receipt", args=[gift.pk])).content.startswith(b"%PDF")
    response = client.post(
        reverse("funds:expense_new", args=[world.fund.pk]),
        {
            "payee": "电梯公司",
            "purpose": "定金",
            "amount": "100",
            "paid_on": today,
            "invoice": SimpleUploadedFile("发票.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    expense = Expense.objects.get()
    assert expense.invoice and client.get(reverse("funds:invoice", args=[expense.pk])).status_code == 200
    # The social worker may not approve; the lead and the street admin do.
    assert client.post(reverse("funds:expense_approve", args=[expense.pk])).status_code == 403
    for approver in (colleague, street_admin):
        login(client, approver)
        assert client.post(reverse("funds:expense_approve", args=[expense.pk])).status_code == 302
    expense.refresh_from_db()
    assert expense.is_posted
    login(client, owner)
    response = client.post(reverse("funds:entry_reverse", args=[expense.entry_id]), {"reason": "发票开错"})
    assert response.status_code == 302
    world.fund.refresh_from_db()
    assert world.fund.balance == Decimal("500")


def test_an_invoice_that_is_not_an_image_is_refused(client, world, owner):
    give(world.fund, owner, "500")
    login(client, owner)
    response = client.post(
        reverse("funds:expense_new", args=[world.fund.pk]),
        {
            "payee": "电梯公司",
            "purpose": "定金",
            "amount": "100",
            "paid_on": timezone.localdate().isoformat(),
            "invoice": SimpleUploadedFile("发票.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 200 and "is not a photo" in response.content.decode()
    assert Expense.objects.count() == 0


def test_staff_pages_open_and_outsiders_get_404(client, world, owner, outsider):
    give(world.fund, owner, "5", campaign=world.lift)
    login(client, owner)
    for url in (
        reverse("funds:index"),
        reverse("funds:fund", args=[world.fund.pk]),
        reverse("funds:campaign", args=[world.lift.pk]),
        reverse("funds:gift_new", args=[world.fund.pk]),
        reverse("funds:expense_new", args=[world.fund.pk]),
        reverse("funds:reconcile", args=[world.fund.pk]),
        reverse("funds:entry_reverse", args=[Entry.objects.get().pk]),
    ):
        assert client.get(url).status_code == 200, url
    login(client, outsider)
    assert client.get(reverse("funds:fund", args=[world.fund.pk])).status_code == 404


@pytest.mark.parametrize("name", ["funds:index", "funds:fund_new"])
def test_anonymous_is_sent_to_log_in(client, name):
    assert client.get(reverse(name)).status_code == 302


def test_the_staff_list_takes_a_fixed_number_of_queries_with_the_figures(client, tree, world, owner):
    from funds.models import Fund

    give(world.fund, owner, "10", campaign=world.lift)
    login(client, owner)
    url = reverse("funds:index")
    few = _queries(client, url)
    for n in range(3):
        Fund.objects.create(area=tree.committee, name=f"基金{n}")
    assert _queries(client, url) == few
    figures = client.get(url).context["figures"]
    assert [(f.area, f.funds, f.raised, f.donors) for f in figures] == [
        (tree.committee.name, 4, Decimal("10"), 1)
    ]
