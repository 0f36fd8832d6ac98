"""The request pages as residents, family members and staff use them, with JavaScript off
(plain forms and a file input), scoped, with fixed query counts on the lists."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from demands import services
from demands.models import Assignee, Category, Demand, DemandStatus, ServiceProject
from tests.demands.conftest import category, log, submit
from tests.factories import login, scope_of


def _jpeg(name="灯.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_a_resident_asks_with_a_photo_and_follows_it(client, owner, people):
    login(client, people.wang_user)
    form = client.get(reverse("demands:new")).content.decode()
    assert "What kind of help" in form and "助急" in form and 'enctype="multipart/form-data"' in form
    response = client.post(
        reverse("demands:new"),
        {"category": category("物业报修").pk, "text": "楼道灯坏了", "where": "home", "photos": [_jpeg()]},
        follow=True,
    )
    page = response.content.decode()
    made = Demand.objects.get()
    assert "is with the committee" in page and made.photos.count() == 1
    assert "Every step" in page and "Submitted" in page
    photo = client.get(made.photos.get().get_absolute_url())
    assert photo.status_code == 200
    mine = client.get(reverse("demands:index")).content.decode()
    assert "楼道灯坏了" in mine and "Being handled" in mine
    # A neighbour sees neither the request nor its photo.
    login(client, people.li_user)
    assert client.get(made.resident_url()).status_code == 404
    assert client.get(made.photos.get().get_absolute_url()).status_code == 404


def test_the_form_says_what_is_missing(client, people):
    login(client, people.wang_user)
    response = client.post(
        reverse("demands:new"), {"category": category("环境卫生").pk, "text": "垃圾", "where": "public"}
    )
    assert "Say which public place." in response.content.decode()
    fake = SimpleUploadedFile("x.jpg", b"nope", content_type="image/jpeg")
    response = client.post(
        reverse("demands:new"),
        {"category": category("环境卫生").pk, "text": "垃圾", "where": "home", "photos": [fake]},
    )
    assert "is not a photo" in response.content.decode()
    assert not Demand.objects.exists()


def test_an_unverified_account_is_told_how_to_ask(client, resident):
    login(client, resident)
    page = client.get(reverse("demands:new")).content.decode()
    assert "must be verified" in page and "phone the committee" in page


def test_the_resident_rates_reopens_and_withdraws(client, owner, people):
    demand = submit(people.wang_user, people.wang)
    services.resolve(actor=owner, scope=scope_of(owner), demand=demand, resolution="已更换灯管")
    login(client, people.wang_user)
    page = client.get(demand.resident_url()).content.decode()
    assert "Rate the result" in page and "已更换灯管" in page and "Reopen" in page
    response = client.post(
        reverse("demands:rate", args=[demand.pk]), {"rating": "4", "comment": "很快"}, follow=True
    )
    assert "Thank you for rating" in response.content.decode()
    response = client.post(reverse("demands:reopen", args=[demand.pk]), {"reason": "又不亮了"}, follow=True)
    assert "Reopened" in response.content.decode()
    response = client.post(reverse("demands:withdraw", args=[demand.pk]), {"reason": ""}, follow=True)
    demand.refresh_from_db()
    assert demand.status == DemandStatus.WITHDRAWN
    response = client.post(reverse("demands:reply", args=[demand.pk]), {"text": "还在吗"}, follow=True)
    assert "This request is finished" in response.content.decode()


def test_internal_notes_stay_with_staff(client, owner, people):
    demand = submit(people.wang_user, people.wang)
    services.reply(
        actor=owner, demand=demand, text="物业经理电话13800000000", scope=scope_of(owner), internal=True
    )
    services.reply(actor=owner, demand=demand, text="明天来修", scope=scope_of(owner))
    login(client, people.wang_user)
    page = client.get(demand.resident_url()).content.decode()
    assert "明天来修" in page and "物业经理电话" not in page
    login(client, owner)
    page = client.get(demand.get_absolute_url()).content.decode()
    assert "物业经理电话" in page and "staff only" in page


def test_staff_triage_assign_and_resolve(client, owner, colleague, people):
    demand = submit(people.wang_user, people.wang)
    login(client, colleague)
    page = client.get(demand.get_absolute_url()).content.decode()
    assert "Triage and assign" in page and "社工甲" in page
    response = client.post(
        reverse("demands:assign", args=[demand.pk]),
        {"kind": "worker", "worker": owner.pk, "category": ""},
        follow=True,
    )
    assert "Assigned" in response.content.decode()
    demand.refresh_from_db()
    assert demand.assignee == owner and demand.due_at is not None
    client.post(reverse("demands:start", args=[demand.pk]))
    client.post(reverse("demands:respond", args=[demand.pk]), {"text": "已联系物业"})
    response = client.post(reverse("demands:resolve", args=[demand.pk]), {"resolution": ""}, follow=True)
    assert "Say what was done" in response.content.decode()
    client.post(reverse("demands:resolve", args=[demand.pk]), {"resolution": "已修好"})
    demand.refresh_from_db()
    assert demand.status == DemandStatus.RESOLVED
    response = client.post(
        reverse("demands:assign", args=[demand.pk]), {"kind": "property", "name": "物业"}, follow=True
    )
    assert "cannot be assigned" in response.content.decode()


def test_staff_log_a_request_after_finding_the_resident(client, owner, people):
    login(client, owner)
    found = client.get(reverse("demands:log"), {"q": "赵老伯"}).content.decode()
    assert "赵老伯" in found
    url = reverse("demands:log") + f"?resident={people.zhao.pk}"
    assert "How it reached you" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "resident": people.zhao.pk,
            "source": "phone",
            "category": category("助餐").pk,
            "text": "想订午餐",
            "where": "home",
        },
    )
    made = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.source == "phone" and made.resident == people.zhao
    # Not a resident of another committee.
    assert client.get(reverse("demands:log") + f"?resident={people.far.pk}").status_code == 404


def test_another_committee_is_not_found(client, outsider, people):
    demand = submit(people.wang_user, people.wang)
    login(client, outsider)
    assert client.get(demand.get_absolute_url()).status_code == 404
    assert client.post(reverse("demands:resolve", args=[demand.pk]), {"resolution": "x"}).status_code == 404
    page = client.get(reverse("demands:queue")).content.decode()
    assert "楼道灯坏了" not in page


def test_residents_cannot_open_staff_pages(client, people):
    login(client, people.wang_user)
    assert client.get(reverse("demands:queue")).status_code == 403
    assert client.get(reverse("demands:figures")).status_code == 403


def _many(owner, people, n):
    for i in range(n):
        made = log(owner, people.zhao if i % 2 else people.sun, "助急" if i % 3 else "助餐", f"事情{i}")
        if i % 2:
            services.assign(
                actor=owner, scope=scope_of(owner), demand=made, kind=Assignee.WORKER, worker=owner
            )
        else:
            services.assign(
                actor=owner, scope=scope_of(owner), demand=made, kind=Assignee.PROPERTY, name="物业"
            )


def _count(client, django_assert_num_queries, url, queries=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_has_a_fixed_query_count(client, owner, people, django_assert_num_queries):
    login(client, owner)
    _many(owner, people, 1)
    url = reverse("demands:queue")
    one = _count(client, django_assert_num_queries, url)
    _many(owner, people, 8)
    assert _count(client, django_assert_num_queries, url) == one
    filtered = url + "?status=&overdue=on&assignee=me&source=phone&category=" + str(category("助急").pk)
    assert client.get(filtered).status_code == 200


def test_my_requests_has_a_fixed_query_count(client, owner, people, django_assert_num_queries):
    login(client, people.daughter)
    log(owner, people.zhao)
    url = reverse("demands:index")
    one = _count(client, django_assert_num_queries, url)
    for _ in range(5):
        log(owner, people.zhao)
    assert _count(client, django_assert_num_queries, url) == one


def test_categories_settings(client, owner, people):
    login(client, owner)
    page = client.get(reverse("demands:categories")).content.decode()
    assert "助急" in page and "city-wide default" in page
    response = client.post(
        reverse("demands:categories"), {"name": "加装电梯", "service_hours": "240"}, follow=True
    )
    assert "Category “加装电梯” added" in response.content.decode()
    own = Category.objects.get(name="加装电梯")
    client.post(
        reverse("demands:category_edit", args=[category("助餐").pk]),
        {"action": "level", "service_hours": "24"},
    )
    client.post(reverse("demands:category_edit", args=[own.pk]), {"action": "retire"})
    from demands.selectors import categories_for

    assert own.committee is not None
    offered = {c.name: c.hours for c in categories_for(own.committee)}  # type: ignore[attr-defined]  # annotated
    assert offered["助餐"] == 24 and "加装电梯" not in offered


def test_projects_group_requests_and_residents_see_them(client, owner, people, django_assert_num_queries):
    first = log(owner, people.zhao, "助餐", "想订午餐")
    second = log(owner, people.sun, "助餐", "腿脚不便，要送餐")
    login(client, owner)
    response = client.post(
        reverse("demands:project_new"),
        {
            "title": "独居老人送餐服务",
            "description": "为行动不便的老人每天送午餐。",
            "owner": owner.pk,
            "demands": [first.pk],
        },
    )
    project = ServiceProject.objects.get()
    assert response.status_code == 302 and list(project.demands.all()) == [first]
    page = client.get(project.get_absolute_url()).content.decode()
    assert "腿脚不便" in page  # a candidate to add
    client.post(reverse("demands:project_group", args=[project.pk]), {"demands": [second.pk]})
    assert project.demands.count() == 2
    response = client.post(
        reverse("demands:project_move", args=[project.pk]), {"status": "done", "outcome": ""}, follow=True
    )
    assert "cannot become" in response.content.decode()
    client.post(reverse("demands:project_move", args=[project.pk]), {"status": "in_progress"})
    response = client.post(
        reverse("demands:project_move", args=[project.pk]), {"status": "done", "outcome": ""}, follow=True
    )
    assert "Say what was done" in response.content.decode()
    client.post(
        reverse("demands:project_move", args=[project.pk]),
        {"status": "done", "outcome": "每天11点志愿者送餐上门"},
    )
    project.refresh_from_db()
    assert project.status == "done" and project.started_at and project.finished_at
    login(client, people.daughter)
    page = client.get(first.resident_url()).content.decode()
    assert "独居老人送餐服务" in page and "每天11点志愿者送餐上门" in page
    login(client, owner)
    url = reverse("demands:projects")
    one = _count(client, django_assert_num_queries, url)
    ServiceProject.objects.create(committee=project.committee, title="第二个", description="x")
    assert _count(client, django_assert_num_queries, url) == one


def test_the_old_addresses_land_on_the_same_pages(client):
    """Links to /requests/ in messages already sent keep working: moved for good to /demands/."""
    moved = client.get("/requests/12/?from=sms")
    assert moved.status_code == 301 and moved["Location"] == "/demands/12/?from=sms"
    assert client.get("/requests/")["Location"] == "/demands/"
