"""Input that cannot be taken answers a clear 4xx, never a 500: a week at the ends of the
calendar, a NUL character (PostgreSQL cannot store one), a body over the size limit, a number
past the database's integers. On the API and on the pages; run on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from demands.models import Category, Demand
from tests import fixtures
from tests.activities import conftest as activity_fixtures
from tests.api.conftest import api_client
from tests.demands.conftest import submit
from tests.factories import login, login_verified

people = fixtures.people
english = fixtures.english
pytestmark = pytest.mark.usefixtures("english")
activity = activity_fixtures.activity
EDGES = ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"]


@pytest.mark.parametrize("week", EDGES)
def test_a_week_off_the_calendar_is_refused_by_the_api(people, week):
    answer = api_client(people.wang_user).get("/api/v1/activities", {"week": week})
    assert answer.status_code == 422
    assert "between the years 1900 and 2100" in json.loads(answer.content)["detail"]


def test_the_last_week_of_the_range_is_shown(people):
    """2100-12-31 is a Friday: its week, and the four after it the page lists, run into 2101."""
    assert api_client(people.wang_user).get("/api/v1/activities", {"week": "2100-12-31"}).status_code == 200


@pytest.mark.parametrize("week", [*EDGES, "2100-12-31", "\x00"])
def test_a_week_off_the_calendar_shows_this_week_on_the_pages(client, owner, people, week):
    login(client, people.wang_user)
    assert client.get(reverse("activities:index"), {"week": week}).status_code in (200, 400)
    login(client, owner)
    assert client.get(reverse("activities:calendar"), {"week": week}).status_code in (200, 400)


@pytest.mark.parametrize("year", ["9999", "0", "-5", "10000", "99999999999999999999"])
def test_a_year_off_the_calendar_shows_this_year(client, owner, year):
    login(client, owner)
    assert client.get(reverse("activities:figures"), {"year": year}).status_code == 200


def _category() -> int:
    return Category.objects.get(name="物业报修").pk


def test_a_nul_character_is_refused_by_the_api(people):
    wang = api_client(people.wang_user)
    answer = wang.post(
        "/api/v1/demands",
        {"resident": people.wang.pk, "category": _category(), "text": "楼道灯\x00坏了"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert json.loads(answer.content)["errors"][0]["loc"] == ["body", "payload", "text"]
    assert not Demand.objects.exists()
    assert wang.get("/api/v1/registry/residents", {"q": "王\x00"}).status_code in (403, 422)


def test_a_nul_character_is_refused_on_the_pages(client, people):
    """The page views that read request.POST themselves (a reply, a reason) passed it on to
    the database; the request is now refused before any view."""
    login(client, people.wang_user)
    answer = client.post(reverse("demands:new"), {"category": _category(), "text": "楼道灯\x00坏了"})
    assert answer.status_code == 400
    assert "NUL" in answer.content.decode()
    assert client.get(reverse("activities:index"), {"week": "\x00"}).status_code == 400
    assert client.get("/activities/check-in/a%00b/").status_code == 400
    assert not Demand.objects.exists()


def test_a_body_over_the_limit_is_413(client, people, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    text = "灯" * 2000
    wang = api_client(people.wang_user)
    answer = wang.post(
        "/api/v1/demands",
        {"resident": people.wang.pk, "category": _category(), "text": text},
        content_type="application/json",
    )
    assert answer.status_code == 413
    assert "too large" in json.loads(answer.content)["detail"]
    login(client, people.wang_user)
    page = client.post(reverse("demands:new"), {"category": _category(), "text": text})
    assert page.status_code == 413
    assert "Error code: 413" in page.content.decode()


@pytest.mark.parametrize("number", [2**63, 2**64, 10**30])
def test_an_id_past_the_databases_integers_is_refused(owner, people, number):
    staff = api_client(owner)
    answer = staff.post(
        "/api/v1/demands/projects",
        {"title": "送餐服务", "description": "每天送午餐", "demands": [number]},
        content_type="application/json",
    )
    assert answer.status_code == 422


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("demands:figures", {"end": "9999-12-31"}),
        ("demands:figures", {"end": "0001-01-01"}),
        ("demands:figures", {"start": "0001-01-01", "end": "0001-01-02"}),
        ("audit:log", {"since": "0001-01-01"}),
        ("audit:log", {"until": "9999-12-31"}),
    ],
)
def test_a_period_off_the_calendar_is_refused_on_the_pages(client, colleague, page, query):
    """The forms' days are common.forms.DayField (1900-2100), as the API's are Day."""
    login_verified(client, colleague)
    assert client.get(reverse(page), query).status_code == 200


def test_a_page_given_ids_past_the_databases_integers_shows_none(client, colleague):
    """The pages' lists of ids (request.POST.getlist) are read through common.forms.ids_in."""
    login_verified(client, colleague)
    page = client.get(reverse("demands:project_new"), {"demands": [str(2**64), "12abc", "7"]})
    assert page.status_code == 200


@pytest.mark.parametrize("value", ["abc", str(2**64), ""])
def test_a_page_given_no_id_where_one_is_wanted_answers_404(client, colleague, people, value):
    """Lookups by a form's id (request.POST.get("project")) read it through common.forms.id_in."""
    demand = submit(people.wang_user, people.wang)
    login_verified(client, colleague)
    answer = client.post(reverse("demands:join_project", args=[demand.pk]), {"project": value})
    assert answer.status_code == 404
