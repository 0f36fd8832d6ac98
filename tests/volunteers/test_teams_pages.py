"""The team and volunteer pages, as a resident, a team leader, staff and the neighbour see them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from activities.models import Activity
from tests.factories import UserFactory, grant, login
from tests.volunteers.conftest import last_code, make_team, make_volunteer, member
from volunteers.models import Membership, MembershipStatus, Team, TeamCategory, Volunteer

pytestmark = pytest.mark.django_db


def _team_url(team, name="team"):
    return reverse(f"volunteers:{name}", args=[team.pk])


# --- Residents -----------------------------------------------------------------------------------


def test_a_resident_finds_the_team_and_asks_to_join(client, team, leader, people):
    login(client, people.wang_user)
    hub = client.get(reverse("volunteers:index")).content.decode()
    assert "民心在线服务队" in hub and "Become a volunteer" in hub
    page = client.get(_team_url(team)).content.decode()
    assert "每月15日上午 居委会门口" in page and "Ask to join" in page
    response = client.post(_team_url(team, "team_join"), {"note": "我会理发"}, follow=True)
    assert "the team&#x27;s leaders will answer" in response.content.decode()
    asked = Membership.objects.get(volunteer__user=people.wang_user)
    assert (asked.status, asked.note) == (MembershipStatus.REQUESTED, "我会理发")
    assert "Take my request back" in client.get(_team_url(team)).content.decode()


def test_my_teams_and_leaving(client, team, leader, people):
    login(client, people.li_user)
    hub = client.get(reverse("volunteers:index")).content.decode()
    assert "Roster of 民心在线服务队" in hub
    client.post(_team_url(team, "team_leave"))
    row = Membership.objects.get(volunteer=leader)
    assert row.status == MembershipStatus.LEFT and row.ended_on is not None


def test_the_directory_shows_the_committee_and_street_teams_only(
    client, team, street_admin, outsider, people
):
    make_team(street_admin, name="市民巡访团")
    make_team(outsider, name="慧芝湖太极队")
    login(client, people.wang_user)
    page = client.get(reverse("volunteers:directory")).content.decode()
    assert "民心在线服务队" in page and "市民巡访团" in page and "慧芝湖太极队" not in page


def test_the_directory_takes_a_fixed_number_of_queries(
    client, owner, people, tree, django_assert_max_num_queries
):
    for n in range(3):
        made = make_team(owner, name=f"队{n}")
        for k in range(4):
            member(made, make_volunteer(tree.committee, f"队员{n}{k}"))
    login(client, people.wang_user)
    url = reverse("volunteers:directory")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(3, 8):
        made = make_team(owner, name=f"队{n}")
        member(made, make_volunteer(tree.committee, f"队员{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_team_of_another_committee_is_not_found(client, outsider, people):
    theirs = make_team(outsider, name="慧芝湖太极队")
    login(client, people.wang_user)
    assert client.get(_team_url(theirs)).status_code == 404
    assert client.post(_team_url(theirs, "team_join")).status_code == 404


def test_the_team_page_draws_its_size_and_lists_it_for_no_script(client, team, people, tree):
    for n, joined in enumerate([date(2024, 1, 10), date(2024, 2, 5), date(2024, 2, 20)]):
        member(team, make_volunteer(tree.committee, f"队员{n}"), joined_on=joined)
    login(client, people.wang_user)
    page = client.get(_team_url(team)).content.decode()
    assert 'data-chart="team-size-chart"' in page and "echarts.min.js" in page
    assert re.search(r"<th scope=\"row\">2024-01</th><td>1</td>", page)
    assert re.search(r"<th scope=\"row\">2024-02</th><td>3</td>", page)


# --- The roster ---------------------------------------------------------------------------------


def test_the_leader_accepts_into_a_group_and_declines_with_a_reason(
    client, team, leader, people, tree, groups
):
    asked = Membership.objects.create(
        team=team, volunteer=make_volunteer(tree.committee, "申请人甲", user=people.wang_user)
    )
    other = Membership.objects.create(team=team, volunteer=make_volunteer(tree.committee, "申请人乙"))
    login(client, people.li_user)
    url = _team_url(team, "team_roster")
    page = client.get(url).content.decode()
    assert "申请人甲" in page and "申请人乙" in page and "在职党员" in page
    client.post(url, {"membership": asked.pk, "action": "accept", "category": groups[1].pk})
    response = client.post(url, {"membership": other.pk, "action": "decline", "reason": ""}, follow=True)
    assert "Say why the request is declined" in response.content.decode()
    client.post(url, {"membership": other.pk, "action": "decline", "reason": "名额已满"})
    asked.refresh_from_db()
    other.refresh_from_db()
    assert (asked.status, asked.category) == (MembershipStatus.ACTIVE, groups[1])
    assert (other.status, other.reason) == (MembershipStatus.DECLINED, "名额已满")


def test_a_plain_member_and_a_resident_have_no_roster(client, team, leader, people, volunteer, groups):
    member(team, volunteer, category=groups[0])
    login(client, people.wang_user)
    assert client.get(_team_url(team, "team_roster")).status_code == 404
    assert (
        client.post(_team_url(team, "team_roster"), {"membership": 1, "action": "accept"}).status_code == 404
    )


def test_the_roster_takes_a_fixed_number_of_queries(
    client, team, leader, people, tree, groups, django_assert_max_num_queries
):
    login(client, people.li_user)
    url = _team_url(team, "team_roster")
    for n in range(3):
        member(team, make_volunteer(tree.committee, f"甲{n}"), category=groups[n % 2])
        Membership.objects.create(team=team, volunteer=make_volunteer(tree.committee, f"申{n}"))
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(3, 12):
        member(team, make_volunteer(tree.committee, f"甲{n}"), category=groups[n % 2])
        Membership.objects.create(team=team, volunteer=make_volunteer(tree.committee, f"申{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# --- Staff ----------------------------------------------------------------------------------------


def test_staff_found_edit_and_dissolve_a_team(owner_client, groups):
    response = owner_client.post(
        reverse("volunteers:team_new"),
        {
            "name": "健康楼组邻里队",
            "kind": "building",
            "meets": "每周三",
            "open_to_join": "on",
            "categories": [groups[0].pk],
        },
    )
    made = Team.objects.get(name="健康楼组邻里队")
    assert response.status_code == 302 and list(made.categories.all()) == [groups[0]]
    refused = owner_client.post(
        reverse("volunteers:team_new"), {"name": "健康楼组邻里队", "kind": "building"}
    )
    assert "already has a team called" in refused.content.decode()
    owner_client.post(
        _team_url(made, "team_edit"), {"name": "健康楼组邻里队", "kind": "building", "meets": "每周四"}
    )
    made.refresh_from_db()
    assert made.meets == "每周四"
    owner_client.post(_team_url(made, "team_dissolve"), {"reason": "合并"})
    made.refresh_from_db()
    assert made.dissolved_at is not None


def test_the_hub_shows_staff_their_teams_and_requests(owner_client, team, volunteer):
    Membership.objects.create(team=team, volunteer=volunteer, note="想加入")
    page = owner_client.get(reverse("volunteers:index")).content.decode()
    assert "民心在线服务队" in page and "Requests waiting" in page and "王建国 → 民心在线服务队" in page


def test_staff_keep_the_groups(owner_client, groups, team, leader):
    url = reverse("volunteers:categories")
    owner_client.post(url, {"name": "学雷锋志愿团队", "position": 5})
    assert TeamCategory.objects.filter(name="学雷锋志愿团队").exists()
    response = owner_client.post(url, {"category": groups[0].pk, "delete": "1"}, follow=True)
    assert "move them to another group first" in response.content.decode()
    owner_client.post(url, {"category": groups[1].pk, "name": "退役军人队", "position": 2})
    assert TeamCategory.objects.get(pk=groups[1].pk).name == "退役军人队"


def test_the_volunteer_list_searches_and_masks_numbers(owner_client, tree, team):
    made = make_volunteer(tree.committee, "陈在职", phone="13811112222", kind="party_member")
    make_volunteer(tree.committee, "李学生", kind="student")
    member(team, made)
    page = owner_client.get(reverse("volunteers:volunteers")).content.decode()
    assert "138****2222" in page and "13811112222" not in page and "李学生" in page
    page = owner_client.get(reverse("volunteers:volunteers"), {"team": team.pk}).content.decode()
    assert "陈在职" in page and "李学生" not in page
    page = owner_client.get(reverse("volunteers:volunteers"), {"kind": "student"}).content.decode()
    assert "李学生" in page and "陈在职" not in page
    page = owner_client.get(reverse("volunteers:volunteers"), {"q": "陈"}).content.decode()
    assert "陈在职" in page and "李学生" not in page


def test_the_volunteer_list_takes_a_fixed_number_of_queries(
    owner_client, tree, team, django_assert_max_num_queries
):
    url = reverse("volunteers:volunteers")
    for n in range(3):
        member(team, make_volunteer(tree.committee, f"志愿者{n}"))
    owner_client.get(url)
    with django_assert_max_num_queries(20) as few:
        owner_client.get(url)
    for n in range(3, 15):
        member(team, make_volunteer(tree.committee, f"志愿者{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(url)


def test_staff_register_an_elderly_volunteer_and_open_their_page(owner_client):
    response = owner_client.post(
        reverse("volunteers:volunteer_new"), {"name": "沈阿婆", "kind": "other", "availability": "上午"}
    )
    made = Volunteer.objects.get(name="沈阿婆")
    assert response.status_code == 302 and made.phone == ""
    page = owner_client.get(reverse("volunteers:volunteer", args=[made.pk])).content.decode()
    assert "沈阿婆" in page and "上午" in page
    bad = owner_client.post(
        reverse("volunteers:volunteer_new"), {"name": "x", "kind": "other", "phone": "02161234567"}
    )
    assert "must start with 13–19" in bad.content.decode()


def test_the_neighbour_sees_none_of_it(client, outsider, team, volunteer):
    login(client, outsider)
    for url in (
        _team_url(team, "team_edit"),
        _team_url(team, "team_roster"),
        reverse("volunteers:volunteer", args=[volunteer.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_team_url(team, "team_dissolve"), {"reason": "x"}).status_code == 404
    assert "民心在线服务队" not in client.get(reverse("volunteers:index")).content.decode()


def test_a_resident_has_no_staff_pages(client, people):
    login(client, people.wang_user)
    for name in ("team_new", "categories", "volunteers", "volunteer_new"):
        assert client.get(reverse(f"volunteers:{name}")).status_code == 403


# --- Registering --------------------------------------------------------------------------------


def test_a_resident_becomes_a_volunteer_on_their_page(client, people):
    login(client, people.wang_user)
    client.post(reverse("volunteers:me"), {"availability": "周末", "skills": []})
    made = Volunteer.objects.get(user=people.wang_user)
    assert made.resident == people.wang and made.availability == "周末"
    assert "周末" in client.get(reverse("volunteers:volunteer", args=[made.pk])).content.decode()


def test_someone_from_outside_registers_on_the_committee_page(client, tree):
    url = reverse("volunteers:register", args=[tree.committee.code])
    assert client.get(url).status_code == 200
    bad = client.post(
        reverse("volunteers:send_code", args=[tree.committee.code]), {"phone": "021-6123"}, follow=True
    )
    assert "11 digits" in bad.content.decode()
    client.post(reverse("volunteers:send_code", args=[tree.committee.code]), {"phone": "13811112222"})
    code = last_code()
    response = client.post(
        url,
        {
            "name": "Anna",
            "kind": "foreign",
            "phone": "13811112222",
            "code": code,
            "password": "Shequ-2026-fuwu",
            "affiliation": "Germany",
        },
    )
    assert response.status_code == 302
    made = Volunteer.objects.get(phone="13811112222")
    assert made.kind == "foreign" and made.phone_verified_at is not None
    assert client.get(reverse("volunteers:index")).status_code == 200  # logged in as Anna


def test_the_register_page_is_only_for_committees(client, tree):
    assert client.get(reverse("volunteers:register", args=[tree.street.code])).status_code == 404
    assert client.get(reverse("volunteers:register", args=["nope"])).status_code == 404


def test_a_wrong_code_on_the_page_says_how_many_tries_are_left(client, tree):
    client.post(reverse("volunteers:send_code", args=[tree.committee.code]), {"phone": "13811112222"})
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(
        reverse("volunteers:register", args=[tree.committee.code]),
        {
            "name": "Anna",
            "kind": "foreign",
            "phone": "13811112222",
            "code": wrong,
            "password": "Shequ-2026-fuwu",
        },
    )
    assert "4 tries left" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, team):
    response = client.get(reverse("volunteers:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(_team_url(team)).status_code == 302


def test_a_building_leader_without_the_capability_gets_no_staff_page(client, tree):
    someone = UserFactory.create(name="楼组长")
    grant(someone, Role.BUILDING_LEADER, tree.group)
    login(client, someone)
    assert client.get(reverse("volunteers:volunteers")).status_code == 403


# --- Activities organised by a team --------------------------------------------------------------


def test_an_activity_is_organised_by_a_team_and_shown_on_both_pages(
    owner_client, team, people, outsider, client
):
    start = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
    fields = {
        "title": "义剪",
        "place": "居委会门口",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "weeks": 1,
        "team": team.pk,
    }
    theirs = make_team(outsider, name="慧芝湖太极队")
    refused = owner_client.post(reverse("activities:new"), {**fields, "team": theirs.pk})
    assert refused.status_code == 200 and not Activity.objects.exists()
    owner_client.post(reverse("activities:new"), fields)
    activity = Activity.objects.get()
    assert activity.team == team
    owner_client.post(reverse("activities:action", args=[activity.pk]), {"action": "publish"})
    login(client, people.wang_user)
    assert (
        "organised by 民心在线服务队"
        in client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    )
    assert "义剪" in client.get(_team_url(team)).content.decode()


def test_the_leader_adds_a_member_on_the_roster(client, team, leader, people, tree, groups):
    elderly = make_volunteer(tree.committee, "沈阿婆")
    login(client, people.li_user)
    url = _team_url(team, "team_roster")
    assert "沈阿婆" in client.get(url).content.decode()
    bad = client.post(
        url,
        {"action": "add", "volunteer": elderly.pk, "category": groups[0].pk, "joined_on": "x"},
        follow=True,
    )
    assert "as a date" in bad.content.decode()
    client.post(
        url, {"action": "add", "volunteer": elderly.pk, "category": groups[0].pk, "joined_on": "2020-03-01"}
    )
    row = Membership.objects.get(volunteer=elderly)
    assert (row.status, row.joined_on) == (MembershipStatus.ACTIVE, date(2020, 3, 1))
