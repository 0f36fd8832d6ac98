"""Registry fixtures: a second building, scopes of the shared actors, households."""

import pytest

from accounts.roles import Role
from accounts.scope import resolve_scope, scope_for_grant
from areas.models import AreaLevel
from tests import fixtures
from tests.factories import UserFactory, grant, household, local

english = fixtures.english


@pytest.fixture
def neighbour_building(tree):
    return local(tree.neighbour_group, AreaLevel.BUILDING, "慧芝湖1号楼", 1)


@pytest.fixture
def worker(owner):
    return resolve_scope(owner, {})


@pytest.fixture
def lead(colleague):
    return resolve_scope(colleague, {})


@pytest.fixture
def leader_scope(tree):
    """The building leader of 62号楼组: sees people, does not keep the registry."""
    return scope_for_grant(grant(UserFactory.create(name="楼组长"), Role.BUILDING_LEADER, tree.group))


@pytest.fixture
def neighbour_worker(outsider):
    return resolve_scope(outsider, {})


@pytest.fixture
def home(tree):
    """62号楼 301室."""
    return household(tree.building, "301")


def populate(building, households: int, *, start: int = 1, tags=("living_alone",)):
    """``households`` doors of ``building``, each with a householder (tagged) and a spouse."""
    from registry.models import Relation, ResidentTag
    from tests.factories import id_number, resident

    people = []
    for n in range(start, start + households):
        home = household(building, f"{n}01")
        head = resident(home, f"户主{n}", number=id_number("1940-01-01"))
        for tag in tags:
            ResidentTag.objects.create(resident=head, tag=tag)
        people += [
            head,
            resident(home, f"配偶{n}", number=id_number("1990-01-01", male=False), relation=Relation.SPOUSE),
        ]
    return people


@pytest.fixture
def client_for(settings):
    """A new logged-in, two-factor-verified client for ``user``, reading English."""
    from django.test import Client

    from tests.factories import login_verified

    def make(user):
        client = Client()
        login_verified(client, user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make
