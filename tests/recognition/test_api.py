"""The API under /api/v1/recognition/: sheets, centres and ratings; talent; awards; the public
endpoints without a login."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from recognition.models import Award, Rating
from tests.api.conftest import api_client
from tests.recognition.conftest import FULL

pytestmark = pytest.mark.django_db
API = "/api/v1/recognition"
JSON = "application/json"


def test_a_rating_through_the_api(world, street_admin, tree, client):
    api = api_client(street_admin)
    started = api.post(
        f"{API}/centres/{world.centre.pk}/ratings", {"sheet": world.sheet.pk}, content_type=JSON
    )
    assert started.status_code == 201, started.content
    rating = started.json()["id"]
    for criterion in world.sheet.criteria.all():
        answer = api.put(
            f"{API}/ratings/{rating}/scores/{criterion.pk}",
            {"points": str(FULL[criterion.title]), "note": "现场"},
            content_type=JSON,
        )
        assert answer.status_code == 200, answer.content
    over = api.put(
        f"{API}/ratings/{rating}/scores/{world.sheet.criteria.first().pk}",
        {"points": "35", "note": "x"},
        content_type=JSON,
    )
    assert over.status_code in (400, 422) and "30" in over.json()["detail"] + str(over.json().get("errors"))
    assert api.post(f"{API}/ratings/{rating}/submit").json()["stars"] == 5
    assert api.post(f"{API}/ratings/{rating}/finalise").json()["status"] == "final"
    public = client.get(f"{API}/public/{tree.street.code}/centres")
    assert public.status_code == 200 and public.json()[0]["stars"] == 5
    assert Rating.objects.get().is_final


def test_a_sheet_with_overlapping_bands_is_refused(street_admin):
    api = api_client(street_admin)
    answer = api.post(
        f"{API}/sheets",
        {
            "year": 2033,
            "title": "t",
            "criteria": [{"title": "a", "points": 100}],
            "bands": [
                {"stars": 5, "min_score": "85", "below": "100"},
                {"stars": 4, "min_score": "80", "below": "90"},
            ],
        },
        content_type=JSON,
    )
    assert answer.status_code == 422 and "overlap" in str(answer.json())


def test_talent_and_an_award_through_the_api(people, owner, tree, client):
    api = api_client(owner)
    made = api.post(
        f"{API}/talent",
        {"resident": people.sun.pk, "shown_as": "孙阿姨", "skills": "包馄饨", "tags": ["cooking"]},
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    public = client.get(f"{API}/public/{tree.committee.code}/talent", {"skill": "cooking"}).json()
    assert [t["shown_as"] for t in public["items"]] == ["孙阿姨"] and "resident" not in public["items"][0]
    award = api.post(
        f"{API}/awards",
        {
            "title": "最美江秋人",
            "year": 2026,
            "nominations_until": str(timezone.localdate() + timedelta(days=2)),
        },
        content_type=JSON,
    )
    assert award.status_code == 201, award.content
    pk = award.json()["id"]
    for person in (people.sun, people.zhao):
        assert (
            api.post(
                f"{API}/awards/{pk}/nominations", {"nominee": person.pk, "reason": "好"}, content_type=JSON
            ).status_code
            == 201
        )
    now = timezone.now()
    opened = api.post(
        f"{API}/awards/{pk}/vote",
        {"opens_at": now.isoformat(), "closes_at": (now + timedelta(days=1)).isoformat()},
        content_type=JSON,
    )
    assert opened.status_code == 200 and opened.json()["topic"]
    early = api.post(f"{API}/awards/{pk}/decision", {"winners": [1], "decision": "x"}, content_type=JSON)
    assert early.status_code in (400, 422)
    assert client.get(f"{API}/public/awards/{pk}").json()["stage"]
    assert Award.objects.get().has_vote


def test_committee_staff_are_refused_the_raters_endpoints(owner, world):
    assert api_client(owner).get(f"{API}/centres").status_code == 403
