"""The convention pages as residents, family members, building leaders and workers use them."""

from __future__ import annotations

import io
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conventions import signing
from conventions.models import ClauseComment, Convention, Signature, VersionState
from tests.conventions.conftest import make_convention
from tests.factories import login

TODAY = timezone.localdate()


def _page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_resident_reads_by_theme_and_signs(client, published, people):
    login(client, people.wang_user)
    listing = _page(client, reverse("conventions:index"))
    assert "楼组健康公约" in listing and "Open for signing" in listing
    page = _page(client, published.convention.get_absolute_url())
    for theme in ("居民凝聚类", "环境美化类", "社区议事类", "社区健康类", "邻里互助类"):
        assert f">{theme}</h2>" in page
    assert "每月参加一次健康讲座。" in page and "0 residents have signed (rate 0%)" in page
    assert "Sign: 王建国" in page and "Sign: 李秀英" not in page  # only for whom he acts
    response = client.post(
        reverse("conventions:sign", args=[published.convention_id]),
        {"resident": people.wang.pk, "version": 1},
        follow=True,
    )
    page = response.content.decode()
    assert "王建国 has signed. Thank you." in page and "1 resident has signed (rate 25%)" in page
    assert "Withdraw the signature of 王建国" in page
    again = client.post(
        reverse("conventions:sign", args=[published.convention_id]), {"resident": people.wang.pk}, follow=True
    )
    assert "王建国 already signed on" in again.content.decode()
    signature = Signature.objects.get()
    response = client.post(reverse("conventions:withdraw", args=[signature.pk]), follow=True)
    assert "The signature of 王建国 is withdrawn." in response.content.decode()
    assert not Signature.objects.filter(withdrawn_at__isnull=True).exists()


def test_a_daughter_signs_for_her_father_not_for_others(client, published, people):
    login(client, people.daughter)
    page = _page(client, published.convention.get_absolute_url())
    assert "Sign: 赵老伯" in page
    url = reverse("conventions:sign", args=[published.convention_id])
    assert client.post(url, {"resident": people.sun.pk}).status_code == 404
    client.post(url, {"resident": people.zhao.pk})
    assert Signature.objects.get().via == "proxy"


def test_a_convention_is_for_its_area(client, owner, tree, people):
    version = make_convention(owner, tree.group)
    url = version.convention.get_absolute_url()
    assert reverse("accounts:login") in client.get(url)["Location"]
    login(client, people.far_user)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, people.daughter)  # her father lives in 64号楼, not 62号楼组
    assert client.get(url).status_code == 404
    client.logout()
    login(client, people.wang_user)
    assert client.get(url).status_code == 200
    draft = make_convention(owner, tree.group, state=VersionState.DRAFT, title="草稿")
    assert client.get(draft.convention.get_absolute_url()).status_code == 404


def test_residents_comment_on_clauses_in_consultation(client, owner, tree, people):
    version = make_convention(owner, tree.committee, state=VersionState.CONSULTATION)
    clause = version.clauses.get(order=4)
    login(client, people.wang_user)
    page = _page(client, version.convention.get_absolute_url())
    assert "Your comment on clause 4" in page and "Sign:" not in page
    response = client.post(
        reverse("conventions:comment", args=[version.convention_id]),
        {"clause": clause.pk, "resident": people.wang.pk, "text": "讲座放在周末吧"},
        follow=True,
    )
    page = response.content.decode()
    assert "the committee reads every comment" in page and "王建国 wrote: 讲座放在周末吧" in page
    assert "1 comment so far" in page
    refused = client.post(
        reverse("conventions:comment", args=[version.convention_id]),
        {"clause": clause.pk, "resident": people.zhao.pk, "text": "不是我的家人"},
    )
    assert refused.status_code == 404 and ClauseComment.objects.count() == 1
    login(client, owner)
    staff = _page(client, reverse("conventions:comments", args=[version.convention_id]))
    assert "讲座放在周末吧" in staff and "62号楼 room 301" in staff


def test_staff_draft_consult_finalise_and_publish(client, owner, tree, people):
    login(client, owner)
    assert "New convention" in _page(client, reverse("conventions:manage"))
    response = client.post(
        reverse("conventions:new"),
        {
            "title": "62号楼健康公约",
            "area": tree.group.pk,
            "preamble": "为了共建健康楼组",
            "clauses": "社区健康类｜每月参加一次健康讲座\n不在楼道吸烟\n邻里互助类|关心独居老人",
        },
    )
    convention = Convention.objects.get()
    assert response["Location"] == reverse("conventions:edit", args=[convention.pk])
    version = convention.versions.get()
    assert [(c.theme, c.text) for c in version.clauses.all()] == [
        ("社区健康类", "每月参加一次健康讲座"),
        ("社区健康类", "不在楼道吸烟"),
        ("邻里互助类", "关心独居老人"),
    ]
    edit = _page(client, reverse("conventions:edit", args=[convention.pk]))
    assert "社区健康类｜不在楼道吸烟" in edit and "Open the consultation" in edit
    action = reverse("conventions:action", args=[convention.pk])
    refused = client.post(action, {"action": "publish"}, follow=True).content.decode()
    assert "finalise version 1 first" in refused
    client.post(action, {"action": "consult", "closes_on": TODAY.isoformat()})
    version.refresh_from_db()
    assert version.state == VersionState.CONSULTATION
    early = client.post(action, {"action": "finalise"}, follow=True).content.decode()
    assert "finalise the text after it has closed" in early
    version.consultation_closes = TODAY - timedelta(days=1)
    version.save()
    client.post(action, {"action": "finalise"})
    client.post(action, {"action": "publish"})
    version.refresh_from_db()
    assert version.state == VersionState.PUBLISHED
    page = _page(client, reverse("conventions:edit", args=[convention.pk]))
    assert "Amend: start a new version" in page
    client.post(action, {"action": "amend"})
    assert convention.versions.get(number=2).state == VersionState.DRAFT
    staff_view = _page(client, convention.get_absolute_url())
    assert "Version 2 is a draft" in staff_view


