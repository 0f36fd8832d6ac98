"""The conventions API: the same rules as the pages, scoped, JSON answers."""

import json
from datetime import timedelta

from django.utils import timezone

from conventions.models import ClauseComment, Convention, Signature, VersionState
from tests import fixtures
from tests.api.conftest import api_client
from tests.conventions import conftest as convention_fixtures
from tests.conventions.conftest import make_convention

immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
leader = fixtures.leader
published = convention_fixtures.published
BASE = "/api/v1/conventions"
TODAY = timezone.localdate()


def _json(response):
    return json.loads(response.content)


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_residents_read_and_sign_for_themselves_and_their_family(published, people):
    wang = api_client(people.wang_user)
    listing = _json(wang.get(BASE))
    assert [e["convention"]["title"] for e in listing] == ["楼组健康公约"]
    assert listing[0]["version"] == {"number": 1, "state": "published"} and listing[0]["signed"] == []
    convention_id = published.convention_id
    detail = _json(wang.get(f"{BASE}/{convention_id}"))
    assert [c["theme"] for c in detail["version"]["clauses"]] == [
        "居民凝聚类",
        "环境美化类",
        "社区议事类",
        "社区健康类",
        "邻里互助类",
    ]
    assert detail["people"] == [
        {
            "resident": people.wang.pk,
            "name": "王建国",
            "signature": None,
            "problem": "",
            "comment_problem": "Comments are taken only while the draft is in consultation.",
        }
    ]
    made = _post(wang, f"{BASE}/{convention_id}/signatures", {"resident": people.wang.pk})
    assert made.status_code == 201 and _json(made)["via"] == "online" and _json(made)["version"] == 1
    again = _post(wang, f"{BASE}/{convention_id}/signatures", {"resident": people.wang.pk})
    assert again.status_code == 422 and "王建国 already signed on" in _json(again)["detail"]
    daughter = api_client(people.daughter)
    assert (
        _json(_post(daughter, f"{BASE}/{convention_id}/signatures", {"resident": people.zhao.pk}))["via"]
        == "proxy"
    )
    assert (
        _post(daughter, f"{BASE}/{convention_id}/signatures", {"resident": people.sun.pk}).status_code == 404
    )
    figures = _json(wang.get(f"{BASE}/{convention_id}"))["figures"]
    assert figures == {"eligible": 4, "online": 2, "paper": 0, "signed": 2, "rate": 0.5}
    mine = Signature.objects.get(resident=people.wang)
    assert (
        _post(daughter, f"{BASE}/{convention_id}/signatures", {"resident": people.zhao.pk}).status_code == 422
    )
    assert daughter.delete(f"{BASE}/signatures/{mine.pk}").status_code == 404
    assert _json(wang.delete(f"{BASE}/signatures/{mine.pk}"))["withdrawn_at"]


def test_residents_comment_during_consultation(owner, tree, people):
    version = make_convention(owner, tree.committee, state=VersionState.CONSULTATION)
    clause = version.clauses.get(order=4)
    wang = api_client(people.wang_user)
    url = f"{BASE}/{version.convention_id}/comments"
    made = _post(wang, url, {"clause": clause.pk, "resident": people.wang.pk, "text": "放在周末"})
    assert made.status_code == 201 and _json(made)["resident_name"] == "王建国"
    assert _post(wang, url, {"clause": clause.pk, "resident": people.zhao.pk, "text": "x"}).status_code == 404
    signing = _post(wang, f"{BASE}/{version.convention_id}/signatures", {"resident": people.wang.pk})
    assert signing.status_code == 422 and "Not yet open for signing" in _json(signing)["detail"]
    staff = _json(api_client(owner).get(url))
    assert [(c["text"], c["address"]) for c in staff] == [("放在周末", "62号楼 room 301")]
    assert ClauseComment.objects.count() == 1


def test_a_convention_outside_the_residents_area_is_not_found(owner, tree, people):
    version = make_convention(owner, tree.group)
    assert api_client(people.daughter).get(f"{BASE}/{version.convention_id}").status_code == 404
    assert api_client(people.far_user).get(f"{BASE}/{version.convention_id}").status_code == 404
    draft = make_convention(owner, tree.committee, state=VersionState.DRAFT, title="草稿")
    assert api_client(people.wang_user).get(f"{BASE}/{draft.convention_id}").status_code == 404


