"""Staff's pages: a day's orders (fixed queries), one order, taking an order on the phone,
payments and the counter, standing orders."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meals import ordering, standing
from meals.models import Mode, Order, OrderedVia, PaidHow, StandingOrder
from tests.factories import household, login, scope_of
from tests.factories import resident as make_resident
from tests.meals.conftest import place, register


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_days_orders_in_fixed_queries(client, tree, owner, kitchen, diners):
    url = reverse("meals:orders", args=[kitchen.point.pk]) + f"?day={tomorrow().isoformat()}&meal=lunch"
    login(client, owner)
    place(diners["wang"], kitchen.set_meal(tomorrow()))
    small = _count(client, url)
    home = household(tree.building, "901")
    for n in range(6):
        place(register(make_resident(home, f"食客{n}"), kitchen.point), kitchen.set_meal(tomorrow(), "B"))
    page = client.get(url).content.decode()
    assert "食客5" in page and "王建国" in page
    assert _count(client, url) == small


def test_outsiders_see_no_orders(client, outsider, people, kitchen, diners):
    made = place(diners["wang"], kitchen.set_meal(tomorrow()))
    login(client, outsider)
    assert client.get(reverse("meals:orders", args=[kitchen.point.pk])).status_code == 404
    assert client.get(reverse("meals:order", args=[made.pk])).status_code == 404
    login(client, people.li_user)
    assert client.get(reverse("meals:orders", args=[kitchen.point.pk])).status_code == 403


def test_staff_take_an_order_on_the_phone(client, owner, kitchen, diners, rules):
    login(client, owner)
    url = reverse("meals:take", args=[kitchen.point.pk])
    found = client.get(url + "?q=赵").content.decode()
    assert "赵老伯" in found
    page = client.get(url + f"?diner={diners['zhao'].pk}").content.decode()
    assert "pays 12.00 元" in page  # 20 − 8 for 80+
    chosen = kitchen.set_meal(tomorrow())
    answer = client.post(
        url,
        {
            "diner": diners["zhao"].pk,
            "set_meal": chosen.pk,
            "mode": Mode.DELIVERED,
            "via": OrderedVia.PHONE,
            "confirm": "1",
        },
    )
    made = Order.objects.get()
    assert answer.status_code == 302 and answer["Location"] == made.get_absolute_url()
    assert (made.ordered_via, made.ordered_by, made.subsidy) == (OrderedVia.PHONE, owner, 8)
    twice = client.post(
        url,
        {
            "diner": diners["zhao"].pk,
            "set_meal": chosen.pk,
            "mode": Mode.DELIVERED,
            "via": OrderedVia.PHONE,
            "confirm": "1",
        },
    )
    assert twice.status_code == 200 and "already has" in twice.content.decode()


def test_payment_and_served_from_the_list(client, owner, kitchen, diners):
    made = place(diners["wang"], kitchen.set_meal(timezone.localdate()))
    login(client, owner)
    client.post(reverse("meals:order_pay", args=[made.pk]), {"paid_how": PaidHow.TRANSFER, "payment_ref": ""})
    made.refresh_from_db()
    assert not made.is_paid
    client.post(reverse("meals:order_pay", args=[made.pk]), {"paid_how": PaidHow.CASH, "next": "list"})
    client.post(reverse("meals:order_served", args=[made.pk]), {"outcome": "served"})
    made.refresh_from_db()
    assert made.is_paid and made.paid_how == PaidHow.CASH and made.served_at is not None
    page = client.get(reverse("meals:order", args=[made.pk])).content.decode()
    assert "Cash" in page


def test_standing_order_from_the_residents_page_and_stop(client, people, kitchen, diners):
    login(client, people.daughter)
    answer = client.post(
        reverse("meals:standing_new", args=[diners["zhao"].pk]),
        {"meal": "lunch", "weekdays": ["1", "3", "5"], "mode": Mode.DELIVERED, "label": ""},
    )
    made = StandingOrder.objects.get()
    assert answer["Location"] == reverse("meals:standing", args=[made.pk]) and made.weekdays == "1,3,5"
    assert "Stop this standing order" in client.get(answer["Location"]).content.decode()
    client.post(reverse("meals:standing", args=[made.pk]))
    made.refresh_from_db()
    assert made.stopped_at is not None


def test_staff_see_and_stop_a_standing_order(client, owner, people, kitchen, diners):
    made = standing.start(
        diners["wang"], point=kitchen.point, meal="lunch", weekdays=[1], by=owner, scope=scope_of(owner)
    )
    login(client, owner)
    assert client.get(reverse("meals:standing", args=[made.pk])).status_code == 200
    ordering.order(
        diners["li"], kitchen.set_meal(tomorrow()), mode=Mode.EAT_IN, by=people.li_user, scope=None
    )
