"""Pages and the API look objects up the same way (``scope.get`` for staff, one selector per
noun for residents) and refuse the same way (``scope.committee`` in the service): an object of
another committee is a 404 on both, a resident never opens another's request on either, and a
street-level role is refused with the app's own message on both."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from conventions.models import VersionState
from tests import fixtures
from tests.activities.conftest import make_activity
from tests.api.conftest import api_client
from tests.conventions.conftest import make_convention
from tests.demands.conftest import submit
from tests.factories import login

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
street_admin = fixtures.street_admin


def _page(client, user, url):
    return login(client, user).get(url)


def _detail(response) -> str:
    return json.loads(response.content)["detail"]


# --- Staff: an object of another committee is a 404 on both surfaces -----------------------------


def test_an_activity_of_another_committee_is_404_on_page_and_api(client, owner, outsider, people):
    activity = make_activity(owner)
    assert _page(client, outsider, f"/activities/{activity.pk}/door/").status_code == 404
    answer = api_client(outsider).get(f"/api/v1/activities/{activity.pk}/signups")
    assert answer.status_code == 404
    assert _detail(answer) == f"No activity {activity.pk} in your area."
    assert _page(client, owner, f"/activities/{activity.pk}/door/").status_code == 200
    assert api_client(owner).get(f"/api/v1/activities/{activity.pk}/signups").status_code == 200


def test_a_request_of_another_committee_is_404_on_page_and_api(client, owner, outsider, people):
    demand = submit(people.wang_user, people.wang)
    assert _page(client, outsider, f"/demands/queue/{demand.pk}/").status_code == 404
    answer = api_client(outsider).post(
        f"/api/v1/demands/{demand.pk}/start", {}, content_type="application/json"
    )
    assert answer.status_code == 404
    assert _detail(answer) == f"No request {demand.pk} in your area."
    assert _page(client, owner, f"/demands/queue/{demand.pk}/").status_code == 200


def test_a_convention_of_another_committee_is_404_on_page_and_api(client, owner, outsider, tree, people):
    convention = make_convention(owner, tree.committee).convention
    assert _page(client, outsider, f"/conventions/{convention.pk}/edit/").status_code == 404
    answer = api_client(outsider).get(f"/api/v1/conventions/{convention.pk}/figures")
    assert answer.status_code == 404
    assert _detail(answer) == f"No convention {convention.pk} in your area."


# --- Residents: one selector per noun, the same answer on both surfaces ---------------------------


def test_a_resident_cannot_open_anothers_request_on_page_or_api(client, people):
    demand = submit(people.wang_user, people.wang)
    assert _page(client, people.far_user, f"/demands/{demand.pk}/").status_code == 404
    answer = api_client(people.far_user).get(f"/api/v1/demands/{demand.pk}")
    assert answer.status_code == 404
    reply = api_client(people.far_user).post(
        f"/api/v1/demands/{demand.pk}/reply", {"text": "你好"}, content_type="application/json"
    )
    assert reply.status_code == 404 and _detail(reply) == f"No request {demand.pk} of yours."
    client.logout()
    assert _page(client, people.wang_user, f"/demands/{demand.pk}/").status_code == 200
    assert api_client(people.wang_user).get(f"/api/v1/demands/{demand.pk}").status_code == 200


@pytest.mark.parametrize(
    ("who", "published", "seen"),
    [
        ("wang_user", True, True),  # a resident of its committee, once published
        ("wang_user", False, False),  # not while it is a draft
        ("far_user", True, False),  # never a resident of another committee
        ("owner", False, True),  # its staff in any state
    ],
)
def test_activity_visibility_is_the_same_on_page_and_api(client, owner, people, who, published, seen):
    activity = make_activity(owner, publish=published)
    user = owner if who == "owner" else getattr(people, who)
    page = _page(client, user, f"/activities/{activity.pk}/")
    answer = api_client(user).get(f"/api/v1/activities/{activity.pk}")
    assert (page.status_code, answer.status_code) == ((200, 200) if seen else (404, 404))
    if not seen:
        assert _detail(answer) == "No such activity."


@pytest.mark.parametrize(
    ("who", "stage", "seen"),
    [
        ("wang_user", VersionState.PUBLISHED, True),
        ("wang_user", VersionState.CONSULTATION, True),
        ("wang_user", VersionState.DRAFT, False),
        ("far_user", VersionState.PUBLISHED, False),
        ("owner", VersionState.DRAFT, True),
    ],
)
def test_convention_visibility_is_the_same_on_page_and_api(client, owner, tree, people, who, stage, seen):
    version = make_convention(owner, tree.committee, state=stage)
    convention = version.convention
    user = owner if who == "owner" else getattr(people, who)
    page = _page(client, user, f"/conventions/{convention.pk}/")
    answer = api_client(user).get(f"/api/v1/conventions/{convention.pk}")
    assert (page.status_code, answer.status_code) == ((200, 200) if seen else (404, 404))
    if not seen:
        assert _detail(answer) == f"No convention {convention.pk} for you."


# --- Acting in a committee's name: the service refuses, page and API say why ----------------------


def _refused_on_both(page, answer, message: str) -> None:
    assert page.status_code == 403 and message in page.content.decode()
    assert answer.status_code == 403 and _detail(answer) == message


def test_activities_refuse_a_street_role_on_page_and_api(client, street_admin, tree):
    start = (timezone.localtime() + timedelta(days=2)).replace(second=0, microsecond=0)
    form = {
        "title": "书法班",
        "place": "活动室",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 5,
        "weeks": 1,
    }
    page = login(client, street_admin).post("/activities/new/", form)
    payload = {**form, "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
    answer = api_client(street_admin).post("/api/v1/activities", payload, content_type="application/json")
    _refused_on_both(page, answer, "Activities are organised by a committee; act in a committee role.")


def test_conventions_refuse_a_street_role_on_page_and_api(client, street_admin, tree):
    page = _page(client, street_admin, "/conventions/new/")
    payload = {
        "title": "公约",
        "area": tree.street.code,
        "per_household": True,
        "preamble": "",
        "clauses": [{"theme": "社区健康类", "text": "每月参加一次健康讲座"}],
    }
    answer = api_client(street_admin).post("/api/v1/conventions", payload, content_type="application/json")
    _refused_on_both(page, answer, "Conventions are drafted by a committee; act in a committee role.")


def test_deliberation_refuses_a_street_role_on_page_and_api(client, street_admin):
    topic = {"title": "红屋顶花园", "body": "请大家说说。"}
    page = login(client, street_admin).post("/deliberation/new/", topic)
    answer = api_client(street_admin).post(
        "/api/v1/deliberation", {**topic, "areas": []}, content_type="application/json"
    )
    _refused_on_both(page, answer, "Topics and meetings belong to a committee; act in a committee role.")


def test_demand_categories_refuse_a_street_role_on_page_and_api(client, street_admin):
    page = login(client, street_admin).post("/demands/categories/", {"name": "助浴"})
    answer = api_client(street_admin).get("/api/v1/demands/categories/settings")
    _refused_on_both(page, answer, "Categories and projects belong to a committee; act in a committee role.")


def test_visit_plans_refuse_a_street_role_on_page_and_api(client, street_admin):
    page = _page(client, street_admin, "/visits/plans/new/")
    answer = api_client(street_admin).get("/api/v1/visits/workers")
    _refused_on_both(page, answer, "Visit plans belong to a committee; act in a committee role.")


def test_the_watch_policy_refuses_a_street_role_on_page_and_api(client, street_admin):
    page = _page(client, street_admin, "/eldercare/policy/")
    answer = api_client(street_admin).get("/api/v1/eldercare/policy")
    assert page.status_code == 403
    assert answer.status_code == 403
    assert _detail(answer) == "Cutoffs and delays are set by a committee; act in a committee role."
