"""The notice pages as staff, building leaders, residents and passers-by use them."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from accounts.scope import resolve_scope
from notices import services
from notices.models import Attachment, Notice, NoticeRead
from notices.services import Draft
from notifications.models import Notification
from tests.factories import login


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def publish(owner, targets, **extra) -> Notice:
    scope = resolve_scope(owner, {})
    values = {
        "category": "health",
        "title": "冬季养生讲座",
        "body": "周二下午两点。\n\n欢迎参加。",
        "targets": targets,
    }
    values.update(extra)
    notice = services.create_notice(owner, scope, Draft(**values))
    services.publish(scope, notice)
    return notice


def test_staff_write_attach_and_publish(client, tree, owner, people, django_capture_on_commit_callbacks):
    login(client, owner)
    page = client.get(reverse("notices:new")).content.decode()
    assert "All of 延长新村居委会" in page and "62号楼组" in page
    response = client.post(
        reverse("notices:new"),
        {
            "category": "health",
            "title": "冬季养生讲座",
            "body": "周二下午两点。",
            "targets": [tree.committee.pk],
            "files": [
                SimpleUploadedFile("海报.png", png_bytes(), "image/png"),
                SimpleUploadedFile("报名表.pdf", b"%PDF-1.4 fake", "application/pdf"),
            ],
        },
    )
    notice = Notice.objects.get()
    assert response.status_code == 302 and notice.state() == "draft"
    assert sorted((a.name, a.is_image) for a in notice.attachments.all()) == [
        ("报名表.pdf", False),
        ("海报.png", True),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notices:action", args=[notice.pk]), {"action": "publish"})
    notice.refresh_from_db()
    assert notice.state() == "published" and notice.audience_size == 4
    assert Notification.objects.filter(user=people.wang_user, url=notice.get_absolute_url()).exists()


def test_bad_files_are_refused_with_their_names(client, tree, owner):
    login(client, owner)
    response = client.post(
        reverse("notices:new"),
        {
            "category": "news",
            "title": "活动回顾",
            "body": "照片。",
            "targets": [tree.committee.pk],
            "files": [
                SimpleUploadedFile("假图片.jpg", b"not an image", "image/jpeg"),
                SimpleUploadedFile("脚本.exe", b"MZ", "application/octet-stream"),
            ],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“假图片.jpg” is not a readable image." in page and "“脚本.exe”: attach images" in page
    assert not Notice.objects.exists() and not Attachment.objects.exists()


def test_schedule_withdraw_and_pin_from_the_editor(client, tree, owner, people):
    login(client, owner)
    notice = services.create_notice(
        owner, resolve_scope(owner, {}), Draft("news", "社区动态", "内容", [tree.committee])
    )
    url = reverse("notices:action", args=[notice.pk])
    client.post(url, {"action": "schedule", "publish_at": "2020-01-01T08:00"})
    notice.refresh_from_db()
    assert notice.state() == "draft"  # a time in the past is refused
    client.post(url, {"action": "schedule", "publish_at": "2099-01-01T08:00"})
    notice.refresh_from_db()
    assert notice.state() == "scheduled"
    client.post(url, {"action": "publish"})
    client.post(url, {"action": "pin"})
    notice.refresh_from_db()
    assert notice.state() == "published" and notice.pinned
    response = client.post(url, {"action": "withdraw", "reason": ""}, follow=True)
    assert "Say why the notice is withdrawn." in response.content.decode()
    client.post(url, {"action": "withdraw", "reason": "信息有误"})
    notice.refresh_from_db()
    assert notice.state() == "withdrawn" and not notice.pinned


def test_residents_see_their_notices_on_the_home_page_and_reading_is_recorded(client, tree, owner, people):
    notice = publish(owner, [tree.committee])
    login(client, people.wang_user)
    home = client.get(reverse("home")).content.decode()
    assert "冬季养生讲座" in home and "New" in home
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "欢迎参加。" in page
    assert NoticeRead.objects.filter(notice=notice, resident=people.wang).exists()
    assert (
        "New"
        not in client.get(reverse("home")).content.decode().split("notices-heading")[1].split("</section>")[0]
    )


def test_the_home_page_runs_the_same_queries_however_many_notices(
    client, tree, owner, people, django_assert_num_queries
):
    login(client, people.wang_user)
    publish(owner, [tree.committee], title="第1条")
    client.get(reverse("home"))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for n in range(2, 30):
        publish(
            owner,
            [tree.committee],
            title=f"第{n}条",
            pinned=n % 5 == 0,
            tags=["living_alone"] if n % 7 == 0 else [],
        )
    with django_assert_num_queries(len(few)):
        page = client.get(reverse("home")).content.decode()
    assert page.count('class="notice-item') == 5


def test_public_and_private_notices(client, tree, owner, people):
    public = publish(owner, [tree.committee], title="公开通知")
    private = publish(owner, [tree.committee], title="低保家庭通知", tags=["low_income"])
    assert client.get(public.get_absolute_url()).status_code == 200  # like the lobby board
    response = client.get(private.get_absolute_url())
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    login(client, people.far_user)
    assert client.get(private.get_absolute_url()).status_code == 404
    draft = services.create_notice(
        owner, resolve_scope(owner, {}), Draft("news", "草稿", "内容", [tree.committee])
    )
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_attachments_are_served_to_readers_only(client, tree, owner, people):
    scope = resolve_scope(owner, {})
    notice = services.create_notice(
        owner,
        scope,
        Draft("announcement", "独居老人名单核对", "内容", [tree.committee], tags=["living_alone"]),
        [SimpleUploadedFile("表.png", png_bytes(), "image/png")],
    )
    services.publish(scope, notice)
    item = notice.attachments.get()
    login(client, people.li_user)
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.logout()
    login(client, people.wang_user)  # not tagged living alone
    assert client.get(item.get_absolute_url()).status_code == 404


def test_the_poster_is_an_a4_pdf_with_the_notice(client, tree, owner, people):
    notice = publish(owner, [tree.committee])
    response = client.get(reverse("notices:poster", args=[notice.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
    text = page.extract_text()
    assert "冬季养生讲座" in text and "延长新村居委会" in text


def test_staff_list_and_receipts_run_fixed_queries(client, tree, owner, people, django_assert_num_queries):
    login(client, owner)
    first = publish(owner, [tree.committee], title="第1条")
    client.get(reverse("notices:manage"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notices:manage"))
    for n in range(2, 20):
        publish(owner, [tree.committee], title=f"第{n}条")
    with django_assert_num_queries(len(few)):
        page = client.get(reverse("notices:manage")).content.decode()
    assert "第19条" in page
    services.mark_read(people.wang_user, first)
    receipts = client.get(reverse("notices:receipts", args=[first.pk])).content.decode()
    assert "62号楼组" in receipts and "64号楼组" in receipts and "1 of 4 residents" in receipts


def test_a_building_leader_follows_up_in_person(client, tree, owner, people, leader, building2):
    notice = publish(owner, [tree.committee])
    login(client, leader)
    receipts = client.get(reverse("notices:receipts", args=[notice.pk])).content.decode()
    assert "64号楼组" in receipts and "62号楼组" not in receipts
    url = reverse("notices:follow_up", args=[notice.pk, building2.parent.code])
    page = client.get(url).content.decode()
    assert "赵老伯" in page and "孙阿姨" in page and "王建国" not in page
    client.post(url, {"residents": [people.zhao.pk, people.wang.pk]})
    assert list(NoticeRead.objects.values_list("resident__name", "how")) == [("赵老伯", "in_person")]
    other = reverse("notices:follow_up", args=[notice.pk, tree.group.code])
    assert client.get(other).status_code == 404  # not their building group
    assert client.get(reverse("notices:new")).status_code == 403


def test_the_plan_page_shows_the_months_and_saves_the_cadence(client, tree, owner, people):
    publish(owner, [tree.committee])
    login(client, owner)
    url = reverse("notices:plan")
    client.post(url, {"health": "2", "announcement": "", "news": "0"})
    page = client.get(url).content.decode()
    assert "1 / 2" in page and "due" in page


def test_messages_inbox(client, tree, owner, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = publish(owner, [tree.committee])
    login(client, people.wang_user)
    assert "1 new message" in client.get(reverse("home")).content.decode()
    item = Notification.objects.get(user=people.wang_user)
    response = client.get(reverse("notifications:open", args=[item.pk]))
    assert response["Location"] == notice.get_absolute_url()
    item.refresh_from_db()
    assert item.read_at is not None
    other = Notification.objects.get(user=people.li_user)
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404


def test_residents_choose_how_messages_reach_them(
    client, tree, owner, people, django_capture_on_commit_callbacks
):
    from django.core import mail

    from notifications import backends

    login(client, people.li_user)
    page = client.get(reverse("settings:index")).content.decode()
    assert 'name="sms_notifications"' in page and 'name="email"' in page
    response = client.post(
        reverse("settings:messages"), {"email": "not-an-address", "sms_notifications": "on"}
    )
    assert response.status_code == 200 and "Enter a valid email address." in response.content.decode()
    client.post(reverse("settings:messages"), {"email": "li@example.org", "email_notifications": "on"})
    people.li_user.refresh_from_db()
    assert people.li_user.email == "li@example.org" and not people.li_user.sms_notifications
    with django_capture_on_commit_callbacks(execute=True):
        publish(owner, [tree.committee], send_sms=True)
    assert "13900001002" not in {sms.to for sms in backends.outbox}
    assert ["li@example.org"] in [m.to for m in mail.outbox]
