"""Figures per worker and per committee: open, overdue, median hours to resolve and
satisfaction over a period, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from demands import services
from demands.figures import figures
from demands.models import Assignee, Demand
from tests.demands.conftest import log, submit
from tests.factories import login, scope_of


def _resolved(owner, resident, hours: float, rating: int | None, by=None, kind=Assignee.WORKER):
    now = timezone.now()
    made = log(owner, resident, "助洁", "打扫卫生")
    Demand.objects.filter(pk=made.pk).update(created_at=now - timedelta(hours=hours))
    worker = (by or owner) if kind == Assignee.WORKER else None
    name = "" if kind == Assignee.WORKER else "物业"
    scope = scope_of(owner)
    services.assign(actor=owner, scope=scope, demand=made, kind=kind, worker=worker, name=name)
    services.resolve(actor=owner, scope=scope, demand=made, resolution="已完成", now=now)
    if rating:
        services.rate(actor=resident.user, demand=made, rating=rating)
    return made


def test_per_worker(owner, colleague, people, django_assert_num_queries):
    now = timezone.now()
    _resolved(owner, people.wang, 2, 5)
    _resolved(owner, people.wang, 4, 3)
    _resolved(owner, people.wang, 10, None)
    _resolved(owner, people.li, 6, 4, by=colleague)
    _resolved(owner, people.li, 8, 2, kind=Assignee.PROPERTY)
    late = log(owner, people.zhao, "助急", "陪同就医")
    services.assign(
        actor=owner,
        scope=scope_of(owner),
        demand=late,
        kind=Assignee.WORKER,
        worker=owner,
        now=now - timedelta(hours=6),
    )
    submit(people.wang_user, people.wang)
    with django_assert_num_queries(3):
        result = figures(scope_of(owner), now - timedelta(days=1), now + timedelta(hours=1), now=now)
    rows = {r.label: r for r in result.rows}
    mine = rows["社工甲"]
    assert (mine.received, mine.resolved, mine.open, mine.overdue) == (4, 3, 1, 1)
    assert mine.median_hours == 4.0 and mine.average_rating == 4.0 and mine.satisfied_percent == "50%"
    assert rows["书记乙"].satisfied_share == 1.0
    assert rows["Property management"].average_rating == 2.0
    assert rows["Not yet assigned"].open == 1
    total = result.total
    assert total.received == 7 and total.resolved == 5 and total.open == 2 and total.overdue == 1
    assert total.median_hours == 6.0 and total.rated == 4 and total.average_rating == 3.5


def test_a_street_sees_its_committees_side_by_side(client, owner, outsider, people, street_admin):
    _resolved(owner, people.wang, 3, 5)
    log(outsider, people.far, "助餐", "送餐")
    now = timezone.now()
    result = figures(scope_of(street_admin), now - timedelta(days=1), now + timedelta(hours=1), now=now)
    assert result.by == "committee"
    assert {r.label: r.received for r in result.rows} == {"延长新村居委会": 1, "慧芝湖花园居委会": 1}
    login(client, street_admin)
    page = client.get(reverse("demands:figures")).content.decode()
    assert "By Committee, with the total" in page and "慧芝湖花园居委会" in page


def test_the_figures_page_is_scoped(client, owner, outsider, people):
    _resolved(owner, people.wang, 3, 5)
    login(client, outsider)
    page = client.get(reverse("demands:figures")).content.decode()
    assert "社工甲" not in page and "No requests in this period" in page
    login(client, owner)
    page = client.get(
        reverse("demands:figures"), {"start": "2000-01-01", "end": "2100-01-01"}
    ).content.decode()
    assert "社工甲" in page and "100%" in page


def test_a_district_sees_its_streets_with_totals_and_links_down(
    client, tree, owner, outsider, people, django_assert_num_queries
):
    """Each level shows the level below it with a total row: a district its streets (an
    empty street too), a street its committees; the same three queries however many rows."""
    from areas.models import AreaLevel
    from tests.factories import UserFactory, grant, official

    official("310106020", "共和新路街道", AreaLevel.STREET, tree.district)
    district_admin = UserFactory.create(name="区管理员")
    grant(district_admin, Role.DISTRICT_ADMIN, tree.district)
    _resolved(owner, people.wang, 3, 5)
    log(outsider, people.far, "助餐", "送餐")
    now = timezone.now()
    scope = scope_of(district_admin)
    assert scope.area == tree.district
    with django_assert_num_queries(3):
        result = figures(scope, now - timedelta(days=1), now + timedelta(hours=1), now=now)
    assert result.by == "street"
    assert {r.label: r.received for r in result.rows} == {"大宁路街道": 2, "共和新路街道": 0}
    assert result.total.received == 2 and result.total.resolved == 1
    login(client, district_admin)
    page = client.get(reverse("demands:figures")).content.decode()
    assert "By Street / town, with the total" in page and "<tfoot>" in page
    assert "?area=310106019&amp;" in page
    down = client.get(reverse("demands:figures"), {"area": "310106019"}).content.decode()
    assert "By Committee, with the total" in down and "延长新村居委会" in down
    assert client.get(reverse("demands:figures"), {"area": "310110009"}).status_code == 404
