"""The visit pages: pick a door and log a visit with JavaScript off, raise a need, the plan's
coverage page, the list of households not visited; scope and fixed query counts."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from areas.models import AreaLevel
from tests.factories import household, local, login, scope_of
from visits import services
from visits.models import Visit, VisitDemand
from visits.services import PlanDraft


def make_plan(owner, *workers):
    today = timezone.localdate()
    return services.create_plan(
        owner,
        scope_of(owner),
        PlanDraft("四百走访", today - timedelta(days=10), today + timedelta(days=80), list(workers)),
    )


def test_logging_a_visit_at_the_door_without_javascript(client, owner, homes):
    login(client, owner)
    page = client.get(reverse("visits:log"), {"building": homes.a301.building.code}).content.decode()
    assert reverse("visits:household", args=[homes.a301.pk]) in page and "never visited" in page
    url = reverse("visits:household", args=[homes.a301.pk])
    form = client.get(url).content.decode()
    assert 'type="radio"' in form and "王建国" in form and "李秀英" in form
    response = client.post(
        url,
        {
            "visited_on": timezone.localdate().isoformat(),
            "way": "door",
            "seen": [homes.wang.pk],
            "findings": "老两口身体还好，楼道灯坏了。",
            "needs": "",
        },
    )
    made = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("visits:visit", args=[made.pk])
    assert "老两口身体还好" in client.get(url).content.decode()  # the household's history


def test_a_future_date_is_refused_on_the_form(client, owner, homes):
    login(client, owner)
    response = client.post(
        reverse("visits:household", args=[homes.a301.pk]),
        {"visited_on": (timezone.localdate() + timedelta(days=2)).isoformat(), "way": "phone"},
    )
    assert response.status_code == 200 and "cannot be dated in the future" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_need_raised_from_the_form(client, owner, homes, category):
    login(client, owner)
    response = client.post(
        reverse("visits:household", args=[homes.a302.pk]),
        {
            "visited_on": timezone.localdate().isoformat(),
            "way": "door",
            "needs": "赵老伯想订助餐",
            "raise_demand": "on",
            "demand_resident": homes.zhao.pk,
            "demand_category": category.pk,
            "demand_text": "",
        },
    )
    assert response.status_code == 302
    link = VisitDemand.objects.select_related("demand").get()
    assert link.demand.text == "赵老伯想订助餐" and link.demand.resident == homes.zhao
    # And from a saved visit: a category is required.
    refused = client.post(reverse("visits:visit", args=[link.visit_id]), {"demand_text": "再要助洁"})
    assert "Choose a category of this committee" in refused.content.decode()


def test_another_committees_visit_and_household_are_not_found(client, outsider, owner, homes):
    made = services.log_visit(owner, scope_of(owner), services.VisitDraft(homes.a301, timezone.localdate()))
    login(client, outsider)
    assert client.get(reverse("visits:visit", args=[made.pk])).status_code == 404
    assert client.get(reverse("visits:household", args=[homes.a301.pk])).status_code == 404


def test_a_resident_may_not_open_the_visits(client, resident, homes):
    login(client, resident)
    assert client.get(reverse("visits:index")).status_code == 403


def test_making_a_plan_from_the_page(client, owner, colleague, homes):
    login(client, owner)
    page = client.get(reverse("visits:plan_new")).content.decode()
    assert "社工甲" in page and "书记乙" in page and "5 households" in page
    today = timezone.localdate()
    response = client.post(
        reverse("visits:plan_new"),
        {
            "title": "2026年第四季度四百走访",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
            "workers": [str(owner.pk), str(colleague.pk)],
        },
    )
    assert response.status_code == 302
    assert services.VisitPlan.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "0 of 5 households visited" in page and "62号楼组" in page and "书记乙" in page


def test_changing_a_groups_worker_from_the_page(client, owner, colleague, homes, tree):
    plan = make_plan(owner, owner)
    login(client, owner)
    url = reverse("visits:plan_shares", args=[plan.pk])
    response = client.post(
        url, {f"unit-{tree.group.pk}": str(colleague.pk), f"unit-{homes.building2.parent_id}": str(owner.pk)}
    )
    assert response.status_code == 302
    assert plan.shares.get(area=tree.group).worker == colleague


def test_the_plan_page_runs_a_fixed_number_of_queries(client, owner, tree, homes, django_assert_num_queries):
    plan = make_plan(owner, owner)
    login(client, owner)
    url = reverse("visits:plan", args=[plan.pk])
    client.get(url)
    with django_assert_num_queries(10) as few:  # frame (4), plan, coverage (3), households left (2)
        client.get(url)
    for n in range(4):
        group = local(tree.grid, AreaLevel.BUILDING_GROUP, f"{70 + n}号楼组", 70 + n)
        building = local(group, AreaLevel.BUILDING, f"{70 + n}号楼", 70 + n)
        for room in range(3):
            household(building, str(101 + room))
    services.assign_shares(scope_of(owner), plan, {})
    with django_assert_num_queries(len(few)):
        client.get(url)


def test_list_pages_run_a_fixed_number_of_queries(client, owner, homes, category, django_assert_num_queries):
    login(client, owner)
    one = services.VisitDraft(homes.a301, timezone.localdate(), seen=[homes.wang])
    services.log_visit(owner, scope_of(owner), one)
    counts = {}
    pages = [
        reverse("visits:index"),
        reverse("visits:not_visited"),
        reverse("visits:log") + f"?building={homes.a301.building.code}",
        reverse("visits:household", args=[homes.a301.pk]),  # with its history
    ]
    for url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts[url] = len(captured)
    for home in (homes.a302, homes.b101, homes.b102, homes.a301, homes.a301):
        people = list(home.residents.all())
        services.log_visit(
            owner,
            scope_of(owner),
            services.VisitDraft(
                home,
                timezone.localdate() - timedelta(days=200),
                seen=people,
                demand=services.NeedDraft(None, category, "助洁") if people else None,
            ),
        )
    for url in pages:
        with django_assert_num_queries(counts[url]):
            client.get(url)


def test_households_not_visited_for_a_while(client, owner, homes):
    services.log_visit(
        owner, scope_of(owner), services.VisitDraft(homes.a301, timezone.localdate() - timedelta(days=100))
    )
    login(client, owner)
    page = client.get(reverse("visits:not_visited")).content.decode()
    assert page.index("401") < page.index("301")  # never visited first
    assert "100 days ago" in page
    page = client.get(reverse("visits:not_visited"), {"days": "200"}).content.decode()
    assert "301" not in page.split("<tbody>")[1]


def test_correcting_a_visit_from_its_page(client, settings, owner, colleague, homes):
    made = services.log_visit(
        owner, scope_of(owner), services.VisitDraft(homes.a301, timezone.localdate(), findings="楼道灯坏了")
    )
    page = reverse("visits:visit", args=[made.pk])
    url = reverse("visits:correct", args=[made.pk])
    login(client, owner)
    assert url in client.get(page).content.decode()
    form = client.get(url).content.decode()
    assert "楼道灯坏了" in form and "王建国" in form
    refused = client.post(
        url, {"visited_on": (timezone.localdate() + timedelta(days=1)).isoformat(), "way": "door"}
    )
    assert refused.status_code == 200 and "cannot be dated in the future" in refused.content.decode()
    response = client.post(
        url,
        {
            "visited_on": timezone.localdate().isoformat(),
            "way": "outside",
            "seen": [homes.li.pk],
            "findings": "楼道灯已报修",
        },
    )
    assert response.status_code == 302 and response["Location"] == page
    made.refresh_from_db()
    assert made.findings == "楼道灯已报修" and made.way == "outside" and list(made.seen.all()) == [homes.li]
    assert "corrected" in client.get(page).content.decode()
    # The lead sees the visit but may not rewrite what someone else recorded.
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # logging out forgets every cookie
    login(client, colleague)
    assert url not in client.get(page).content.decode()
    answer = client.post(url, {"visited_on": timezone.localdate().isoformat(), "way": "door"}, follow=True)
    assert "Only whoever recorded a visit may correct it." in answer.content.decode()
    made.refresh_from_db()
    assert made.findings == "楼道灯已报修"


def test_deleting_a_plan_made_by_mistake_from_its_page(client, owner, colleague, homes):
    plan = make_plan(owner, owner, colleague)
    login(client, owner)
    edit = client.get(reverse("visits:plan_edit", args=[plan.pk])).content.decode()
    url = reverse("visits:plan_delete", args=[plan.pk])
    assert url in edit
    asking = client.get(url).content.decode()
    assert "Delete 四百走访?" in asking and "The other worker with a share is told" in asking
    assert services.VisitPlan.objects.filter(pk=plan.pk).exists()  # asking changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("visits:plans")
    assert not services.VisitPlan.objects.filter(pk=plan.pk).exists()
    assert "is deleted; the visits logged stay" in client.get(response["Location"]).content.decode()


def test_an_ended_plan_offers_no_deletion_and_refuses_one(client, owner, outsider, homes):
    today = timezone.localdate()
    plan = services.create_plan(
        owner,
        scope_of(owner),
        PlanDraft("三季度走访", today - timedelta(days=90), today - timedelta(days=1), [owner]),
    )
    login(client, owner)
    url = reverse("visits:plan_delete", args=[plan.pk])
    assert url not in client.get(reverse("visits:plan_edit", args=[plan.pk])).content.decode()
    asking = client.get(url).content.decode()
    assert "it is the record of that round of visits and stays" in asking and "Yes, delete" not in asking
    refused = client.post(url)
    assert refused.status_code == 200 and "record of that round" in refused.content.decode()
    assert services.VisitPlan.objects.filter(pk=plan.pk).exists()
    login(client, outsider)
    assert client.post(url).status_code == 404