def test_staff_draft_consult_finalise_publish_and_amend(owner, tree, people):
    staff = api_client(owner)
    created = _post(
        staff,
        BASE,
        {
            "title": "62号楼健康公约",
            "area": tree.group.code,
            "per_household": True,
            "preamble": "共建健康楼组",
            "clauses": [{"theme": "社区健康类", "text": "每月参加一次健康讲座"}],
        },
    )
    assert created.status_code == 201
    body = _json(created)
    convention_id = body["id"]
    assert body["area"]["code"] == tree.group.code and body["version"]["state"] == "draft"
    clauses = [
        {"theme": "邻里互助类", "text": "关心独居老人"},
        {"theme": "社区健康类", "text": "每月参加一次健康讲座"},
    ]
    changed = staff.put(
        f"{BASE}/{convention_id}/draft",
        {"title": "62号楼健康公约", "area": tree.group.code, "per_household": True, "clauses": clauses},
        content_type="application/json",
    )
    assert [c["text"] for c in _json(changed)["version"]["clauses"]] == [
        "关心独居老人",
        "每月参加一次健康讲座",
    ]
    phase = f"{BASE}/{convention_id}/phase"
    refused = _post(staff, phase, {"action": "publish"})
    assert refused.status_code == 422 and "finalise version 1 first" in _json(refused)["detail"]
    assert _post(staff, phase, {"action": "consult"}).status_code == 422
    opened = _post(staff, phase, {"action": "consult", "closes_on": TODAY.isoformat()})
    assert _json(opened)["version"]["state"] == "consultation"
    early = _post(staff, phase, {"action": "finalise"})
    assert early.status_code == 422 and "after it has closed" in _json(early)["detail"]
    version = Convention.objects.get(pk=convention_id).versions.get()
    version.consultation_closes = TODAY - timedelta(days=1)
    version.save()
    assert _json(_post(staff, phase, {"action": "finalise"}))["version"]["state"] == "final"
    assert _json(_post(staff, phase, {"action": "publish"}))["version"]["state"] == "published"
    amended = _json(_post(staff, phase, {"action": "amend"}))
    assert amended["version"]["number"] == 2 and amended["version"]["state"] == "draft"
    assert staff.delete(f"{BASE}/{convention_id}/draft").status_code == 204
    listing = _json(staff.get(f"{BASE}/manage"))
    assert listing["count"] == 1 and listing["items"][0]["current"] == {"number": 1, "state": "published"}


def test_a_building_leader_records_paper_signatures_and_reads_the_figures(published, people, leader):
    staff = api_client(leader)
    convention_id = published.convention_id
    listing = _json(staff.get(f"{BASE}/{convention_id}/paper-signatures"))
    assert [(r["members"], r["signature"]) for r in listing["items"]] == [
        (["赵老伯"], None),
        (["孙阿姨"], None),
    ]
    made = _post(staff, f"{BASE}/{convention_id}/paper-signatures", {"resident": people.sun.pk})
    assert made.status_code == 201 and _json(made)["via"] == "paper"
    outside = _post(staff, f"{BASE}/{convention_id}/paper-signatures", {"resident": people.wang.pk})
    assert outside.status_code == 404
    figures = _json(staff.get(f"{BASE}/{convention_id}/figures"))
    assert figures["total"] == {"eligible": 2, "online": 0, "paper": 1, "signed": 1, "rate": 0.5}
    assert [b["building"]["name"] for b in figures["buildings"]] == ["64号楼"]
    signature = Signature.objects.get()
    assert _json(staff.delete(f"{BASE}/signatures/{signature.pk}"))["withdrawn_at"]
    # Drafting is for the committee's workers, not for building leaders.
    assert _post(staff, f"{BASE}/{convention_id}/phase", {"action": "amend"}).status_code == 403


def test_another_committees_convention_is_not_found(published, outsider):
    staff = api_client(outsider)
    convention_id = published.convention_id
    for path in ("", "/figures", "/paper-signatures", "/comments"):
        assert staff.get(f"{BASE}/{convention_id}{path}").status_code == 404, path
    assert _post(staff, f"{BASE}/{convention_id}/phase", {"action": "amend"}).status_code == 404
    assert _json(staff.get(f"{BASE}/manage"))["count"] == 0
