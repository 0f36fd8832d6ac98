"""The care aids' world: the residents of ``tests.fixtures.people`` (王建国 64, 李秀英 living
alone, 赵老伯 86 without an account whose daughter acts for him, 孙阿姨 without an account),
延长新村's wheelchairs (two, for residents aged 60+ or disabled) and its street's hospital
bed (needs approval), and a service point to keep them at."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aids import inventory
from aids.models import AidCategory, AidItem, AidKind
from spaces.models import Site, SiteKind
from tests import fixtures
from tests.factories import scope_of

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
street_admin = fixtures.street_admin


@pytest.fixture
def site(tree):
    return Site.objects.create(area=tree.committee, name="延长新村服务站", kind=SiteKind.SERVICE_POINT)


def make_kind(owner, name="轮椅", **extra) -> AidKind:
    draft = inventory.KindDraft(
        name=name,
        category=extra.pop("category", AidCategory.WHEELCHAIR),
        loan_days=extra.pop("loan_days", 30),
        renewals=extra.pop("renewals", 1),
        renewal_days=extra.pop("renewal_days", 30),
        deposit=extra.pop("deposit", Decimal("200")),
        min_age=extra.pop("min_age", 60),
        tags=extra.pop("tags", ("disabled",)),
        needs_approval=extra.pop("needs_approval", False),
        hold_days=extra.pop("hold_days", 3),
    )
    return inventory.create_kind(draft, scope=scope_of(owner), **extra)


def add(owner, kind: AidKind, code: str, site=None) -> AidItem:
    return inventory.add_item(kind, scope=scope_of(owner), code=code, site=site)


@pytest.fixture
def wheelchairs(owner, site):
    """轮椅 of 延长新村, two items, for 60+ or disabled, 30 days, one renewal, 200 yuan."""
    kind = make_kind(owner)
    return kind, [add(owner, kind, "LY-01", site), add(owner, kind, "LY-02", site)]


@pytest.fixture
def wheelchair(wheelchairs):
    return wheelchairs[0]
