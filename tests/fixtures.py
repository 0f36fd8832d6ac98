"""The fixtures most apps' tests share, in one place. A directory takes them by naming them
in its conftest.py (``from tests.fixtures import english, immediate_tasks, people``): the two
marked autouse then apply to every test there.

- ``english``: messages and pages in English, their source language, so assertions read plainly;
- ``immediate_tasks``: the task queue runs at once, SMS are kept in memory, uploads go to a
  temporary folder;
- ``people``: a committee's residents to act on: two building groups (62号楼组 with 62号楼,
  64号楼组 with 64号楼), residents with accounts, one tagged living alone, one aged 80+, a
  daughter acting for her father, and a resident of the neighbouring committee;
- ``leader`` (64号楼组's building leader) and ``street_admin``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from registry.models import Proxy, Resident, ResidentTag, Tag
from tests.factories import UserFactory, grant, household, id_number, local
from tests.factories import resident as make_resident


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages and pages in English, their source language, so assertions read plainly."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SMS_BACKEND = "notifications.backends.LocmemSMSBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    from notifications import backends

    backends.outbox.clear()


@dataclass
class People:
    wang: Resident  # 62号楼 301, has an account
    li: Resident  # 62号楼 301, living alone tag, has an account
    zhao: Resident  # 64号楼 502, aged 80+, no account; his daughter acts for him
    sun: Resident  # 64号楼 502, no account
    far: Resident  # 慧芝湖花园, has an account
    wang_user: User
    li_user: User
    daughter: User
    far_user: User


def give_account(person: Resident, name: str, phone: str, **extra) -> User:
    user = UserFactory.create(name=name, phone=phone, home_area=person.household.building, **extra)
    person.user = user
    person.save(update_fields=["user"])
    return user


@pytest.fixture
def people(tree, building2) -> People:
    home = household(tree.building, "301")
    wang = make_resident(home, "王建国", number=id_number("1960-03-01"))
    li = make_resident(home, "李秀英", number=id_number("1962-05-01", male=False), relation="spouse")
    ResidentTag.objects.create(resident=li, tag=Tag.LIVING_ALONE)
    other = household(building2, "502")
    zhao = make_resident(other, "赵老伯", number=id_number("1940-01-02"))
    sun = make_resident(other, "孙阿姨", number=id_number("1950-01-02", male=False), relation="spouse")
    far_building = local(tree.neighbour_group, "building", "慧芝湖1号楼", 1)
    far = make_resident(household(far_building, "101"), "钱先生", number=id_number("1970-01-02"))
    wang_user = give_account(wang, "王建国", "13900001001", email="wang@example.org")
    li_user = give_account(li, "李秀英", "13900001002")
    daughter = UserFactory.create(name="赵女儿", phone="13900001003", home_area=tree.committee)
    Proxy.objects.create(resident=zhao, user=daughter, relation="女儿")
    far_user = give_account(far, "钱先生", "13900001004")
    return People(wang, li, zhao, sun, far, wang_user, li_user, daughter, far_user)


@pytest.fixture
def street_admin(tree):
    user = UserFactory.create(name="街道管理员", home_area=tree.street)
    grant(user, Role.STREET_ADMIN, tree.street)
    return user


@pytest.fixture
def leader(tree, building2):
    """The building leader of 64号楼组."""
    user = UserFactory.create(name="楼组长", home_area=building2.parent)
    grant(user, Role.BUILDING_LEADER, building2.parent)
    return user
