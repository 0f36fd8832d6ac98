"""Area pages: staff see their part of the tree, and only that part."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from areas.models import AreaLevel
from areas.services import retire_area
from tests.factories import UserFactory, grant, local, login_verified


@pytest.fixture
def staff_client(client, tree):
    """Log ``client`` in as a new user with ``role`` over ``area``, pages in English."""

    def make(role, area):
        user = UserFactory.create(home_area=tree.committee)
        grant(user, role, area)
        login_verified(client, user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def owner_en(owner_client):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return owner_client


def _url(name, area):
    return reverse(f"areas:{name}", kwargs={"code": area.code})


def test_a_committee_page_shows_where_it_lies_and_what_is_under_it(owner_en, tree):
    response = owner_en.get(_url("detail", tree.committee))

    assert response.status_code == 200
    crumbs = [(c.area.name, c.reachable) for c in response.context["crumbs"]]
    # Above the social worker's committee: named, not linked (those pages are not theirs).
    assert crumbs == [("上海市", False), ("静安区", False), ("大宁路街道", False)]
    body = response.content.decode()
    assert reverse("areas:detail", kwargs={"code": tree.district.code}) not in body
    assert f'href="{_url("detail", tree.grid)}">第一网格</a>' in body
    assert "1 unit under it" in body
    assert "Residents&#x27; committee" in body or "Residents' committee" in body
    assert "310106019001" in body


def test_a_street_admin_sees_every_committee_of_the_street_with_counts(staff_client, tree):
    local(tree.neighbour, AreaLevel.BUILDING_GROUP, "慧芝湖2号楼组", 2)
    client = staff_client(Role.STREET_ADMIN, tree.street)

    response = client.get(_url("detail", tree.street))

    children = {c.name: c.child_count for c in response.context["children"]}
    assert children == {"延长新村居委会": 1, "慧芝湖花园居委会": 2}
    assert [(c.area.name, c.reachable) for c in response.context["crumbs"]] == [
        ("上海市", False),
        ("静安区", False),
    ]
    # Official units are not changed here: no form to add to a street or rename it.
    assert response.context["new_form"] is None and response.context["edit_form"] is None


def test_retired_parts_are_marked_in_words_and_listed_last(owner_en, tree):
    second = local(tree.committee, AreaLevel.GRID, "第二网格", 2)
    retire_area(tree.grid)

    response = owner_en.get(_url("detail", tree.committee))

    assert [c.name for c in response.context["children"]] == ["第二网格", "第一网格"]
    body = response.content.decode()
    assert body.index("第二网格") < body.index("第一网格") < body.index("Retired", body.index("第一网格"))
    assert second.is_retired is False


def test_the_page_costs_the_same_queries_with_many_parts(owner_en, tree):
    url = _url("detail", tree.committee)
    owner_en.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        assert owner_en.get(url).status_code == 200
    for n in range(2, 30):
        grid = local(tree.committee, AreaLevel.GRID, f"第{n}网格", n)
        local(grid, AreaLevel.BUILDING_GROUP, f"{n}号楼组", n)
    with CaptureQueriesContext(connection) as many:
        response = owner_en.get(url)
    assert len(response.context["children"]) == 29
    assert len(many.captured_queries) == len(few.captured_queries) <= 12


@pytest.mark.parametrize("route", ["detail", "create_child", "edit", "retire", "restore"])
def test_the_neighbour_committee_and_its_parts_are_not_found(owner_en, tree, route):
    for area in (tree.neighbour, tree.neighbour_group):
        method = owner_en.post if route == "restore" else owner_en.get
        assert method(_url(route, area)).status_code == 404, (route, area.name)


def test_out_of_scope_writes_change_nothing(owner_en, tree):
    group = tree.neighbour_group
    owner_en.post(_url("edit", group), {"edit-name": "改名", "edit-sort_order": 1})
    owner_en.post(_url("retire", group), {"confirm": "yes"})
    owner_en.post(_url("create_child", group), {"new-level": AreaLevel.BUILDING, "new-name": "新楼"})
    group.refresh_from_db()
    assert (group.name, group.is_retired, group.children.count()) == ("慧芝湖1号楼组", False, 0)


def test_who_may_see_area_pages(client, tree, resident, staff_client):
    url = _url("detail", tree.committee)
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    login_verified(client, resident)
    assert client.get(url).status_code == 403
    volunteer = staff_client(Role.VOLUNTEER, tree.committee)
    response = volunteer.get(url)
    assert response.status_code == 200
    # A volunteer looks but does not change the tree.
    assert response.context["new_form"] is None
    assert (
        volunteer.post(
            _url("create_child", tree.committee), {"new-level": "grid", "new-name": "x"}
        ).status_code
        == 403
    )


# --- Search ------------------------------------------------------------------------------


def test_search_finds_by_name_code_pinyin_and_initials_within_scope(staff_client, tree):
    client = staff_client(Role.STREET_ADMIN, tree.street)
    url = reverse("areas:search")
    for text in ("延长", "yanchang", "ycxc"):
        names = [a.name for a in client.get(url, {"q": text}).context["results"]]
        assert names == ["延长新村居委会"], text
    # A code finds the unit first, then what lies under it.
    names = [a.name for a in client.get(url, {"q": "310106019001"}).context["results"]]
    assert names == ["延长新村居委会", "第一网格", "62号楼组", "62号楼"]
    # 公交新村 is in 杨浦区, outside this street.
    response = client.get(url, {"q": "公交"})
    assert response.context["results"] == []
    assert "No area in your scope matches" in response.content.decode()


def test_search_costs_the_same_queries_for_many_results(staff_client, tree):
    client = staff_client(Role.STREET_ADMIN, tree.street)
    url = reverse("areas:search")
    client.get(url, {"q": "楼"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "楼"})
    for n in range(100, 160):
        local(tree.grid, AreaLevel.BUILDING_GROUP, f"{n}号楼组", n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"q": "楼"})
    assert len(response.context["results"]) == 50
    assert "Showing the first 50" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
