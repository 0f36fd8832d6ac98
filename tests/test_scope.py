"""accounts.scope: the one place where what a request may see is decided."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test import RequestFactory

from accounts.models import RoleGrant, User
from accounts.roles import Role
from accounts.scope import SESSION_KEY, resolve_scope, scope_for_grant
from areas.models import Area
from common.scope import NO_SCOPE, Capability
from tests.factories import UserFactory, grant


def test_restrict_filters_to_the_grant_subtree(tree, owner):
    scope = resolve_scope(owner, {})
    names = set(scope.restrict(Area.objects.all()).values_list("name", flat=True))
    assert {"延长新村居委会", "第一网格", "62号楼组", "62号楼"} == names


def test_street_admin_sees_every_committee_of_the_street_and_nothing_else(tree):
    admin = UserFactory.create()
    scope = scope_for_grant(grant(admin, Role.STREET_ADMIN, tree.street))
    names = set(scope.restrict(Area.objects.all()).values_list("name", flat=True))
    assert "慧芝湖花园居委会" in names and "62号楼" in names
    assert "公交新村居委会" not in names and "静安区" not in names


def test_restrict_follows_the_model_scope_path(tree, owner, outsider, resident):
    scope = resolve_scope(owner, {})
    users = set(scope.restrict(User.objects.all()))
    assert owner in users and resident in users and outsider not in users
    grants = scope.restrict(RoleGrant.objects.all())
    assert {g.user for g in grants} == {owner}


def test_no_scope_sees_nothing(tree, resident):
    assert resolve_scope(resident, {}) is NO_SCOPE
    assert NO_SCOPE.restrict(Area.objects.all()).count() == 0
    assert not NO_SCOPE.can(Capability.VIEW_WORKSPACE)


def test_a_model_without_scope_path_cannot_be_restricted(tree, owner):
    from django.contrib.contenttypes.models import ContentType

    with pytest.raises(ImproperlyConfigured):
        resolve_scope(owner, {}).restrict(ContentType.objects.all())


def test_the_session_chooses_among_the_users_own_grants(tree, owner):
    second = grant(owner, Role.VOLUNTEER, tree.street)
    assert resolve_scope(owner, {SESSION_KEY: second.pk}).area == tree.street
    # Another user's grant id in the session is ignored, not honoured.
    stranger = grant(UserFactory.create(), Role.CITY_ADMIN, tree.city)
    assert resolve_scope(owner, {SESSION_KEY: stranger.pk}).area == tree.committee


def test_revoked_grants_give_no_scope(tree, owner):
    from django.utils import timezone

    owner.role_grants.update(revoked_at=timezone.now())
    assert resolve_scope(owner, {}) is NO_SCOPE


def test_capabilities_come_from_the_role(tree, owner, colleague):
    worker = resolve_scope(owner, {})
    lead = resolve_scope(colleague, {})
    assert worker.can(Capability.VIEW_PEOPLE) and not worker.can(Capability.READ_AUDIT)
    assert lead.can(Capability.READ_AUDIT)


def test_every_mulin_model_declares_how_it_is_scoped():
    """A model that a staff page could list must say which area it belongs to."""
    from django.apps import apps
    from django.conf import settings

    missing = [
        m.__name__
        for app in settings.MULIN_APPS
        for m in apps.get_app_config(app).get_models()
        if not getattr(m, "scope_path", None)
    ]
    assert missing == []


def test_middleware_puts_the_scope_on_the_request(tree, owner, rf: RequestFactory):
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.middleware import ActiveRoleMiddleware

    request = rf.get("/")
    request.user = owner
    request.session = SessionStore()
    ActiveRoleMiddleware(lambda r: r)(request)
    scope = request.scope  # type: ignore[attr-defined]  # set by the middleware
    assert scope.area == tree.committee
    assert isinstance(scope.area, models.Model)
