"""Teams and their members: every rule and refusal of volunteers/teams.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from notifications.models import Notification
from tests.factories import UserFactory, grant, scope_of
from tests.volunteers.conftest import make_team, make_volunteer, member
from volunteers import memberships
from volunteers import teams as services
from volunteers.models import Membership, MembershipStatus, Team, TeamCategory, TeamKind, Volunteer
from volunteers.teams import TeamDraft

pytestmark = pytest.mark.django_db


def _ask(user, team, note="想出一份力"):
    return memberships.ask_to_join(user, team, note, scope=scope_of(user))


# --- Teams ------------------------------------------------------------------------------------


def test_staff_found_a_team_of_their_committee(owner, tree, groups):
    made = make_team(owner, categories=groups)
    assert made.area == tree.committee
    assert set(made.categories.all()) == set(groups)


def test_a_street_admin_founds_a_street_wide_team(street_admin, tree):
    made = make_team(street_admin, name="大宁路街道巡访团")
    assert made.area == tree.street


def test_a_team_needs_a_name_and_a_kind(owner):
    with pytest.raises(ValidationError) as caught:
        services.create_team(TeamDraft(name="  ", kind="circus"), scope=scope_of(owner))
    assert set(caught.value.message_dict) == {"name", "kind"}
    assert Team.objects.count() == 0


def test_two_current_teams_of_a_committee_cannot_share_a_name(owner, team):
    with pytest.raises(ValidationError, match="already has a team called 民心在线服务队"):
        make_team(owner)


def test_a_group_of_another_committee_is_refused(owner, outsider):
    theirs = services.save_category("外籍志愿者", scope=scope_of(outsider))
    with pytest.raises(ValidationError, match="外籍志愿者 is not a group of this committee"):
        make_team(owner, categories=[theirs])


def test_a_team_is_not_founded_after_today(owner):
    with pytest.raises(ValidationError, match="founded after today"):
        make_team(owner, founded_on=timezone.localdate() + timedelta(days=1))


def test_a_role_without_the_volunteers_capability_founds_nothing(tree, leader):
    building_leader = UserFactory.create(name="楼组长")
    grant(building_leader, Role.BUILDING_LEADER, tree.group)
    with pytest.raises(PermissionDenied):
        make_team(building_leader, name="新队")


def test_the_neighbour_cannot_edit_or_dissolve_our_team(outsider, team):
    draft = TeamDraft(name="改名", kind=TeamKind.SERVICE)
    with pytest.raises(PermissionDenied):
        services.update_team(team, draft, scope=scope_of(outsider))
    with pytest.raises(PermissionDenied):
        services.dissolve_team(team, "不需要了", by=outsider, scope=scope_of(outsider))


def test_editing_keeps_the_team_and_changes_what_residents_read(owner, team):
    draft = TeamDraft(name="民心在线", kind=TeamKind.SERVICE, meets="每月第一个周六")
    services.update_team(team, draft, scope=scope_of(owner))
    team.refresh_from_db()
    assert (team.name, team.meets) == ("民心在线", "每月第一个周六")


def test_dissolving_ends_memberships_declines_requests_and_tells_everyone(
    owner, team, leader, volunteer, people
):
    _ask(people.wang_user, team)
    with pytest.raises(ValidationError, match="Say why"):
        services.dissolve_team(team, " ", by=owner, scope=scope_of(owner))
    services.dissolve_team(team, "并入街道服务队", by=owner, scope=scope_of(owner))
    team.refresh_from_db()
    assert team.dissolved_at is not None
    statuses = dict(Membership.objects.filter(team=team).values_list("volunteer__name", "status"))
    assert statuses == {"李秀英": MembershipStatus.REMOVED, "王建国": MembershipStatus.DECLINED}
    assert Membership.objects.get(volunteer=leader).ended_on == timezone.localdate()
    told = Notification.objects.filter(title__contains="dissolved")
    assert {n.user for n in told} == {people.wang_user, people.li_user}
    with pytest.raises(ValidationError, match="dissolved already"):
        services.dissolve_team(team, "again", by=owner, scope=scope_of(owner))


# --- Groups ------------------------------------------------------------------------------------


def test_groups_are_added_renamed_and_kept_unique(owner, groups):
    made = services.save_category("文化团队", scope=scope_of(owner), position=3)
    services.save_category("文化团队（舞蹈）", scope=scope_of(owner), position=3, category=made)
    assert TeamCategory.objects.get(pk=made.pk).name == "文化团队（舞蹈）"
    with pytest.raises(ValidationError, match="called 在职党员 already"):
        services.save_category("在职党员", scope=scope_of(owner))
    with pytest.raises(ValidationError, match="Give the group a name"):
        services.save_category("", scope=scope_of(owner))


def test_a_group_with_members_is_not_removed(owner, team, leader, groups):
    with pytest.raises(ValidationError, match="1 members are in the group 在职党员"):
        services.delete_category(groups[0], scope=scope_of(owner))
    services.delete_category(groups[1], scope=scope_of(owner))
    assert not TeamCategory.objects.filter(pk=groups[1].pk).exists()


def test_the_neighbour_cannot_touch_our_groups(outsider, groups):
    with pytest.raises(PermissionDenied):
        services.delete_category(groups[1], scope=scope_of(outsider))
    with pytest.raises(PermissionDenied):
        services.save_category("改名", scope=scope_of(outsider), category=groups[1])


# --- Asking to join ------------------------------------------------------------------------------


def test_a_resident_asks_and_the_leader_is_told(team, leader, people):
    made = _ask(people.wang_user, team)
    assert made.status == MembershipStatus.REQUESTED and made.note == "想出一份力"
    # Registered as a volunteer from his verified account on the way.
    assert made.volunteer.resident == people.wang and made.volunteer.kind == "resident"
    assert Notification.objects.filter(user=people.li_user, title__contains="王建国 asks to join").exists()


def test_asking_twice_is_refused(team, volunteer, people):
    _ask(people.wang_user, team)
    with pytest.raises(ValidationError, match="asked to join 民心在线服务队 already"):
        _ask(people.wang_user, team)


def test_a_member_cannot_ask_again(team, leader, people):
    with pytest.raises(ValidationError, match="a member of 民心在线服务队 already"):
        _ask(people.li_user, team)


def test_a_closed_team_takes_no_requests(owner, volunteer, people):
    closed = make_team(owner, name="读报组", open_to_join=False)
    with pytest.raises(ValidationError, match="does not take requests"):
        _ask(people.wang_user, closed)


def test_a_team_of_another_committee_is_refused(outsider, volunteer, people):
    theirs = make_team(outsider, name="慧芝湖太极队", kind=TeamKind.SELF_GOVERNANCE)
    with pytest.raises(ValidationError, match="in another committee"):
        _ask(people.wang_user, theirs)


def test_a_street_team_is_open_to_its_committees(street_admin, volunteer, people):
    street_team = make_team(street_admin, name="市民巡访团")
    assert _ask(people.wang_user, street_team).status == MembershipStatus.REQUESTED


def test_someone_not_in_the_registry_must_register_first(team, tree):
    stranger = UserFactory.create(name="路人", home_area=tree.committee)
    with pytest.raises(ValidationError, match="not yet verified"):
        _ask(stranger, team)
    assert not Membership.objects.exists()


def test_a_long_note_is_refused(team, volunteer, people):
    with pytest.raises(ValidationError, match="200 characters"):
        _ask(people.wang_user, team, "很" * 201)


# --- Deciding ----------------------------------------------------------------------------------


def test_the_leader_accepts_into_a_group_and_the_resident_is_told(team, leader, people, groups):
    asked = _ask(people.wang_user, team)
    with pytest.raises(ValidationError, match="Choose the group 王建国 joins"):
        memberships.accept(asked, by=people.li_user, scope=scope_of(people.li_user))
    done = memberships.accept(asked, by=people.li_user, scope=scope_of(people.li_user), category=groups[1])
    assert (done.status, done.category, done.joined_on) == (
        MembershipStatus.ACTIVE,
        groups[1],
        timezone.localdate(),
    )
    assert Notification.objects.filter(user=people.wang_user, title="Welcome to 民心在线服务队").exists()
    with pytest.raises(ValidationError, match="answered already"):
        memberships.accept(asked, by=people.li_user, scope=scope_of(people.li_user), category=groups[1])


def test_a_group_of_another_team_is_refused(owner, team, leader, people):
    other = services.save_category("文化团队", scope=scope_of(owner))
    asked = _ask(people.wang_user, team)
    with pytest.raises(ValidationError, match="文化团队 is not a group of this team"):
        memberships.accept(asked, by=owner, scope=scope_of(owner), category=other)


def test_staff_accept_with_a_date_in_the_past_never_in_the_future(owner, team, volunteer, people, groups):
    asked = _ask(people.wang_user, team)
    with pytest.raises(ValidationError, match="cannot join after today"):
        memberships.accept(
            asked,
            by=owner,
            scope=scope_of(owner),
            category=groups[0],
            joined_on=date.today() + timedelta(days=2),
        )
    done = memberships.accept(
        asked, by=owner, scope=scope_of(owner), category=groups[0], joined_on=date(2019, 5, 1)
    )
    assert done.joined_on == date(2019, 5, 1)


def test_a_plain_member_and_the_neighbour_may_not_decide(team, leader, people, outsider, groups, tree):
    asked = _ask(people.wang_user, team)
    plain = make_volunteer(tree.committee, "普通队员", user=UserFactory.create(name="普通队员"))
    member(team, plain, category=groups[0])
    assert plain.user is not None
    for someone in (plain.user, outsider):
        with pytest.raises(PermissionDenied):
            memberships.accept(asked, by=someone, scope=scope_of(someone), category=groups[0])
        with pytest.raises(PermissionDenied):
            memberships.decline(asked, "不合适", by=someone, scope=scope_of(someone))


def test_declining_needs_a_reason_which_the_resident_reads(team, leader, people):
    asked = _ask(people.wang_user, team)
    with pytest.raises(ValidationError, match="Say why the request is declined"):
        memberships.decline(asked, "", by=people.li_user, scope=scope_of(people.li_user))
    memberships.decline(asked, "本队已满员", by=people.li_user, scope=scope_of(people.li_user))
    told = Notification.objects.get(user=people.wang_user, title__contains="declined")
    assert told.body == "本队已满员"
    # Declined, he may ask again later.
    assert _ask(people.wang_user, team).status == MembershipStatus.REQUESTED


def test_a_member_leaves_and_the_dates_are_kept(team, leader, people, groups, owner):
    asked = _ask(people.wang_user, team)
    memberships.accept(asked, by=owner, scope=scope_of(owner), category=groups[0], joined_on=date(2024, 3, 1))
    memberships.leave(asked, by=people.wang_user)
    asked.refresh_from_db()
    assert (asked.status, asked.joined_on, asked.ended_on) == (
        MembershipStatus.LEFT,
        date(2024, 3, 1),
        timezone.localdate(),
    )
    with pytest.raises(ValidationError, match="no longer a member"):
        memberships.leave(asked, by=people.wang_user)


def test_a_request_is_taken_back_by_leaving(team, volunteer, people):
    asked = _ask(people.wang_user, team)
    memberships.leave(asked, by=people.wang_user)
    asked.refresh_from_db()
    assert asked.status == MembershipStatus.LEFT and asked.joined_on is None


def test_nobody_leaves_for_someone_else(team, leader, people):
    row = Membership.objects.get(volunteer=leader)
    with pytest.raises(PermissionDenied):
        memberships.leave(row, by=people.wang_user)


def test_removing_needs_a_reason_and_the_member_is_told(team, leader, volunteer, people, groups):
    row = member(team, volunteer, category=groups[0])
    by, scope = people.li_user, scope_of(people.li_user)
    with pytest.raises(ValidationError, match="Say why the member is removed"):
        memberships.remove(row, "", by=by, scope=scope)
    memberships.remove(row, "长期未参加活动", by=by, scope=scope)
    row.refresh_from_db()
    assert row.status == MembershipStatus.REMOVED and row.ended_on == timezone.localdate()
    assert Notification.objects.get(user=people.wang_user, title__contains="removed").body == "长期未参加活动"
    with pytest.raises(ValidationError, match="not a member now"):
        memberships.remove(row, "again", by=by, scope=scope)


def test_a_leader_does_not_remove_themself(team, leader, people):
    row = Membership.objects.get(volunteer=leader)
    with pytest.raises(ValidationError, match="use Leave"):
        memberships.remove(row, "累了", by=people.li_user, scope=scope_of(people.li_user))


def test_leaders_are_made_and_the_last_one_stays_unless_staff_step_in(
    team, leader, volunteer, people, owner, groups
):
    row = member(team, volunteer, category=groups[0])
    own = Membership.objects.get(volunteer=leader)
    by, scope = people.li_user, scope_of(people.li_user)
    with pytest.raises(ValidationError, match="needs a leader"):
        memberships.set_leader(own, False, by=by, scope=scope)
    memberships.set_leader(row, True, by=by, scope=scope)
    with pytest.raises(ValidationError, match="leads the team already"):
        memberships.set_leader(row, True, by=by, scope=scope)
    memberships.set_leader(own, False, by=by, scope=scope)
    # 王建国 is the last leader now; staff may still unmake him.
    memberships.set_leader(row, False, by=owner, scope=scope_of(owner))
    assert not Membership.objects.filter(team=team, is_leader=True).exists()


def test_moving_a_member_to_another_group(team, leader, volunteer, people, groups, owner):
    row = member(team, volunteer, category=groups[0])
    memberships.move_to_group(row, groups[1], by=owner, scope=scope_of(owner))
    row.refresh_from_db()
    assert row.category == groups[1]
    stray = services.save_category("无关", scope=scope_of(owner))
    with pytest.raises(ValidationError, match="not a group of this team"):
        memberships.move_to_group(row, stray, by=owner, scope=scope_of(owner))


def test_a_volunteer_who_left_cannot_ask(team, volunteer, people):
    Volunteer.objects.filter(pk=volunteer.pk).update(left_at=timezone.now())
    with pytest.raises(ValidationError, match="registration has ended"):
        _ask(people.wang_user, team)


# --- Adding a member directly ------------------------------------------------------------------


def test_staff_add_an_elderly_volunteer_without_a_phone_with_their_date(owner, team, tree, groups):
    elderly = make_volunteer(tree.committee, "沈阿婆")
    with pytest.raises(ValidationError, match="Choose the group 沈阿婆 joins"):
        memberships.add_member(team, elderly, by=owner, scope=scope_of(owner))
    made = memberships.add_member(
        team, elderly, by=owner, scope=scope_of(owner), category=groups[0], joined_on=date(2019, 6, 1)
    )
    assert (made.status, made.joined_on, made.decided_by) == (
        MembershipStatus.ACTIVE,
        date(2019, 6, 1),
        owner,
    )
    with pytest.raises(ValidationError, match="in 民心在线服务队 already"):
        memberships.add_member(team, elderly, by=owner, scope=scope_of(owner), category=groups[0])


def test_adding_refuses_the_future_another_committee_and_outsiders(
    owner, outsider, team, tree, groups, people
):
    elderly = make_volunteer(tree.committee, "沈阿婆")
    with pytest.raises(ValidationError, match="cannot join after today"):
        memberships.add_member(
            team,
            elderly,
            by=owner,
            scope=scope_of(owner),
            category=groups[0],
            joined_on=date.today() + timedelta(days=1),
        )
    far = make_volunteer(tree.neighbour, "邻居志愿者")
    with pytest.raises(ValidationError, match="serves in another committee"):
        memberships.add_member(team, far, by=owner, scope=scope_of(owner), category=groups[0])
    with pytest.raises(PermissionDenied):
        memberships.add_member(team, elderly, by=outsider, scope=scope_of(outsider), category=groups[0])
    assert not Membership.objects.filter(volunteer=elderly).exists()
