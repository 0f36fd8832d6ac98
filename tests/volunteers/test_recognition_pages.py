"""Recognition pages: the figures with their chart and table, the recognition list and its
.xlsx, issuing, downloading and revoking a certificate, the volunteer's own panel, and the
public check page (no login, nothing personal, forged → 404, revoked said)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from tests.factories import login_verified, scope_of
from tests.volunteers.recognition_world import World, entry, street_admin, volunteer, world
from volunteers import certificates
from volunteers.models import Certificate

__all__ = ["street_admin", "world"]

FIGURES = reverse("volunteers:recognition")
LIST = reverse("volunteers:honour_roll")
XLSX = reverse("volunteers:honour_roll_xlsx")
MINE = reverse("volunteers:my_recognition")


@pytest.fixture(autouse=True)
def english():
    """Not English here: these tests read the figures, lists and pages in Chinese, as people do
    (this replaces the package's fixture of the same name, whatever an earlier test left)."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def served(world: World, tree):
    entry(world.zhang, date(2026, 3, 5), "15", team=world.team)
    entry(world.zhang, date(2026, 3, 6), "15", team=world.team)
    entry(world.li, date(2026, 3, 7), "2.5", team=world.team)
    entry(world.wang, date(2026, 3, 7), "4")
    return world


@pytest.fixture
def issued(served, owner) -> Certificate:
    return certificates.issue(
        served.zhang, date(2026, 1, 1), date(2026, 11, 30), by=owner, scope=scope_of(owner)
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_figures_page_has_a_chart_and_the_same_figures_in_a_table(owner_client, served):
    page = owner_client.get(FIGURES, {"year": 2026}).content.decode()
    assert 'data-chart="hours-chart"' in page and 'id="hours-chart"' in page
    assert "张阿姨" in page and "32.50" in page  # the total, in the table and the lead
    assert "王同学" not in page  # another committee's
    assert "★" in page  # 30 hours: one star
    by_team = owner_client.get(FIGURES, {"year": 2026, "by": "team"}).content.decode()
    assert "健康楼组邻里队" in by_team


def test_a_street_compares_its_committees_with_links_down(client, served, street_admin, tree):
    login_verified(client, street_admin)
    page = client.get(FIGURES, {"year": 2026}).content.decode()
    assert f"?area={tree.committee.code}&amp;year=2026" in page
    assert "慧芝湖花园居委会" in page
    down = client.get(FIGURES, {"year": 2026, "area": tree.committee.code}).content.decode()
    assert "张阿姨" in down and "王同学" not in down


def test_figure_pages_take_a_fixed_number_of_queries(owner_client, client, served, tree, street_admin):
    before = [_count(owner_client, f"{FIGURES}?year=2026"), _count(owner_client, f"{LIST}?year=2026")]
    for i in range(12):
        someone = volunteer(tree.committee if i % 2 else tree.neighbour, f"新志愿者{i}")
        entry(someone, date(2026, 1 + i, 1), "3", team=served.team if i % 2 else None)
    after = [_count(owner_client, f"{FIGURES}?year=2026"), _count(owner_client, f"{LIST}?year=2026")]
    assert before == after
    login_verified(client, street_admin)
    assert _count(client, f"{FIGURES}?year=2026") == _count(client, f"{FIGURES}?year=2025")


def test_the_pages_are_for_staff_with_the_volunteers_capability(client, served, resident):
    assert client.get(FIGURES).status_code == 302  # to the login
    login_verified(client, resident)
    for url in (
        FIGURES,
        LIST,
        XLSX,
        reverse("volunteers:certificates"),
        reverse("volunteers:certificate_issue"),
    ):
        assert client.get(url).status_code == 403, url


def test_the_recognition_list_and_its_xlsx_in_chinese(owner_client, served, tree):
    served.li.name = '=HYPERLINK("http://x","点我")'
    served.li.save()
    page = owner_client.get(LIST, {"year": 2026}).content.decode()
    assert "张阿姨" in page and "健康楼组邻里队" in page
    response = owner_client.get(XLSX, {"year": 2026})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "2026年志愿者表彰名单 · 延长新村居委会"
    assert rows[1] == ["序号", "姓名", "星级", "服务时长（小时）", "人次", "所在队伍"]
    assert rows[2] == [1.0, "张阿姨", "★", 30.0, 2.0, "健康楼组邻里队"]
    assert rows[3][1] == served.li.name  # the text, as typed
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()  # no formula anywhere
        assert 'quotePrefix="1"' in book.read("xl/styles.xml").decode()


def test_above_a_street_the_list_asks_for_a_committee_or_street(client, served, tree):
    from accounts.roles import Role
    from tests.factories import UserFactory, grant

    admin = UserFactory.create(name="区管理员", home_area=tree.district)
    grant(admin, Role.DISTRICT_ADMIN, tree.district)
    login_verified(client, admin)
    page = client.get(LIST, {"year": 2026}).content.decode()
    assert f"?area={tree.street.code}" in page
    assert client.get(XLSX, {"year": 2026}).status_code == 404
    assert client.get(XLSX, {"year": 2026, "area": tree.street.code}).status_code == 200


def test_staff_issue_then_download_the_pdf(owner_client, served):
    url = reverse("volunteers:certificate_issue")
    form = owner_client.get(url, {"volunteer": served.zhang.pk}).content.decode()
    assert f'value="{served.zhang.pk}" selected' in form
    refused = owner_client.post(
        url, {"volunteer": served.zhang.pk, "period_from": "2026-04-01", "period_to": "2026-04-30"}
    )
    assert refused.status_code == 200 and "没有已确认的服务时长" in refused.content.decode()
    response = owner_client.post(
        url, {"volunteer": served.zhang.pk, "period_from": "2026-01-01", "period_to": "2026-11-30"}
    )
    made = Certificate.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "volunteers:certificate", args=[made.pk]
    )
    assert made.hours == Decimal(30)
    pdf = owner_client.get(reverse("volunteers:certificate_pdf", args=[made.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().replace("\n", "")
    check = reverse("volunteers:certificate_check", args=[certificates.token_for(made)])
    assert f"http://testserver{check}" in text and "张阿姨" in text


def test_another_committees_staff_see_no_certificate(client, issued, outsider):
    login_verified(client, outsider)
    for name in ("certificate", "certificate_pdf"):
        assert client.get(reverse(f"volunteers:{name}", args=[issued.pk])).status_code == 404
    revoke = client.post(reverse("volunteers:certificate_revoke", args=[issued.pk]), {"reason": "x"})
    assert revoke.status_code == 404
    issued.refresh_from_db()
    assert not issued.is_revoked


def test_staff_revoke_and_the_public_page_says_so(owner_client, client, issued):
    check = reverse("volunteers:certificate_check", args=[certificates.token_for(issued)])
    assert "真实有效" in client.get(check).content.decode()
    owner_client.post(reverse("volunteers:certificate_revoke", args=[issued.pk]), {"reason": "录入有误"})
    issued.refresh_from_db()
    assert issued.is_revoked and issued.revoke_reason == "录入有误"
    page = client.get(check)
    assert page.status_code == 200
    text = page.content.decode()
    assert "已撤销" in text and "真实有效" not in text
    assert "录入有误" not in text  # the reason is the committee's, not the public's
    assert owner_client.get(reverse("volunteers:certificate_pdf", args=[issued.pk])).status_code == 404


def test_the_public_page_shows_name_and_hours_and_nothing_personal(client, issued, served):
    response = client.get(reverse("volunteers:certificate_check", args=[certificates.token_for(issued)]))
    assert response.status_code == 200  # no login
    text = response.content.decode()
    for shown in ("张阿姨", "30.00", issued.number, "延长新村居委会", "2026年1月1日"):
        assert shown in text, shown
    for hidden in (served.zhang.phone, "健康楼组邻里队", "62号楼", served.zhang_user.phone, "社工甲"):
        assert hidden not in text, hidden


def test_a_forged_token_is_not_genuine(client, issued):
    token = certificates.token_for(issued)
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), issued.number, "ZY2026X:abc"):
        response = client.get(reverse("volunteers:certificate_check", args=[forged]))
        assert response.status_code == 404
        assert "不是真实证明" in response.content.decode()
        assert "张阿姨" not in response.content.decode()


def test_a_volunteer_sees_their_stars_and_gets_their_own_certificate(client, served):
    login_verified(client, served.zhang_user)
    page = client.get(MINE).content.decode()
    assert "我的时长与星级" in page and "★" in page
    response = client.post(MINE, {"period_from": "2026-03-01", "period_to": "2026-03-31"})
    made = Certificate.objects.get()
    assert (
        response.status_code == 302 and made.volunteer == served.zhang and made.issued_by == served.zhang_user
    )
    assert client.get(reverse("volunteers:certificate_pdf", args=[made.pk])).status_code == 200
    assert made.number in client.get(MINE).content.decode()


def test_someone_who_is_no_volunteer_is_told_so(client, resident, served):
    login_verified(client, resident)
    page = client.get(MINE)
    assert page.status_code == 200 and "还没有登记为志愿者" in page.content.decode()
    client.post(MINE, {"period_from": "2026-03-01", "period_to": "2026-03-31"})
    assert not Certificate.objects.exists()


def test_a_volunteer_sees_no_one_elses_certificate(client, issued, served, tree):
    from tests.factories import UserFactory

    li_user = UserFactory.create(name="李师傅", home_area=tree.building)
    served.li.user = li_user
    served.li.save()
    login_verified(client, li_user)
    assert client.get(reverse("volunteers:certificate", args=[issued.pk])).status_code == 404
    assert client.get(reverse("volunteers:certificate_pdf", args=[issued.pk])).status_code == 404
