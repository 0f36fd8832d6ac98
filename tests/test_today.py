"""The social worker's today page: what to do first, from the watch, requests, visits and
activities of the active role's committee, in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from activities.models import Activity
from common.scope import NO_SCOPE
from demands import services as demands
from demands.models import Assignee, Category, Demand, DemandSource
from eldercare.checks import record_check
from eldercare.models import CheckKind, Watch, Watcher, WatcherKind
from registry.models import ResidentTag, Tag
from tests import fixtures
from tests.factories import UserFactory, grant, household, login_verified, scope_of
from tests.factories import resident as make_resident
from visits.services import PlanDraft, create_plan

english = fixtures.english
immediate_tasks = fixtures.immediate_tasks


@pytest.fixture
def afternoon(monkeypatch):
    """Today at 15:00 in Shanghai: past the day checks' cutoff, before the night's."""
    day = timezone.localdate()
    fixed = timezone.make_aware(datetime.combine(day, time(15, 0)))
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    return fixed


def watched(building, room: str, name: str, leader, since: date) -> Watch:
    person = make_resident(household(building, room), name, birth_date=date(1940, 3, 3))
    ResidentTag.objects.create(resident=person, tag=Tag.LIVING_ALONE)
    watch = Watch.objects.create(resident=person, committee=person.committee, checks_from=since)
    Watcher.objects.create(watch=watch, user=leader, kind=WatcherKind.BUILDING_LEADER)
    return watch


def add_day(tree, owner, leader, now, n: int):
    """n + 1 people watched: one reported unwell, the others not checked yet; n requests
    overdue with the worker and one new; an activity today."""
    day = timezone.localdate(now)
    category = Category.objects.get(committee=None, name="助餐")
    for i in range(n + 1):
        watch = watched(tree.building, f"{n}0{i}", f"老人{n}-{i}", leader, day - timedelta(days=7))
        if i == n:
            continue
        if i == 0:
            record_check(
                leader,
                watch,
                CheckKind.CONCERN,
                note="敲门没人应",
                now=now - timedelta(minutes=30),
                scope=NO_SCOPE,
            )
        demand = demands.log_for_resident(
            actor=owner,
            scope=scope_of(owner),
            resident=watch.resident,
            category=category,
            text=f"希望送餐 {i}",
            source=DemandSource.PHONE,
        )
        demands.assign(actor=owner, scope=scope_of(owner), demand=demand, kind=Assignee.WORKER, worker=owner)
        Demand.objects.filter(pk=demand.pk).update(due_at=now - timedelta(hours=2))
    demands.log_for_resident(
        actor=owner,
        scope=scope_of(owner),
        resident=watch.resident,
        category=category,
        text="新的诉求",
        source=DemandSource.VISIT,
    )
    Activity.objects.create(
        committee=tree.committee,
        title=f"书法课 {n}",
        place="活动室",
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        published_at=now - timedelta(days=3),
    )


@pytest.fixture
def leader(tree):
    user = UserFactory.create(name="张楼组长", home_area=tree.group)
    grant(user, Role.BUILDING_LEADER, tree.group)
    return user


@pytest.fixture
def day_of_work(tree, owner, leader, afternoon):
    add_day(tree, owner, leader, afternoon, 1)
    create_plan(
        owner,
        scope_of(owner),
        PlanDraft(
            title="四季度四百走访",
            starts_on=timezone.localdate(afternoon) - timedelta(days=7),
            ends_on=timezone.localdate(afternoon) + timedelta(days=30),
            workers=[owner],
        ),
    )
    return afternoon


def test_the_worker_sees_what_to_do_first_in_order(client, owner, day_of_work):
    login_verified(client, owner)
    response = client.get(reverse("today"))
    assert response.status_code == 200
    first = [todo.text for todo in response.context["first"]]
    assert first == [
        "1 elderly watch alert is open: find out the person is well.",
        "1 check of today is past its cutoff with nothing recorded.",
        "1 request is overdue.",
        "1 new request waits to be assigned.",
        "1 activity takes place today.",
        "2 households of your share of the visit plan are still to visit.",
    ]
    page = response.content.decode()
    assert "老人1-0" in page  # the alert, by name
    assert "希望送餐 0" in page  # the overdue request
    assert "书法课 1" in page
    assert "四季度四百走访" in page


def test_the_page_reads_a_fixed_number_of_queries(
    client, tree, owner, leader, day_of_work, django_assert_num_queries
):
    login_verified(client, owner)
    client.get(reverse("today"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("today"))
    add_day(tree, owner, leader, day_of_work, 4)
    with django_assert_num_queries(len(first)):
        response = client.get(reverse("today"))
    assert response.context["watch"].open_alerts == 2
    assert response.context["counts"]["overdue"] == 5


def test_a_building_leader_sees_their_visits_and_the_people_they_watch(client, leader, day_of_work, owner):
    login_verified(client, leader)
    response = client.get(reverse("today"))
    assert response.status_code == 200
    assert response.context["watch"] is None  # no run_watch
    assert response.context["demands"] is None  # no handle_demands
    assert response.context["planned"] is not None
    assert response.context["watching"]  # they watch 老人1-0
    assert reverse("eldercare:mine") in response.content.decode()


def test_a_calm_day_says_so(client, owner, afternoon):
    login_verified(client, owner)
    response = client.get(reverse("today"))
    assert response.context["first"] == []
    assert "Nothing needs doing first today." in response.content.decode()


def test_residents_go_home_and_visitors_log_in(client, resident, tree):
    response = client.get(reverse("today"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(resident)
    assert client.get(reverse("today"))["Location"] == reverse("home")


def test_another_committee_is_not_shown(client, outsider, day_of_work):
    login_verified(client, outsider)
    response = client.get(reverse("today"))
    assert response.context["first"] == []
    assert "老人1-0" not in response.content.decode()


def test_an_alert_of_an_earlier_day_says_which(client, tree, owner, leader, afternoon):
    """Last night's light, still open this afternoon: its date is shown, not only its time."""
    from django.utils.formats import date_format

    from eldercare.models import Alert, AlertLevel, Slot

    yesterday = timezone.localdate(afternoon) - timedelta(days=1)
    watch = watched(tree.building, "101", "刘阿姨", leader, yesterday - timedelta(days=7))
    raised = timezone.make_aware(datetime.combine(yesterday, time(20, 0)))
    Alert.objects.create(
        watch=watch,
        committee_id=watch.committee_id,
        day=yesterday,
        slot=Slot.NIGHT,
        level=AlertLevel.WORKERS,
        raised_at=raised,
        workers_due_at=raised + timedelta(hours=1),
        workers_told_at=raised + timedelta(hours=1),
        family_due_at=raised + timedelta(hours=3),
    )
    login_verified(client, owner)
    page = client.get(reverse("today")).content.decode()
    assert "刘阿姨" in page
    assert date_format(timezone.localtime(raised), "SHORT_DATETIME_FORMAT") in page


