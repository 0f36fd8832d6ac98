"""The site shell: resident home, staff workspace, elderly mode, language, error pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from accounts.middleware import ELDERLY_COOKIE
from accounts.roles import Role
from areas.models import AreaLevel
from spaces.models import Space, SpaceKind
from tests import fixtures
from tests.factories import UserFactory, grant, local, login_verified

people = fixtures.people


def _found(pattern: str, text: str, flags: int = 0) -> str:
    """The first match of ``pattern`` in ``text``; fails the test when there is none."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"{pattern} is not on the page"
    return match[0]


def _html_tag(response) -> str:
    return _found(r"<html[^>]*>", response.content.decode())


def _nav(response, label: str) -> str:
    """The links of the navigation landmark called ``label`` ("" when there is none)."""
    match = re.search(rf'<nav[^>]*aria-label="{label}"[^>]*>(.*?)</nav>', response.content.decode(), re.S)
    return match[1] if match else ""


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- Home ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_for_a_visitor_explains_mulin_and_offers_login_and_the_elderly_switch(english):
    response = english.get("/")
    assert response.status_code == 200
    assert "Welcome to Mulin" in response.text
    assert f'href="{reverse("accounts:login")}"' in response.text
    # The 长辈版 switch is on the page itself, not hidden in a menu, and is a plain form.
    assert response.text.count(f'action="{reverse("settings:elderly_mode")}"') >= 2
    assert 'name="on" value="1"' in response.text
    assert "Elderly mode" in response.text
    assert _nav(response, "Staff") == ""


@pytest.mark.django_db
def test_home_greets_a_resident_with_their_committee(client, tree):
    resident = UserFactory.create(name="王阿姨", home_area=tree.building)
    login_verified(client, resident)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert "Hello, 王阿姨" in response.text
    assert "Your residents' committee: 延长新村居委会" in response.text
    assert "Where you live: 62号楼" in response.text
    assert f'href="{reverse("settings:index")}"' in response.text
    assert 'href="/workspace/"' not in response.text
    assert _nav(response, "Staff") == ""
    assert "Log out" in response.text


@pytest.mark.django_db
def test_home_of_a_resident_without_a_committee_says_whom_to_ask(client, db):
    login_verified(client, UserFactory.create(name="新居民", home_area=None))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert "ask the committee's office" in response.text


@pytest.mark.django_db
def test_home_of_staff_links_to_the_workspace_and_shows_the_active_role(owner_client):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = owner_client.get("/")
    assert 'href="/workspace/"' in response.text
    assert "Social worker, 延长新村居委会" in response.text


@pytest.mark.django_db
def test_staff_navigation_follows_the_capabilities_of_the_active_role(owner_client, colleague, client):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    worker_nav = _nav(owner_client.get("/"), "Staff")
    assert "Workspace" in worker_nav
    assert reverse("areas:detail", args=["310106019001"]) in worker_nav
    assert reverse("audit:log") not in worker_nav  # social workers do not read the audit log

    from django.test import Client

    lead = Client()
    login_verified(lead, colleague)
    lead.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert reverse("audit:log") in _nav(lead.get("/"), "Staff")


