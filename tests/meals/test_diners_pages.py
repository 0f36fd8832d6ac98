"""The diners' pages: the list (fixed queries), registering by staff and by the resident, a
diner's page, changing, ending, and revealing the health conditions with a logged reason."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from meals import diners as service
from meals.models import Diner
from registry.models import AccessLog, RevealedField
from tests.factories import household, login, login_verified, scope_of
from tests.factories import resident as make_resident
from tests.meals.conftest import place, register


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_filters_and_reads_a_fixed_number_of_queries(client, owner, diners, kitchen, tree):
    login_verified(client, owner)
    url = reverse("meals:diners")
    page = client.get(url).content.decode()
    assert "王建国" in page and "李秀英" in page and "赵老伯" in page and "3 diners" in page
    delivered = client.get(url, {"delivery": "1"}).content.decode()
    assert "赵老伯" in delivered and "王建国" not in delivered
    special = client.get(url, {"special": "1", "point": kitchen.point.pk}).content.decode()
    assert "李秀英" in special and "赵老伯" not in special
    assert "no Fish" in special and "Soft" in special
    few = _count(client, url)
    for n in range(6):
        home = household(tree.building, f"40{n}")
        register(make_resident(home, f"新居民{n}"), kitchen.point, needs="soft", delivery=n % 2 == 0)
    assert _count(client, url) == few


def test_staff_find_a_resident_and_register_them(client, owner, people, kitchen):
    login_verified(client, owner)
    found = client.get(reverse("meals:diner_new"), {"q": "赵老伯"}).content.decode()
    assert "赵老伯" in found
    form = client.get(reverse("meals:diner_new"), {"resident": people.zhao.pk}).content.decode()
    assert "延长新村长者食堂" in form
    answer = client.post(
        reverse("meals:diner_new"),
        {
            "resident": people.zhao.pk,
            "point": kitchen.point.pk,
            "needs": ["soft", "low_sugar"],
            "health": "糖尿病",
            "delivery": "on",
            "usual_mode": "delivered",
        },
    )
    made = Diner.objects.get(resident=people.zhao)
    assert answer.url == reverse("meals:diner", args=[made.pk])
    page = client.get(answer.url).content.decode()
    assert "已登记（1项）" in page and "糖尿病" not in page and made.health_cipher not in page
    assert "Show, with a reason" in page


def test_a_bad_point_is_said_on_the_form(client, owner, people, kitchen, tree):
    from tests.meals.conftest import make_point

    elsewhere = make_point(tree.neighbour, [tree.neighbour], name="慧芝湖助餐点")
    login_verified(client, owner)
    answer = client.post(
        reverse("meals:diner_new"),
        {"resident": people.wang.pk, "point": elsewhere.pk, "usual_mode": "eat_in"},
    )
    assert answer.status_code == 200 and "Select a valid choice" in answer.content.decode()
    assert not Diner.objects.exists()


def test_a_resident_registers_himself_and_changes_his_needs(client, people, kitchen):
    login(client, people.wang_user)
    page = client.get(reverse("meals:diner_new")).content.decode()
    assert "Register 王建国 for meals" in page and "李秀英" not in page
    client.post(
        reverse("meals:diner_new"),
        {"resident": people.wang.pk, "point": kitchen.point.pk, "usual_mode": "eat_in"},
    )
    made = Diner.objects.get(resident=people.wang)
    answer = client.post(
        reverse("meals:diner_edit", args=[made.pk]),
        {"point": kitchen.point.pk, "needs": ["low_salt"], "usual_mode": "take_away", "usual_label": "B"},
    )
    assert answer.url == reverse("meals:diner", args=[made.pk])
    made.refresh_from_db()
    assert (made.needs, made.usual_mode, made.usual_label) == ("low_salt", "take_away", "B")
    # Someone else's diner page is not his.
    assert client.get(reverse("meals:diner_new"), {"resident": people.zhao.pk}).status_code == 404
    assert client.get(reverse("meals:diners")).status_code == 403


def test_a_daughter_opens_her_fathers_page(client, people, diners):
    login(client, people.daughter)
    page = client.get(reverse("meals:diner", args=[diners["zhao"].pk])).content.decode()
    assert "赵老伯" in page and "Change needs and usual choice" in page
    assert client.get(reverse("meals:diner", args=[diners["wang"].pk])).status_code == 404


def test_the_diner_page_reads_a_fixed_number_of_queries(client, owner, diners):
    login_verified(client, owner)
    counts = {_count(client, reverse("meals:diner", args=[d.pk])) for d in diners.values()}
    assert len(counts) == 1


def test_ending_with_open_orders_is_refused_then_done(client, owner, diners, kitchen):
    login_verified(client, owner)
    wang = diners["wang"]
    order = place(wang, kitchen.set_meal(timezone.localdate() + timedelta(days=1)))
    answer = client.post(reverse("meals:diner_end", args=[wang.pk]), {"reason": "搬走了"}, follow=True)
    assert "has open orders on" in answer.content.decode()
    order.status = "cancelled"
    order.save()
    answer = client.post(reverse("meals:diner_end", args=[wang.pk]), {"reason": "搬走了"}, follow=True)
    page = answer.content.decode()
    assert "No longer registered" in page and "搬走了" in page
    assert "王建国" not in client.get(reverse("meals:diners")).content.decode()


def test_reveal_asks_why_logs_and_shows_once(client, owner, diners):
    li = diners["li"]
    service.update(owner, li, scope=scope_of(owner), health="糖尿病、高血压")
    login_verified(client, owner)
    url = reverse("meals:diner_reveal", args=[li.pk])
    asked = client.get(url).content.decode()
    assert "Why do you need the full value?" in asked and "糖尿病" not in asked
    refused = client.post(url, {"reason": ""}).content.decode()
    assert "Say why you need it" in refused and "糖尿病" not in refused
    assert not AccessLog.objects.exists()
    shown = client.post(url, {"reason": "核对饮食禁忌"}).content.decode()
    assert "糖尿病、高血压" in shown
    log = AccessLog.objects.get()
    assert (log.field, log.reason, log.actor) == (RevealedField.MEAL_HEALTH, "核对饮食禁忌", owner)
    li.refresh_from_db()
    # The cipher is in no page, no audit entry.
    assert li.health_cipher not in shown
    assert not any(li.health_cipher in str(e.changes) for e in AuditEntry.objects.all())
    assert not any("糖尿病" in str(e.changes) for e in AuditEntry.objects.all())


def test_reveal_is_refused_without_the_capability_or_outside(client, leader, outsider, diners):
    login_verified(client, leader)
    assert client.get(reverse("meals:diner_reveal", args=[diners["zhao"].pk])).status_code == 403
    client.logout()
    login_verified(client, outsider)
    answer = client.post(reverse("meals:diner_reveal", args=[diners["li"].pk]), {"reason": "核对饮食禁忌"})
    assert answer.status_code == 404
    assert not AccessLog.objects.exists()
