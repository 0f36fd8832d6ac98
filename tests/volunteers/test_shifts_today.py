"""The today page's part for workers running volunteers: the shifts of the coming week still
short of people, read in one query whatever their number."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import login_verified
from tests.volunteers import shift_fixtures
from tests.volunteers.shift_fixtures import claim_as, post, tomorrow_at
from volunteers.models import Shift

english = shift_fixtures.english
immediate_tasks = shift_fixtures.immediate_tasks
world = shift_fixtures.world


def test_the_worker_sees_the_shifts_short_of_people(client, world):
    short = post(world.owner, title="理发摊", places=3, starts_at=tomorrow_at(9))
    full = post(world.owner, title="量血压", places=1, starts_at=tomorrow_at(13))
    post(world.owner, title="下个月", places=2, starts_at=tomorrow_at(9, days=20))
    claim_as(world.ming, short)
    claim_as(world.hong, full)
    login_verified(client, world.owner)
    response = client.get(reverse("today"))
    assert [s.title for s in response.context["short_shifts"]] == ["理发摊"]
    assert "1 shift this week is still short of people." in [t.text for t in response.context["first"]]
    page = response.content.decode()
    assert "2 more people needed" in page
    assert reverse("volunteers:shift_roster", args=[short.pk]) in page


def test_other_committees_shifts_are_not_shown(client, world, outsider):
    post(world.owner, starts_at=tomorrow_at(9))
    login_verified(client, outsider)
    assert client.get(reverse("today")).context["short_shifts"] == []


def test_the_part_reads_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    post(world.owner, title="一", starts_at=tomorrow_at(9))
    login_verified(client, world.owner)
    client.get(reverse("today"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("today"))
    for n in range(5):
        post(world.owner, title=f"岗位{n}", starts_at=tomorrow_at(8 + 2 * n, days=2))
    with django_assert_num_queries(len(first)):
        response = client.get(reverse("today"))
    assert len(response.context["short_shifts"]) == Shift.objects.count() == 6