@pytest.mark.django_db
def test_home_makes_a_fixed_number_of_queries(client, tree, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/")

    user = UserFactory.create(home_area=tree.group)
    login_verified(client, user)
    client.get("/")
    # Session, user, TOTP device, home area, its committee, role grants (read once); the
    # resident's registry record, their notices, unread messages, coming sign-ups, the people
    # they watch (the elderly watch), the people they act for (a family member's home), their
    # next meal ordered (community meals).
    with django_assert_num_queries(13):
        client.get("/")

    # More role grants do not mean more queries.
    grant(user, Role.VOLUNTEER, tree.committee)
    with django_assert_num_queries(13) as one_grant:
        client.get("/")
    for area in (tree.neighbour, tree.street, tree.far_committee):
        grant(user, Role.VOLUNTEER, area)
    with django_assert_num_queries(len(one_grant)):
        response = client.get("/")
    assert response.status_code == 200


# --- Workspace ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_workspace_shows_the_area_its_ancestors_and_counts(owner_client):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = owner_client.get("/workspace/")
    assert response.status_code == 200
    text = response.text
    crumbs = _found(r'<nav class="breadcrumbs".*?</nav>', text, re.S)
    assert [c for c in ("上海市", "静安区", "大宁路街道", "延长新村居委会") if c in crumbs] == [
        "上海市",
        "静安区",
        "大宁路街道",
        "延长新村居委会",
    ]
    assert crumbs.index("上海市") < crumbs.index("静安区") < crumbs.index("大宁路街道")
    figures = re.sub(r"\s+", " ", _found(r'<ul class="figures">.*?</ul>', text, re.S))
    assert "1</span> Grid" in figures
    assert "1</span> Building group" in figures
    assert "1</span> Building<" in figures
    assert "Social worker" in text
    assert reverse("areas:detail", args=["310106019001"]) in text


@pytest.mark.django_db
def test_workspace_of_a_street_admin_counts_its_committees(client, tree):
    admin = UserFactory.create(name="街道甲")
    grant(admin, Role.STREET_ADMIN, tree.street)
    login_verified(client, admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = re.sub(r"\s+", " ", client.get("/workspace/").text)
    assert "2</span> Committee" in text  # 延长新村 and 慧芝湖花园, not 公交新村 in another district
    assert "2</span> Building group" in text
    assert reverse("audit:log") in text


@pytest.mark.django_db
def test_workspace_counts_leave_out_retired_areas(owner_client, tree):
    old = local(tree.committee, AreaLevel.GRID, "旧网格", 9)
    old.retire()
    text = re.sub(r"\s+", " ", owner_client.get("/workspace/").text)
    assert "1</span> 网格" in text or "1</span> Grid" in text


@pytest.mark.django_db
def test_workspace_sends_residents_home_and_visitors_to_login(client, resident):
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    login_verified(client, resident)
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_workspace_makes_a_fixed_number_of_queries(owner_client, tree, django_assert_num_queries):
    owner_client.get("/workspace/")
    # The frame, the counts, the ancestors, idle spaces, today's meals.
    with django_assert_num_queries(8) as first:
        owner_client.get("/workspace/")
    long_ago = timezone.now() - timedelta(days=40)
    for n in range(2, 8):
        grid = local(tree.committee, AreaLevel.GRID, f"网格{n}", n)
        group = local(grid, AreaLevel.BUILDING_GROUP, f"{n}号楼组", n)
        local(group, AreaLevel.BUILDING, f"{n}号楼", n)
        Space.objects.create(
            area=tree.committee, name=f"{n}号活动室", kind=SpaceKind.ROOM, created_at=long_ago
        )
    with django_assert_num_queries(len(first)):
        response = owner_client.get("/workspace/")
    assert "7</span>" in response.text
    # Six spaces nobody booked in 30 days: flagged on the tile and listed.
    assert "6 个场地30天无人预约" in response.text and "7号活动室" in response.text


# --- The meals tiles (issue 20) -------------------------------------------------------------


def _canteen(tree):
    """延长新村's canteen with a lunch today and tomorrow, set meal A at 20 yuan."""
    from meals.models import DiningPoint, MealKind, MealService, Menu, SetMeal

    point = DiningPoint.objects.create(area=tree.committee, name="延长新村长者食堂")
    point.serves.set([tree.committee])
    today = timezone.localdate()
    menu = Menu.objects.create(point=point, week_start=today - timedelta(days=today.weekday()))
    lunches = {}
    for day in (today, today + timedelta(days=1)):
        service = MealService.objects.create(point=point, day=day, meal=MealKind.LUNCH, places=300)
        set_meal = SetMeal.objects.create(menu=menu, day=day, meal=MealKind.LUNCH, label="A", price=20)
        lunches[day] = (service, set_meal)
    return point, lunches


def _order(point, diner, service, set_meal, **extra):
    from meals.models import Order, OrderedVia

    return Order.objects.create(
        service=service,
        point=point,
        day=service.day,
        meal=service.meal,
        diner=diner,
        set_meal=set_meal,
        price=set_meal.price,
        pays=set_meal.price,
        ordered_via=OrderedVia.STAFF,
        **extra,
    )


@pytest.mark.django_db
def test_workspace_meals_tile_counts_todays_meals_and_deliveries(owner_client, tree, people):
    from meals.models import Diner, Mode, OrderStatus

    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = owner_client.get("/workspace/").text
    assert reverse("meals:index") in text and "Dining points, menus, diners" in text
    point, lunches = _canteen(tree)
    service, set_meal = lunches[timezone.localdate()]
    for person, mode, status in (
        (people.wang, Mode.EAT_IN, OrderStatus.ORDERED),
        (people.zhao, Mode.DELIVERED, OrderStatus.ORDERED),
        (people.li, Mode.DELIVERED, OrderStatus.CANCELLED),  # cancelled: not counted
    ):
        diner = Diner.objects.create(resident=person, committee=tree.committee, point=point)
        _order(point, diner, service, set_meal, mode=mode, status=status)
    far = Diner.objects.create(resident=people.far, committee=tree.neighbour, point=point)
    far_point, far_lunches = _canteen_elsewhere(tree)
    _order(far_point, far, *far_lunches)  # another committee's point: not in the scope
    text = re.sub(r"\s+", " ", owner_client.get("/workspace/").text)
    assert "2 meals ordered today, 1 to deliver" in text


def _canteen_elsewhere(tree):
    from meals.models import DiningPoint, MealKind, MealService, Menu, SetMeal

    point = DiningPoint.objects.create(area=tree.neighbour, name="慧芝湖助餐点")
    today = timezone.localdate()
    menu = Menu.objects.create(point=point, week_start=today - timedelta(days=today.weekday()))
    service = MealService.objects.create(point=point, day=today, meal=MealKind.LUNCH, places=50)
    return point, (service, SetMeal.objects.create(menu=menu, day=today, meal=MealKind.LUNCH, price=15))


@pytest.mark.django_db
def test_workspace_of_a_building_leader_offers_ordering_meals(client, tree):
    leader = UserFactory.create(name="楼组长甲", home_area=tree.group)
    grant(leader, Role.BUILDING_LEADER, tree.group)
    login_verified(client, leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get("/workspace/").text
    assert reverse("meals:mine") in text and f'href="{reverse("meals:index")}"' not in text
    assert "Order meals" in text


@pytest.mark.django_db
def test_home_meals_tile_shows_the_residents_next_meal(client, tree, people):
    from meals.models import Diner, OrderStatus

    login_verified(client, people.wang_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get("/").text
    assert reverse("meals:mine") in text and "order tomorrow's lunch in two taps" in text
    point, lunches = _canteen(tree)
    diner = Diner.objects.create(resident=people.wang, committee=tree.committee, point=point)
    today, tomorrow = timezone.localdate(), timezone.localdate() + timedelta(days=1)
    _order(point, diner, *lunches[today], status=OrderStatus.SERVED)  # eaten: not the next
    _order(point, diner, *lunches[tomorrow])
    text = re.sub(r"\s+", " ", client.get("/").text)
    assert "Ordered: Lunch A," in text
    # Someone else's order is not theirs.
    login_verified(client, people.li_user)
    assert "Ordered:" not in client.get("/").text


@pytest.mark.django_db
def test_home_of_a_resident_without_a_committee_has_no_meals_tile(client, db):
    login_verified(client, UserFactory.create(name="新居民", home_area=None))
    assert reverse("meals:mine") not in client.get("/").text


# --- Elderly mode and language ----------------------------------------------------------------


@pytest.mark.django_db
def test_elderly_mode_from_the_cookie_marks_the_page(client):
    assert "elderly" not in _html_tag(client.get("/"))
    client.cookies[ELDERLY_COOKIE] = "1"
    response = client.get("/")
    assert 'class="elderly"' in _html_tag(response)
    # The switch now offers the way back.
    assert 'name="on" value="0"' in response.text


@pytest.mark.django_db
def test_elderly_mode_saved_on_the_account_marks_every_page(client, tree):
    user = UserFactory.create(home_area=tree.committee, elderly_mode=True)
    login_verified(client, user)
    for url in ("/", reverse("settings:index")):
        response = client.get(url)
        if response.status_code == 200 and "<html" in response.text:
            assert 'class="elderly"' in _html_tag(response), url


@pytest.mark.django_db
def test_chinese_is_the_default_even_when_the_browser_asks_for_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-Hans"' in _html_tag(response)
    assert "欢迎来到睦邻" in response.text
    assert "Welcome to Mulin" not in response.text
    # The way to English is right there, in its own language.
    assert 'lang="en"' in response.text and "English" in response.text


@pytest.mark.django_db
def test_language_switch_shows_english_and_back(client):
    response = client.post(reverse("settings:language"), {"language": "en", "next": "/"}, follow=True)
    assert 'lang="en"' in _html_tag(response)
    assert "Welcome to Mulin" in response.text
    response = client.post(reverse("settings:language"), {"language": "zh-hans", "next": "/"}, follow=True)
    assert 'lang="zh-Hans"' in _html_tag(response)
    assert "欢迎来到睦邻" in response.text


@pytest.mark.django_db
def test_the_elderly_switch_works_without_javascript(client):
    response = client.post(reverse("settings:elderly_mode"), {"on": "1", "next": "/"}, follow=True)
    assert 'class="elderly"' in _html_tag(response)
    response = client.post(reverse("settings:elderly_mode"), {"on": "0", "next": "/"}, follow=True)
    assert "elderly" not in _html_tag(response)


# --- Messages and error pages -----------------------------------------------------------------


@pytest.mark.django_db
def test_messages_are_announced_and_say_their_kind_in_words(client):
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]  # as MessageMiddleware does
    messages.error(request, "The mobile number 1380013800 has 10 digits; it needs 11.")
    html = Template('{% include "partials/messages.html" %}').render(RequestContext(request))
    assert 'role="status"' in html
    assert "1380013800" in html
    assert "问题：" in html  # the kind is said in words, not only by the colour


@pytest.mark.django_db
def test_unknown_pages_get_a_friendly_404(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We cannot find this page" in response.text
    assert 'href="/"' in response.text
    zh = client.get("/no-such-page/", HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=zh-hans")
    assert "找不到这个页面" in zh.text


@pytest.mark.django_db
def test_forbidden_pages_get_a_friendly_403(owner_client):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = owner_client.get(reverse("audit:log"))  # social workers do not read the log
    assert response.status_code == 403
    assert "This page is not open to you" in response.text


@pytest.mark.django_db
def test_server_error_page_is_plain_bilingual_and_touches_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "网站出了点问题" in text
    assert "Sorry, something went wrong" in text


def test_front_end_packages_come_from_npm_not_from_the_repository():
    from django.contrib.staticfiles import finders

    for path in ("vendor/htmx/htmx.min.js", "vendor/echarts/echarts.min.js"):
        found = finders.find(path)
        assert found and "node_modules" in found, path
    assert finders.find("js/mulin.js")