# --- Meals (issue 20): the day's deliveries ----------------------------------------------------


def test_the_days_deliveries_with_not_at_home_first(client, tree, owner, building2):
    from meals import delivery
    from meals.models import Mode
    from tests.meals.conftest import kitchen as kitchen_fixture
    from tests.meals.conftest import place, register

    world = kitchen_fixture.__wrapped__(tree)  # type: ignore[attr-defined]
    people = fixtures.people.__wrapped__(tree, building2)  # type: ignore[attr-defined]
    scope = scope_of(owner)
    route = delivery.create_route(world.point, "东线", scope=scope)
    delivery.add_stop(route, tree.building, scope=scope)
    delivery.add_stop(route, building2, scope=scope)
    day = timezone.localdate()
    run = delivery.run_for(route, day, "lunch")
    login_verified(client, owner)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("today"))
    a = world.set_meal(day)
    orders = [
        place(register(person, world.point), a, mode=Mode.DELIVERED)
        for person in (people.wang, people.li, people.zhao)
    ]
    delivery.hand_over(owner, run, orders[0].pk, scope=scope)
    delivery.not_at_home(owner, run, orders[1].pk, scope=scope)
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("today"))
    assert len(after) == len(before)
    page = response.content.decode()
    assert "1 handed over, 1 not at home, 1 left" in page
    assert response.context["first"][0].url == "#deliveries"
