"""The pages and the API: blind judging on both, scoring refusals with their messages, the
public pages without login and without personal data, fixed queries on the lists."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import competitions, judging
from projects.models import ProposerKind, Score
from tests.factories import login, scope_of
from tests.projects.conftest import make_project


def marks(contest, a, b, c):
    return {crit.pk: Decimal(str(v)) for crit, v in zip(contest.criteria, (a, b, c), strict=True)}


def api_marks(contest, a, b, c):
    return {
        "marks": [
            {"criterion": crit.pk, "points": v} for crit, v in zip(contest.criteria, (a, b, c), strict=True)
        ]
    }


@pytest.fixture
def judged(contest, project):
    entry = contest.entry(project)
    contest.judging()
    judging.submit(contest.judges[0].user, entry, marks(contest, 3, 3, 3))  # 30.00
    return entry


def test_a_judge_does_not_see_others_scores_on_the_page_before_scoring(client, contest, judged, english):
    second = contest.judges[1].user
    url = reverse("projects:judge_entry", args=[judged.pk])
    page = login(client, second).get(url)
    assert page.status_code == 200
    assert "30.00" not in page.content.decode() and "Other judges" not in page.content.decode()
    # Nor on the round's staff page, though the judge runs the round (a street admin).
    page = client.get(reverse("projects:round", args=[contest.round.pk]))
    assert "30.00" not in page.content.decode() and "hidden from you" in page.content.decode()
    data = {f"c{c.pk}": "8" for c in contest.criteria}
    assert client.post(url, data).status_code == 302
    page = client.get(url)
    assert "30.00" in page.content.decode() and "80.00" in page.content.decode()


def test_the_api_is_blind_too(client, contest, judged, english):
    second = contest.judges[1].user
    login(client, second)
    url = f"/api/v1/projects/judging/entries/{judged.pk}"
    assert client.get(url).json()["others"] is None
    assert client.get(f"/api/v1/projects/rounds/{contest.round.pk}/ranking").status_code == 403
    made = client.post(f"{url}/score", api_marks(contest, 8, 8, 8), content_type="application/json")
    assert made.status_code == 201, made.content
    assert client.get(url).json()["others"] == ["30.00"]


def test_the_api_refuses_a_second_score_and_one_out_of_range(client, contest, judged, english):
    login(client, contest.judges[0].user)
    url = f"/api/v1/projects/judging/entries/{judged.pk}/score"
    again = client.post(url, api_marks(contest, 9, 9, 9), content_type="application/json")
    assert again.status_code == 422 and "already scored" in again.json()["detail"]
    login(client, contest.judges[3].user)
    wrong = client.post(url, api_marks(contest, 12, 9, 9), content_type="application/json")
    assert (
        wrong.status_code == 422
        and "“需求” is scored from 0 to 10; 12 is out of range." in wrong.json()["detail"]
    )
    assert Score.objects.filter(entry=judged).count() == 1


def test_a_conflicted_judge_is_refused_with_403(client, contest, judged, english):
    login(client, contest.judges[2].user)
    url = f"/api/v1/projects/judging/entries/{judged.pk}"
    client.post(f"{url}/conflict", {"reason": "我是项目成员"}, content_type="application/json")
    refused = client.post(f"{url}/score", api_marks(contest, 5, 5, 5), content_type="application/json")
    assert refused.status_code == 403 and "declared a conflict" in refused.json()["detail"]


def test_weights_not_adding_to_100_through_the_api(client, contest, street_admin, english):
    login(client, street_admin)
    body = {"criteria": [{"name": "需求", "weight": 50}, {"name": "参与", "weight": 30}]}
    refused = client.put(
        f"/api/v1/projects/rounds/{contest.round.pk}/rubric",
        json.dumps(body),
        content_type="application/json",
    )
    assert refused.status_code == 422 and "add up to 80" in refused.json()["detail"]


def test_a_non_judge_gets_404_on_the_judging_pages(client, judged, worker):
    login(client, worker)
    assert client.get(reverse("projects:judge_entry", args=[judged.pk])).status_code == 404


def test_the_public_pages_need_no_login_and_show_no_one(client, contest, tree, people, street_admin, english):
    resident_project = make_project(tree.committee, title="居民提议的花园")
    resident_project.proposer_kind = ProposerKind.RESIDENT
    resident_project.resident = people.wang
    resident_project.save()
    entry = contest.entry(resident_project)
    contest.judging()
    judging.submit(contest.judges[0].user, entry, marks(contest, 7, 7, 7))
    competitions.publish_notice(contest.round, 5, scope=scope_of(street_admin))
    page = client.get(reverse("projects:public_project", args=[resident_project.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "居民提议的花园" in body and "王建国" not in body and "5000.50" in body
    notice = client.get(reverse("projects:notice", args=[contest.round.pk])).content.decode()
    assert "70.00" in notice and "highest and the lowest" in notice
    assert "王建国" not in notice and contest.judges[0].user.name not in notice


def test_objecting_on_the_public_page_needs_a_login(client, contest, judged, street_admin, people, english):
    competitions.publish_notice(contest.round, 5, scope=scope_of(street_admin))
    url = reverse("projects:notice", args=[contest.round.pk])
    assert client.post(url, {"entry": judged.pk, "reason": "x"}).status_code == 302
    login(client, people.wang_user)
    assert client.post(url, {"entry": judged.pk, "reason": "预算不实"}).status_code == 302
    assert judged.objections.get().reason == "预算不实"


def test_a_round_in_its_call_is_not_public(client, contest):
    assert client.get(reverse("projects:notice", args=[contest.round.pk])).status_code == 404


def test_entering_after_the_call_through_the_api(client, contest, project, worker, english):
    contest.round.call_closes = timezone.localdate() - timedelta(days=1)
    contest.round.save()
    login(client, worker)
    refused = client.post(
        f"/api/v1/projects/projects/{project.pk}/enter",
        {"round": contest.round.pk},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "The call closed on" in refused.json()["detail"]


def test_the_project_list_takes_a_fixed_number_of_queries(
    client, worker, tree, django_assert_max_num_queries
):
    login(client, worker)
    client.get(reverse("projects:index"))
    for n in range(5):
        make_project(tree.committee, title=f"项目{n}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("projects:index")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/projects/projects").status_code == 200


def test_staff_pages_open(client, worker, street_admin, project, contest):
    login(client, worker)
    for url in (
        reverse("projects:project", args=[project.pk]),
        reverse("projects:figures"),
        reverse("projects:project_new"),
    ):
        assert client.get(url).status_code == 200, url
    login(client, street_admin)
    for url in (
        reverse("projects:round", args=[contest.round.pk]),
        reverse("projects:rounds"),
        reverse("projects:rubric", args=[contest.round.pk]),
    ):
        assert client.get(url).status_code == 200, url
