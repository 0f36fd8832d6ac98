"""One person, several roles: the roles page and switching between them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.scope import SESSION_KEY
from audit.models import AuditEntry
from tests.accounts.conftest import text
from tests.factories import grant, login_verified

SWITCH = "/accounts/role/"


@pytest.fixture
def two_hats(client, tree, owner):
    """The social worker of 延长新村 is also a volunteer of the whole street."""
    volunteer = grant(owner, Role.VOLUNTEER, tree.street)
    login_verified(client, owner)
    return client, owner.active_grants.get(role=Role.SOCIAL_WORKER), volunteer


def test_the_roles_page_lists_each_role_with_its_area_and_a_switch_button(two_hats):
    client, worker, volunteer = two_hats
    page = text(client.get(reverse("accounts:roles")))
    assert "Social worker</strong> · 延长新村居委会" in page
    assert "Volunteer</strong> · 大宁路街道" in page
    assert "Acting in this role now" in page
    # A plain form per other role: works without JavaScript.
    assert f'<input type="hidden" name="grant" value="{volunteer.pk}">' in page
    assert f'name="grant" value="{worker.pk}"' not in page


def test_switching_to_an_own_role_changes_what_the_workspace_shows(two_hats):
    client, worker, volunteer = two_hats
    response = client.post(SWITCH, {"grant": volunteer.pk})
    assert response.status_code == 302 and response["Location"] == reverse("workspace")
    assert client.session[SESSION_KEY] == volunteer.pk
    page = text(client.get(reverse("workspace")))
    assert "Volunteer, 大宁路街道" in page
    entry = AuditEntry.objects.get(action="role_switch")
    assert entry.object_id == str(volunteer.pk)
    assert entry.area_path == volunteer.area.path
    # Back again.
    client.post(SWITCH, {"grant": worker.pk})
    assert client.session[SESSION_KEY] == worker.pk


def test_someone_elses_grant_cannot_be_switched_to(two_hats, outsider):
    client, _worker, _volunteer = two_hats
    theirs = outsider.active_grants.get()
    assert client.post(SWITCH, {"grant": theirs.pk}).status_code == 404
    assert client.post(SWITCH, {"grant": "abc"}).status_code == 404
    assert client.post(SWITCH, {}).status_code == 404
    assert SESSION_KEY not in client.session
    assert not AuditEntry.objects.filter(action="role_switch").exists()


def test_a_revoked_grant_cannot_be_switched_to(two_hats):
    from django.utils import timezone

    client, _worker, volunteer = two_hats
    volunteer.revoked_at = timezone.now()
    volunteer.save()
    assert client.post(SWITCH, {"grant": volunteer.pk}).status_code == 404


def test_switching_takes_a_post(two_hats):
    client, _worker, volunteer = two_hats
    assert client.get(SWITCH, {"grant": volunteer.pk}).status_code == 405


def test_a_resident_has_no_roles_and_is_told_who_grants_them(client, resident):
    login_verified(client, resident)
    assert "You hold no role." in text(client.get(reverse("accounts:roles")))
