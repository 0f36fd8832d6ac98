"""Leads grant and revoke roles over areas inside their own scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import RoleGrant
from accounts.roles import Role
from areas.models import AreaLevel
from audit.models import AuditEntry
from tests.accounts.conftest import text
from tests.factories import UserFactory, grant, local, login_verified, scope_of


def messages_of(caught) -> str:
    return " ".join(caught.value.messages)


@pytest.fixture
def newcomer(tree):
    return UserFactory.create(name="新志愿者", home_area=tree.committee)


def url(user) -> str:
    return reverse("accounts:grant_role", args=[user.pk])


# --- The rules (service) ---------------------------------------------------------------------


def test_a_lead_grants_a_building_leader_over_a_building_group_of_the_committee(tree, colleague, newcomer):
    made = services.grant_role(colleague, scope_of(colleague), newcomer, Role.BUILDING_LEADER, tree.group)
    assert made.granted_by == colleague and made.area == tree.group
    assert newcomer.active_grants.get().role == Role.BUILDING_LEADER
    assert AuditEntry.objects.filter(action="create", object_id=str(made.pk)).exists()


def test_the_role_must_fit_the_level_of_the_area(tree, colleague, newcomer):
    with pytest.raises(ValidationError) as caught:
        services.grant_role(colleague, scope_of(colleague), newcomer, Role.BUILDING_LEADER, tree.committee)
    assert "“Building leader” is held over a building group; 延长新村居委会 is a committee." in messages_of(
        caught
    )


def test_an_area_outside_the_scope_is_refused(tree, colleague, newcomer):
    with pytest.raises(ValidationError) as caught:
        services.grant_role(colleague, scope_of(colleague), newcomer, Role.SOCIAL_WORKER, tree.neighbour)
    assert "慧芝湖花园居委会 lies outside 延长新村居委会, your area." in messages_of(caught)
    assert not RoleGrant.objects.filter(user=newcomer).exists()


def test_admin_roles_need_an_own_area_at_or_above_their_level(tree, colleague, newcomer):
    with pytest.raises(ValidationError) as caught:
        services.grant_role(colleague, scope_of(colleague), newcomer, Role.STREET_ADMIN, tree.street)
    assert "Only someone whose own area is a street / town or above may grant “Street admin”." in messages_of(
        caught
    )
    district_admin = UserFactory.create(home_area=tree.district)
    grant(district_admin, Role.DISTRICT_ADMIN, tree.district)
    services.grant_role(district_admin, scope_of(district_admin), newcomer, Role.STREET_ADMIN, tree.street)
    with pytest.raises(ValidationError) as caught:
        services.grant_role(district_admin, scope_of(district_admin), newcomer, Role.CITY_ADMIN, tree.city)
    assert "may grant “City admin”" in messages_of(caught)


def test_a_street_admin_may_grant_a_street_admin_over_their_own_street(tree):
    admin = UserFactory.create(home_area=tree.street)
    grant(admin, Role.STREET_ADMIN, tree.street)
    deputy = UserFactory.create(home_area=tree.neighbour)
    services.grant_role(admin, scope_of(admin), deputy, Role.STREET_ADMIN, tree.street)
    assert deputy.active_grants.get().area == tree.street


def test_roles_without_grant_rights_cannot_grant(tree, owner, newcomer):
    with pytest.raises(PermissionDenied):
        services.grant_role(owner, scope_of(owner), newcomer, Role.VOLUNTEER, tree.committee)


def test_no_one_grants_themselves(tree, colleague):
    with pytest.raises(ValidationError) as caught:
        services.grant_role(colleague, scope_of(colleague), colleague, Role.BUILDING_LEADER, tree.group)
    assert "You cannot grant a role to yourself" in messages_of(caught)


def test_people_from_outside_the_area_cannot_be_granted(tree, colleague, outsider):
    with pytest.raises(ValidationError) as caught:
        services.grant_role(colleague, scope_of(colleague), outsider, Role.VOLUNTEER, tree.committee)
    assert "does not live in your area" in messages_of(caught)


def test_the_same_active_grant_is_not_made_twice(tree, colleague, newcomer):
    services.grant_role(colleague, scope_of(colleague), newcomer, Role.VOLUNTEER, tree.committee)
    with pytest.raises(ValidationError) as caught:
        services.grant_role(colleague, scope_of(colleague), newcomer, Role.VOLUNTEER, tree.committee)
    assert "新志愿者 is already Volunteer of 延长新村居委会." in messages_of(caught)


def test_a_retired_area_cannot_be_granted(tree, colleague, newcomer):
    old = local(tree.committee, AreaLevel.BUILDING_GROUP, "旧楼组", 99)
    old.retire()
    with pytest.raises(ValidationError) as caught:
        services.grant_role(colleague, scope_of(colleague), newcomer, Role.BUILDING_LEADER, old)
    assert "旧楼组 is retired" in messages_of(caught)


def test_the_roles_offered_follow_the_granters_level(tree, colleague):
    roles = services.grantable_roles(scope_of(colleague))
    assert Role.BUILDING_LEADER in roles and Role.SOCIAL_WORKER in roles
    assert Role.STREET_ADMIN not in roles and Role.CITY_ADMIN not in roles


def test_revoking_ends_the_grant_but_keeps_the_record(tree, colleague, owner):
    worker = owner.active_grants.get()
    services.revoke_role(colleague, scope_of(colleague), worker)
    worker.refresh_from_db()
    assert worker.revoked_at is not None
    assert not owner.active_grants.exists()
    with pytest.raises(ValidationError):
        services.revoke_role(colleague, scope_of(colleague), colleague.active_grants.get())


def test_a_grant_outside_the_scope_cannot_be_revoked(tree, colleague, outsider):
    with pytest.raises(ValidationError):
        services.revoke_role(colleague, scope_of(colleague), outsider.active_grants.get())
    assert outsider.active_grants.exists()


# --- The page ----------------------------------------------------------------------------------


def test_the_page_offers_roles_then_the_areas_fitting_the_role(lead_client, tree, newcomer):
    page = text(lead_client.get(url(newcomer)))
    assert "No role in your area. This person is a resident." in page
    assert 'value="building_leader"' in page and 'value="street_admin"' not in page
    page = text(lead_client.get(url(newcomer), {"role": Role.BUILDING_LEADER}))
    assert "62号楼组" in page and "慧芝湖1号楼组" not in page
    assert f'<option value="{tree.committee.pk}"' not in page


def test_granting_through_the_page(lead_client, tree, newcomer):
    response = lead_client.post(
        url(newcomer) + "?role=building_leader", {"role": Role.BUILDING_LEADER, "area": tree.group.pk}
    )
    assert response.status_code == 302
    page = text(lead_client.get(response["Location"]))
    assert "新志愿者 is now Building leader of 62号楼组." in page
    assert "Building leader</strong> · 62号楼组" in page


def test_a_tampered_area_is_refused_with_a_message_and_nothing_changes(lead_client, tree, newcomer):
    page = text(
        lead_client.post(url(newcomer), {"role": Role.BUILDING_LEADER, "area": tree.neighbour_group.pk})
    )
    assert "Choose an area from the list." in page
    page = text(lead_client.post(url(newcomer), {"role": Role.BUILDING_LEADER, "area": tree.committee.pk}))
    assert "is held over a building group" in page
    assert not RoleGrant.objects.filter(user=newcomer).exists()


def test_revoking_through_the_page(lead_client, owner):
    worker = owner.active_grants.get()
    response = lead_client.post(url(owner), {"action": "revoke", "grant": worker.pk})
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.revoked_at is not None


def test_people_and_grants_outside_the_scope_are_not_found(lead_client, tree, outsider, owner):
    assert lead_client.get(url(outsider)).status_code == 404
    theirs = outsider.active_grants.get()
    assert lead_client.post(url(owner), {"action": "revoke", "grant": theirs.pk}).status_code == 404
    assert outsider.active_grants.exists()


def test_social_workers_may_not_grant(owner_client, newcomer):
    assert owner_client.get(url(newcomer)).status_code == 403


def test_a_street_admin_searches_the_committees_of_the_street(client, tree, newcomer):
    admin = UserFactory.create(home_area=tree.street)
    grant(admin, Role.STREET_ADMIN, tree.street)
    login_verified(client, admin)
    page = text(client.get(url(newcomer), {"role": Role.SOCIAL_WORKER, "q": "慧芝湖"}))
    assert "慧芝湖花园居委会" in page and "延长新村居委会 ·" not in page
