"""The notice tests' world (residents with accounts, a daughter acting for her father, a
resident of the neighbouring committee, a street admin) plus helpers for requests."""

from __future__ import annotations

import pytest

from demands import categories, services
from demands.models import Category, DemandSource
from tests import fixtures
from tests.factories import scope_of

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
leader = fixtures.leader
street_admin = fixtures.street_admin


def category(name: str) -> Category:
    """A city-wide default category; written back first if a transactional test (a browser
    test's live server) emptied the database since the migrations wrote it."""
    if not Category.objects.filter(committee=None, name=name).exists():
        categories.ensure_defaults()
    return Category.objects.get(committee=None, name=name)


def submit(user, resident, name="物业报修", text="楼道灯坏了，晚上看不见。", **extra):
    return services.submit(actor=user, resident=resident, category=category(name), text=text, **extra)


def log(staff, resident, name="助餐", text="腿脚不便，希望有人送饭。", source=DemandSource.PHONE, **extra):
    return services.log_for_resident(
        actor=staff,
        scope=scope_of(staff),
        resident=resident,
        category=category(name),
        text=text,
        source=source,
        **extra,
    )


@pytest.fixture
def demand(people):
    """王建国's request about the stairwell light, just submitted."""
    return submit(people.wang_user, people.wang)
