"""The resident's page: the next meal in two taps, orders ahead with cancel, the family's
blocks, the poster's ?point=, the building leader's group page."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from meals import ordering
from meals.models import Mode, Order, OrderedVia
from tests.factories import login
from tests.meals.conftest import register


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_current_timezone())


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def test_two_taps_for_tomorrows_lunch(client, people, kitchen, diners, rules):
    with time_machine.travel(at(timezone.localdate(), 15, 0), tick=True):
        login(client, people.li_user)
        page = client.get(reverse("meals:mine")).content.decode()
        assert "Set meal A" in page and "红烧肉" in page and "you pay 15.00 元" in page  # 20 − 5 living alone
        assert "Not right for your needs" in page  # B holds fish
        chosen = kitchen.set_meal(tomorrow(), "B")
        first = client.post(
            reverse("meals:mine_order"),
            {"diner": diners["li"].pk, "set_meal": chosen.pk, "mode": Mode.EAT_IN},
        )
        assert first.status_code == 200 and "Confirm the order" in first.content.decode()
        assert not Order.objects.exists()
        second = client.post(
            reverse("meals:mine_order"),
            {"diner": diners["li"].pk, "set_meal": chosen.pk, "mode": Mode.TAKE_AWAY, "confirm": "1"},
            follow=True,
        )
    made = Order.objects.get()
    assert (made.ordered_via, made.mode, made.set_meal.label) == (OrderedVia.SELF, Mode.TAKE_AWAY, "B")
    text = second.content.decode()
    assert "Please note" in text and "清蒸鱼" in text and "Cancel this meal" in text


def test_the_daughter_sees_her_father_and_a_stranger_cannot_order_for_him(client, people, kitchen, diners):
    login(client, people.daughter)
    page = client.get(reverse("meals:mine")).content.decode()
    assert "延长新村长者食堂" in page and "Set meal A" in page
    login(client, people.far_user)
    answer = client.post(
        reverse("meals:mine_order"),
        {"diner": diners["zhao"].pk, "set_meal": kitchen.set_meal(tomorrow()).pk, "mode": "eat_in"},
    )
    assert answer.status_code == 404


def test_not_registered_says_how_to_register(client, people, kitchen):
    login(client, people.far_user)
    page = client.get(reverse("meals:mine") + f"?point={kitchen.point.pk}").content.decode()
    assert "committee to register you" in page and "021-56650000" in page


def test_cancel_before_the_cutoff(client, people, kitchen, diners):
    made = ordering.order(
        diners["wang"], kitchen.set_meal(tomorrow()), mode=Mode.EAT_IN, by=people.wang_user, scope=None
    )
    login(client, people.wang_user)
    answer = client.post(reverse("meals:order_cancel", args=[made.pk]))
    assert answer.status_code == 302
    made.refresh_from_db()
    assert made.is_cancelled


def test_the_leader_lists_his_group_and_orders_for_them(client, people, kitchen, diners, leader):
    register(people.sun, kitchen.point)
    login(client, leader)
    page = client.get(reverse("meals:group")).content.decode()
    assert "赵老伯" in page and "孙阿姨" in page and "王建国" not in page
    block = client.get(reverse("meals:mine") + f"?diner={diners['zhao'].pk}").content.decode()
    assert "Set meal A" in block
    assert client.get(reverse("meals:mine") + f"?diner={diners['wang'].pk}").status_code == 404
