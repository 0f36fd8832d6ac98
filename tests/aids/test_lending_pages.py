"""The pages: staff's inventory, kind, lending, loans, overdue and the sheets; a resident's
"borrow" and "my aids". Lists read a fixed number of queries."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aids import holds, lending
from aids.models import Hold, Loan
from tests.aids.conftest import add, make_kind
from tests.factories import login, scope_of


def book_styles(content: bytes) -> str:
    with zipfile.ZipFile(BytesIO(content)) as book:
        return book.read("xl/styles.xml").decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_resident_sees_what_can_be_borrowed_and_asks(client, people, wheelchairs):
    kind, _items = wheelchairs
    login(client, people.wang_user)
    page = client.get(reverse("aids:borrow")).content.decode()
    assert "轮椅" in page and "2 free now" in page and "Ask for 王建国" in page
    answer = client.post(reverse("aids:ask", args=[kind.pk]), {"resident": people.wang.pk})
    assert answer.url == reverse("aids:mine")
    mine = client.get(reverse("aids:mine")).content.decode()
    assert "LY-01 is set aside for you" in mine


def test_a_daughter_asks_for_her_father_and_sees_his_aids(client, people, wheelchairs):
    kind, _items = wheelchairs
    login(client, people.daughter)
    page = client.get(reverse("aids:kind", args=[kind.pk])).content.decode()
    assert "Ask for 赵老伯" in page
    client.post(reverse("aids:ask", args=[kind.pk]), {"resident": people.zhao.pk})
    assert Hold.objects.get(resident=people.zhao).is_ready


def test_asking_for_someone_else_is_refused(client, people, wheelchairs):
    kind, _items = wheelchairs
    login(client, people.wang_user)
    answer = client.post(reverse("aids:ask", args=[kind.pk]), {"resident": people.zhao.pk}, follow=True)
    assert "You may ask only for yourself or someone you act for." in answer.content.decode()
    assert not Hold.objects.exists()


def test_another_committees_kind_is_not_found(client, people, outsider, site):
    theirs = make_kind(outsider, "邻居轮椅")
    login(client, people.wang_user)
    assert client.get(reverse("aids:kind", args=[theirs.pk])).status_code == 404


def test_staff_lend_from_the_page_and_take_back(owner_client, owner, people, wheelchairs):
    _kind, items = wheelchairs
    found = owner_client.get(reverse("aids:lend", args=[items[0].pk]), {"q": "孙阿姨"}).content.decode()
    assert "Lend to 孙阿姨" in found
    answer = owner_client.post(
        reverse("aids:lend", args=[items[0].pk]), {"resident": people.sun.pk, "deposit": "200", "notes": "新"}
    )
    loan = Loan.objects.get(item=items[0])
    assert answer.url == reverse("aids:loan", args=[loan.pk])
    again = owner_client.post(
        reverse("aids:lend", args=[items[0].pk]), {"resident": people.wang.pk, "deposit": "200"}
    )
    assert "轮椅 LY-01 is already lent, to 孙阿姨" in again.content.decode()
    owner_client.post(reverse("aids:loan_return", args=[loan.pk]), {"condition": "good", "notes": ""})
    loan.refresh_from_db()
    assert not loan.is_out and loan.deposit_returned == loan.deposit
    twice = owner_client.post(
        reverse("aids:loan_return", args=[loan.pk]), {"condition": "good"}, follow=True
    ).content.decode()
    assert "轮椅 LY-01 is not out: it came back on" in twice


def test_the_overdue_page_says_whom_to_call(owner_client, owner, people, wheelchairs):
    _kind, items = wheelchairs
    loan = lending.lend(owner, items[0], people.zhao, scope=scope_of(owner))
    Loan.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    page = owner_client.get(reverse("aids:overdue")).content.decode()
    assert "3 days overdue" in page and "Call the family: 赵女儿" in page and "13900001003" in page


def test_the_loans_as_csv_and_xlsx(owner_client, owner, people, wheelchairs):
    _kind, items = wheelchairs
    lending.lend(owner, items[0], people.wang, scope=scope_of(owner), notes="=HYPERLINK(1)")
    text = owner_client.get(reverse("aids:loans_csv")).content.decode("utf-8-sig")
    assert "轮椅,LY-01,延长新村服务站,王建国" in text and "'=HYPERLINK(1)" in text
    xlsx = owner_client.get(reverse("aids:loans_xlsx"))
    with zipfile.ZipFile(BytesIO(xlsx.content)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert all(text in strings for text in ("轮椅", "LY-01", "延长新村服务站", "王建国", "=HYPERLINK(1)"))
    assert 'quotePrefix="1"' in book_styles(xlsx.content) and "<v>200</v>" in sheet


def test_a_resident_cannot_open_the_staff_pages(client, people):
    login(client, people.wang_user)
    for name in ("aids:index", "aids:queue", "aids:loans", "aids:overdue", "aids:loans_csv"):
        assert client.get(reverse(name)).status_code == 403


def test_elderly_mode_pages_render(client, people, wheelchairs):
    people.wang_user.elderly_mode = True
    people.wang_user.save(update_fields=["elderly_mode"])
    login(client, people.wang_user)
    for name in ("aids:borrow", "aids:mine"):
        page = client.get(reverse(name)).content.decode()
        assert "elderly" in page


@pytest.mark.parametrize("more", [3])
def test_the_lists_read_a_fixed_number_of_queries(client, owner, owner_client, people, site, more):
    kinds = [make_kind(owner, f"轮椅{n}", min_age=None, tags=()) for n in range(2)]
    for kind in kinds:
        item = add(owner, kind, "A", site)
        lending.lend(owner, item, people.wang, scope=scope_of(owner))
        holds.ask(owner, kind, people.li, scope=scope_of(owner))
    Loan.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    urls = [reverse(n) for n in ("aids:index", "aids:queue", "aids:loans", "aids:overdue")]
    counts = [_count(owner_client, url) for url in urls]
    login(client, people.wang_user)
    mine = [reverse("aids:borrow"), reverse("aids:mine")]
    mine_counts = [_count(client, url) for url in mine]
    for n in range(more):
        kind = make_kind(owner, f"助行器{n}", min_age=None, tags=())
        item = add(owner, kind, "B", site)
        lending.lend(owner, item, [people.sun, people.zhao, people.wang][n], scope=scope_of(owner))
        holds.ask(owner, kind, people.li, scope=scope_of(owner))
    Loan.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    assert [_count(client, url) for url in mine] == mine_counts
    client.logout()
    login(client, owner)
    assert [_count(client, url) for url in urls] == counts
