"""The today page's benchmark makes its working day of requests through the services, as the
staff pages do: when a service's keywords change, this fails here rather than in a bench run."""

from __future__ import annotations

import importlib
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from demands.models import Category, Demand, DemandStatus
from tests.factories import scope_of


@pytest.fixture
def bench_today_page(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(settings.BASE_DIR) / "bench"))
    return importlib.import_module("bench_today_page")


def test_the_benchmark_logs_assigns_and_resolves_requests(owner, people, bench_today_page):
    now = timezone.now()
    residents = [people.wang, people.li, people.zhao, people.sun]
    categories = list(Category.objects.filter(committee=None))
    bench_today_page.work_requests(
        owner, scope_of(owner), residents, categories, now, random.Random(1), new=1, open_=2, overdue=1
    )
    made = [Demand.objects.get(resident=r) for r in residents]
    assert [d.status for d in made] == [
        DemandStatus.NEW,
        DemandStatus.ASSIGNED,
        DemandStatus.ASSIGNED,
        DemandStatus.RESOLVED,
    ]
    assert [d.assignee for d in made] == [None, owner, owner, owner]
    assert made[1].due_at is not None and made[1].due_at < now
    assert made[2].due_at is not None and made[2].due_at > now
