"""What the social worker's today page and the queue read: due_for and queue_counts, in a
fixed number of queries, scoped."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from demands import selectors, services
from demands.models import Assignee
from tests.demands.conftest import log, submit
from tests.factories import scope_of


def _world(owner, colleague, people, n: int):
    now = timezone.now()
    scope = scope_of(owner)
    made = []
    for i in range(n):
        r = log(owner, people.zhao, "助急" if i % 2 else "政策咨询", f"第{i}件事")
        made.append(
            services.assign(
                actor=owner,
                scope=scope,
                demand=r,
                kind=Assignee.WORKER,
                worker=owner,
                now=now - timedelta(hours=5),
            )
        )
    for_colleague = log(owner, people.zhao, "助洁", "打扫")
    services.assign(actor=owner, scope=scope, demand=for_colleague, kind=Assignee.WORKER, worker=colleague)
    waiting = submit(people.wang_user, people.wang)
    return now, made, waiting


def test_due_for_lists_mine_and_the_new_overdue_first(
    owner, colleague, people, outsider, django_assert_num_queries
):
    now, made, waiting = _world(owner, colleague, people, 3)
    with django_assert_num_queries(1):
        rows = selectors.due_for(owner, scope_of(owner), now=now)
        shown = [(r.pk, r.is_overdue, r.category.name, r.resident.household.building.name) for r in rows]  # type: ignore[attr-defined]
    assert [pk for pk, *_ in shown] == [made[1].pk, *[m.pk for m in made if m.pk != made[1].pk], waiting.pk]
    assert shown[0][1] is True and shown[-1][1] is False
    assert selectors.due_for(outsider, scope_of(outsider), now=now) == []
    # The same count of queries for many rows.
    _world(owner, colleague, people, 6)
    with django_assert_num_queries(1):
        rows = selectors.due_for(owner, scope_of(owner), now=now)
        [(r.category.name, r.resident.name, r.resident.household.address) for r in rows]


def test_queue_counts(owner, colleague, people, outsider, django_assert_num_queries):
    now, _made, _waiting = _world(owner, colleague, people, 3)
    with django_assert_num_queries(1):
        counts = selectors.queue_counts(scope_of(owner), now=now)
    assert counts["new"] == 1 and counts["open"] == 5 and counts["overdue"] == 1
    assert selectors.queue_counts(scope_of(outsider), now=now)["open"] == 0


def test_categories_for_offers_defaults_in_order(tree):
    names = [c.name for c in selectors.categories_for(tree.committee)]
    assert names[:6] == ["助急", "助医", "助餐", "助洁", "助行", "助乐"] and names[-1] == "其他"
    assert selectors.categories_for(tree.committee).get(name="助急").hours == 4  # type: ignore[attr-defined]


def test_due_for_includes_what_i_handed_to_an_outside_body(owner, colleague, people):
    now = timezone.now()
    made = log(owner, people.zhao, "助急", "水管爆裂")
    services.assign(
        actor=owner, scope=scope_of(owner), demand=made, kind=Assignee.PROPERTY, name="物业", now=now
    )
    assert [r.pk for r in selectors.due_for(owner, scope_of(owner), now=now)] == [made.pk]
    assert selectors.due_for(colleague, scope_of(colleague), now=now) == []