def test_the_draft_form_says_what_is_wrong(client, owner, tree):
    login(client, owner)
    response = client.post(
        reverse("conventions:new"), {"title": "公约", "area": tree.group.pk, "clauses": "主题｜" + "长" * 501}
    )
    assert "Clause 1 is longer than 500 characters." in response.content.decode()
    assert not Convention.objects.exists()


def test_a_building_leader_ticks_paper_signatures(client, published, people, leader):
    signing.sign(people.daughter, people.zhao, published)
    login(client, leader)
    listing = _page(client, reverse("conventions:manage"))
    assert "楼组健康公约" in listing and "1 / 2" in listing and "New convention" not in listing
    url = reverse("conventions:signatures", args=[published.convention_id])
    page = _page(client, url)
    assert "64号楼" in page and "62号楼" not in page  # only their group
    assert "孙阿姨" in page and "王建国" not in page
    response = client.post(
        url, {"action": "paper", "residents": [people.sun.pk, people.wang.pk]}, follow=True
    )
    assert "1 paper signature recorded." in response.content.decode()
    made = Signature.objects.get(resident=people.sun)
    assert (made.via, made.recorded_by) == ("paper", leader)
    assert not Signature.objects.filter(resident=people.wang).exists()  # outside their group
    page = response.content.decode()
    assert "Undo for 孙阿姨" in page and "Undo for 赵老伯" not in page
    client.post(url, {"action": "undo", "signature": made.pk})
    made.refresh_from_db()
    assert made.withdrawn_at and made.withdrawn_by == leader


def test_the_poster_is_an_a4_pdf_of_the_final_text(client, published, people, owner):
    signing.sign(people.wang_user, people.wang, published)
    login(client, owner)
    response = client.get(reverse("conventions:poster", args=[published.convention_id]))
    assert response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
    text = page.extract_text().replace("\n", "")
    assert "楼组健康公约" in text and "社区健康类" in text and "每月参加一次健康讲座" in text
    assert "1 resident has signed (rate 25%)" in text
    draft = make_convention(owner, published.convention.area, state=VersionState.CONSULTATION, title="征询中")
    refused = client.get(reverse("conventions:poster", args=[draft.convention_id]))
    assert refused.status_code == 302


def test_staff_pages_run_fixed_queries(client, owner, tree, people, django_assert_num_queries):
    login(client, owner)
    make_convention(owner, tree.committee, title="第1个")
    pages = [reverse("conventions:manage")]
    with CaptureQueriesContext(connection) as few:
        client.get(pages[0])
    first = make_convention(owner, tree.committee, title="第2个")
    for n in range(3, 9):
        version = make_convention(
            owner, tree.group if n % 2 else tree.committee, title=f"第{n}个", per_household=n % 3 == 0
        )
        signing.sign(people.wang_user, people.wang, version)
    with django_assert_num_queries(len(few)):
        page = client.get(pages[0]).content.decode()
    assert "第8个" in page
    signatures = reverse("conventions:signatures", args=[first.convention_id])
    with CaptureQueriesContext(connection) as few:
        client.get(signatures, {"building": tree.building.code})
    signing.sign(people.li_user, people.li, first)
    signing.sign(people.daughter, people.zhao, first)
    with django_assert_num_queries(len(few)):
        client.get(signatures, {"building": tree.building.code})


def test_the_resident_page_runs_fixed_queries(client, owner, tree, people, django_assert_num_queries):
    version = make_convention(owner, tree.committee)
    login(client, people.daughter)
    url = version.convention.get_absolute_url()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    signing.sign(people.daughter, people.zhao, version)
    signing.sign(people.wang_user, people.wang, version)
    with django_assert_num_queries(len(few)):
        client.get(url)


def test_outsiders_get_nothing(client, published, outsider, people):
    login(client, outsider)
    convention_id = published.convention_id
    for name in ("edit", "comments", "signatures", "poster", "detail"):
        assert client.get(reverse(f"conventions:{name}", args=[convention_id])).status_code == 404, name
    assert (
        client.post(reverse("conventions:action", args=[convention_id]), {"action": "amend"}).status_code
        == 404
    )
