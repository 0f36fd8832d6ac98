"""The service days' world: a service point of 延长新村, a service day there in two days with a
haircut stall (max 30 numbers) and a blood-pressure stall, and the residents of the notice
tests (``people``: 王建国 and 李秀英 with accounts, …)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from servicedays import planning, queue
from servicedays.models import ServiceDay, Stall
from spaces.models import Site, SiteKind
from tests import fixtures
from tests.factories import scope_of

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks
people = fixtures.people
street_admin = fixtures.street_admin


@pytest.fixture
def site(tree):
    return Site.objects.create(
        area=tree.committee, name="一号服务点", kind=SiteKind.SERVICE_POINT, address="延长路1号"
    )


@pytest.fixture
def soon():
    """9:00 two days from now, local time."""
    day = timezone.localdate() + timedelta(days=2)
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


def make_day(owner, site, starts_at, *, title="便民服务日", hours=3) -> ServiceDay:
    return planning.create_day(
        owner,
        planning.DayDraft(
            title=title, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), site=site
        ),
        scope=scope_of(owner),
    )


def make_stall(owner, day, name, **extra) -> Stall:
    draft = planning.StallDraft(name=name, staff_names=extra.pop("staff_names", "社工甲"), **extra)
    return planning.add_stall(day, draft, scope=scope_of(owner))


@pytest.fixture
def day(owner, site, soon):
    """A draft day with two stalls."""
    found = make_day(owner, site, soon)
    make_stall(owner, found, "理发", max_tickets=30)
    make_stall(owner, found, "量血压")
    return found


@pytest.fixture
def published(owner, day, people):
    return planning.publish_day(day, scope=scope_of(owner))


@pytest.fixture
def haircut(published):
    return Stall.objects.get(service_day=published, name="理发")


def opened(owner, stall: Stall) -> Stall:
    """The stall opened (the day may be two days ahead: staff open it early in tests)."""
    return queue.open_stall(owner, stall, scope=scope_of(owner))
