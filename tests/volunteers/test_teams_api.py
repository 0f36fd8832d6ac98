"""The team and volunteer endpoints: same rules as the pages, answered as JSON."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import login
from tests.volunteers.conftest import make_team, make_volunteer, member
from volunteers.models import Membership, MembershipStatus, Team, Volunteer

pytestmark = pytest.mark.django_db
API = "/api/v1/volunteers"


def test_a_resident_lists_the_directory_asks_and_leaves(client, team, leader, people, outsider):
    make_team(outsider, name="慧芝湖太极队")
    login(client, people.wang_user)
    listed = client.get(f"{API}/teams").json()
    assert [t["name"] for t in listed] == ["民心在线服务队"]
    assert listed[0]["members"] == 1 and {c["name"] for c in listed[0]["categories"]} == {
        "在职党员",
        "退役军人",
    }
    asked = client.post(f"{API}/teams/{team.pk}/join", {"note": "想帮忙"}, content_type="application/json")
    assert asked.status_code == 201 and asked.json()["status"] == "requested"
    again = client.post(f"{API}/teams/{team.pk}/join", {}, content_type="application/json")
    assert again.status_code == 422 and "already" in again.json()["detail"]
    assert [m["team_name"] for m in client.get(f"{API}/teams/mine").json()] == ["民心在线服务队"]
    left = client.post(f"{API}/teams/{team.pk}/leave")
    assert left.json()["status"] == "left"


def test_another_committees_team_answers_404(client, outsider, people):
    theirs = make_team(outsider, name="慧芝湖太极队")
    login(client, people.wang_user)
    assert client.get(f"{API}/teams/{theirs.pk}").status_code == 404
    assert (
        client.post(f"{API}/teams/{theirs.pk}/join", {}, content_type="application/json").status_code == 404
    )


def test_the_leader_reads_the_roster_and_decides(client, team, leader, people, tree, groups):
    asked = Membership.objects.create(team=team, volunteer=make_volunteer(tree.committee, "申请人"))
    declined = Membership.objects.create(team=team, volunteer=make_volunteer(tree.committee, "申请人乙"))
    login(client, people.li_user)
    roster = client.get(f"{API}/teams/{team.pk}/roster").json()
    assert roster["size"] == 1 and {r["volunteer_name"] for r in roster["requests"]} == {"申请人", "申请人乙"}
    done = client.post(
        f"{API}/memberships/{asked.pk}/decision",
        {"accept": True, "category": groups[1].pk},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["category"]["name"] == "退役军人"
    no_reason = client.post(
        f"{API}/memberships/{declined.pk}/decision", {"accept": False}, content_type="application/json"
    )
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["loc"] == ["body", "reason"]
    removed = client.post(
        f"{API}/memberships/{asked.pk}/remove", {"reason": "搬走了"}, content_type="application/json"
    )
    assert removed.json()["status"] == "removed"


def test_a_resident_has_no_roster_and_decides_nothing(client, team, leader, people, tree):
    asked = Membership.objects.create(team=team, volunteer=make_volunteer(tree.committee, "申请人"))
    login(client, people.wang_user)
    assert client.get(f"{API}/teams/{team.pk}/roster").status_code == 404
    refused = client.post(
        f"{API}/memberships/{asked.pk}/decision", {"accept": True}, content_type="application/json"
    )
    assert refused.status_code == 404


def test_the_size_history(client, team, people, tree):
    member(team, make_volunteer(tree.committee, "甲"), joined_on=date(2025, 11, 3))
    member(team, make_volunteer(tree.committee, "乙"), joined_on=date(2025, 12, 1))
    login(client, people.wang_user)
    points = client.get(f"{API}/teams/{team.pk}/size").json()
    assert points[0] == {"day": "2025-11-30", "members": 1}
    assert points[1] == {"day": "2025-12-31", "members": 2}


def test_staff_found_a_team_and_list_theirs(owner_client, groups, outsider):
    made = owner_client.post(
        f"{API}/teams",
        {"name": "沪剧队", "kind": "self_governance", "categories": [groups[0].pk]},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["area"]["name"] == "延长新村居委会"
    stray = owner_client.post(
        f"{API}/teams",
        {"name": "拳操队", "kind": "self_governance", "categories": [99999]},
        content_type="application/json",
    )
    assert stray.status_code == 422
    listed = owner_client.get(f"{API}/teams/manage").json()
    assert [t["name"] for t in listed["items"]] == ["沪剧队"]
    team = Team.objects.get(name="沪剧队")
    gone = owner_client.post(
        f"{API}/teams/{team.pk}/dissolve", {"reason": "合并"}, content_type="application/json"
    )
    assert gone.json()["dissolved"] is True


def test_staff_list_and_register_volunteers(owner_client, tree, people, team):
    make_volunteer(tree.committee, "陈在职", phone="13811112222", kind="party_member")
    listed = owner_client.get(f"{API}/people", {"kind": "party_member"}).json()["items"]
    assert [(v["name"], v["phone"]) for v in listed] == [("陈在职", "138****2222")]
    made = owner_client.post(f"{API}/people", {"resident": people.zhao.pk}, content_type="application/json")
    assert made.status_code == 201 and made.json()["name"] == "赵老伯"
    one = owner_client.get(f"{API}/people/{made.json()['id']}").json()
    assert one["kind"] == "resident" and one["resident"] == people.zhao.pk
    bad = owner_client.post(
        f"{API}/people", {"name": "x", "kind": "other", "phone": "12345"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["body", "phone"]


def test_a_resident_registers_and_staff_elsewhere_cannot_read_them(client, people, outsider):
    login(client, people.wang_user)
    made = client.post(f"{API}/me", {"availability": "周末"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["kind"] == "resident"
    assert client.get(f"{API}/me").json()["availability"] == "周末"
    volunteer = Volunteer.objects.get(user=people.wang_user)
    login(client, outsider)
    assert client.get(f"{API}/people/{volunteer.pk}").status_code == 404
    assert client.get(f"{API}/people").json()["items"] == []


def test_a_resident_is_refused_the_staff_endpoints(client, people):
    login(client, people.wang_user)
    assert client.get(f"{API}/people").status_code == 403
    assert (
        client.post(
            f"{API}/teams", {"name": "x", "kind": "service"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_membership_status_is_reported(client, team, leader, people):
    login(client, people.li_user)
    assert client.get(f"{API}/teams/mine").json()[0]["status"] == MembershipStatus.ACTIVE


def test_the_leader_adds_a_member_with_a_date(client, team, leader, people, tree, groups, outsider):
    elderly = make_volunteer(tree.committee, "沈阿婆")
    login(client, people.li_user)
    made = client.post(
        f"{API}/teams/{team.pk}/members",
        {"volunteer": elderly.pk, "category": groups[0].pk, "joined_on": "2019-06-01"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["joined_on"] == "2019-06-01"
    login(client, outsider)
    refused = client.post(
        f"{API}/teams/{team.pk}/members", {"volunteer": elderly.pk}, content_type="application/json"
    )
    assert refused.status_code == 404
