"""The pages of the queue: taking a number from the day's page, the ticket refreshing a part
of itself, the stall's console, and the public lobby display in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from servicedays import planning, queue
from servicedays.models import Stall, Ticket
from tests.factories import login_verified, scope_of
from tests.servicedays.conftest import make_stall, opened

pytestmark = pytest.mark.django_db


def test_a_resident_takes_a_number_and_sees_how_many_are_ahead(client, owner, haircut, people):
    opened(owner, haircut)
    queue.hand_out_paper(owner, haircut, scope=scope_of(owner))
    login_verified(client, people.wang_user)
    page = client.get(haircut.service_day.get_absolute_url())
    assert "Take a number" in page.content.decode()
    response = client.post(reverse("servicedays:take", args=[haircut.pk]), follow=True)
    body = response.content.decode()
    ticket = Ticket.objects.get(user=people.wang_user)
    assert ticket.number == 2 and "1 person ahead of you" in body
    assert 'hx-trigger="every 5s"' in body
    queue.call_next(owner, haircut, scope=scope_of(owner))
    queue.call_next(owner, haircut, scope=scope_of(owner))
    url = reverse("servicedays:ticket_status", args=[ticket.pk])
    part = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "It is your turn" in part and "<html" not in part


def test_a_refused_number_shows_why(client, haircut, people):
    login_verified(client, people.wang_user)
    response = client.post(reverse("servicedays:take", args=[haircut.pk]), follow=True)
    assert "理发 is not open yet" in response.content.decode()
    assert not Ticket.objects.exists()


def test_another_committees_resident_cannot_see_the_day(client, haircut, people):
    login_verified(client, people.far_user)
    assert client.get(haircut.service_day.get_absolute_url()).status_code == 404


def test_the_console_calls_the_next_number_and_hands_out_paper(owner_client, owner, haircut):
    opened(owner, haircut)
    paper = owner_client.post(reverse("servicedays:paper", args=[haircut.pk]), follow=True)
    assert "Paper number 1" in paper.content.decode()
    owner_client.post(reverse("servicedays:call_next", args=[haircut.pk]))
    ticket = Ticket.objects.get()
    assert ticket.called_at is not None
    owner_client.post(reverse("servicedays:ticket_served", args=[ticket.pk]))
    ticket.refresh_from_db()
    assert ticket.is_served


def test_the_console_is_refused_to_residents(client, owner, haircut, people):
    opened(owner, haircut)
    login_verified(client, people.wang_user)
    assert client.get(reverse("servicedays:console", args=[haircut.pk])).status_code == 404
    assert client.post(reverse("servicedays:call_next", args=[haircut.pk])).status_code == 404


def test_the_lobby_display_needs_no_login_and_shows_the_last_calls_per_stall(
    client, owner, published, haircut, django_assert_num_queries
):
    opened(owner, haircut)
    scope = scope_of(owner)
    for _ in range(7):
        queue.hand_out_paper(owner, haircut, scope=scope)
    for _ in range(6):
        queue.call_next(owner, haircut, scope=scope)
    queue.recall(owner, Ticket.objects.get(number=2), scope=scope)
    page = client.get(reverse("servicedays:lobby", args=[published.pk])).content.decode()
    assert 'hx-trigger="every 3s"' in page
    url = reverse("servicedays:lobby_board", args=[published.pk])
    board = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in board
    assert 'data-current="2"' in board  # the recall is the newest call
    assert "6 · 5 · 4 · 3" in board and "1 waiting" in board
    assert " 1 ·" not in board  # only the last five calls


def test_the_lobby_board_takes_the_same_queries_for_three_stalls_as_for_ten(
    client, owner, published, haircut, django_assert_num_queries
):
    url = reverse("servicedays:lobby_board", args=[published.pk])
    with django_assert_num_queries(2):
        client.get(url, headers={"HX-Request": "true"})
    for n in range(8):
        stall = make_stall(owner, published, f"摊位{n}")
        opened(owner, stall)
        queue.hand_out_paper(owner, stall, scope=scope_of(owner))
        queue.call_next(owner, stall, scope=scope_of(owner))
    with django_assert_num_queries(2):
        client.get(url, headers={"HX-Request": "true"})


def test_a_draft_day_has_no_lobby_display(client, day):
    assert client.get(reverse("servicedays:lobby", args=[day.pk])).status_code == 404


def test_staff_plan_a_day_from_the_pages(owner_client, site, soon):
    response = owner_client.post(
        reverse("servicedays:day_new"),
        {
            "title": "江秋新苑便民服务日",
            "site": site.pk,
            "starts_at": soon.strftime("%Y-%m-%d %H:%M"),
            "ends_at": soon.replace(hour=11).strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 302
    day = planning.ServiceDay.objects.get()
    owner_client.post(
        reverse("servicedays:stall_new", args=[day.pk]), {"name": "磨刀", "staff_names": "张师傅"}
    )
    assert Stall.objects.filter(service_day=day, name="磨刀").exists()
    owner_client.post(reverse("servicedays:day_publish", args=[day.pk]))
    day.refresh_from_db()
    assert day.is_published
    repeat = owner_client.post(reverse("servicedays:day_repeat", args=[day.pk]), {"months": 2})
    assert "2 days planned as drafts" in repeat.content.decode()


def test_the_plan_lists_a_month_in_fixed_queries(owner_client, owner, day, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = owner_client.get(reverse("servicedays:plan") + "?month=" + day.starts_at.strftime("%Y-%m"))
    assert "便民服务日" in response.content.decode()
