"""Browsing and searching the area tree through the API, within what each user may see."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from areas.models import AreaLevel
from tests.api.conftest import api_client
from tests.factories import UserFactory, grant, local, official


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


# --- Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["ycxc", "yanchang", "YanChang", "延长", "延长新村居委会"])
def test_a_committee_is_found_by_name_pinyin_and_initials(owner_api, q):
    assert "延长新村居委会" in names(owner_api.get("/api/v1/areas/", {"q": q}))


def test_a_code_prefix_finds_the_street_first_then_its_committees(owner_api):
    found = names(owner_api.get("/api/v1/areas/", {"q": "310106019"}))
    assert found[0] == "大宁路街道"
    assert set(found[1:3]) == {"延长新村居委会", "慧芝湖花园居委会"}
    assert "静安区" not in found and "公交新村居委会" not in found


def test_an_exact_name_comes_before_longer_names_that_contain_it(owner_api, tree):
    official(
        "310106019999", "大宁路街道", AreaLevel.COMMITTEE, tree.street
    )  # a committee named like its street
    found = owner_api.get("/api/v1/areas/", {"q": "大宁路街道"}).json()["items"]
    assert [a["code"] for a in found[:2]] == ["310106019", "310106019999"]


def test_a_search_result_says_what_the_area_is(owner_api):
    [item] = owner_api.get("/api/v1/areas/", {"q": "310106019001", "level": "committee"}).json()["items"]
    assert item == {
        "code": "310106019001",
        "name": "延长新村居委会",
        "level": "committee",
        "level_label": "Committee",
        "official": True,
        "parent_code": "310106019",
        "depth": 3,
        "pinyin": "yanchangxincunjuweihui",
        "retired": False,
        "child_count": 1,
    }


def test_results_come_in_pages_with_the_total(owner_api):
    first = owner_api.get("/api/v1/areas/", {"page_size": 2}).json()
    second = owner_api.get("/api/v1/areas/", {"page_size": 2, "page": 2}).json()
    assert first["count"] == second["count"] > 4
    assert [a["name"] for a in first["items"]] == ["上海市", "静安区"]
    assert len(second["items"]) == 2 and second["items"][0]["name"] not in {"上海市", "静安区"}


def test_filters_by_level_parent_and_subtree(owner_api, tree):
    assert names(owner_api.get("/api/v1/areas/", {"level": "district"})) == ["静安区", "杨浦区"]
    assert names(owner_api.get("/api/v1/areas/", {"parent": "310106"})) == ["大宁路街道"]
    within = names(owner_api.get("/api/v1/areas/", {"within": "310106019", "level": "committee"}))
    assert within == ["延长新村居委会", "慧芝湖花园居委会"]


def test_retired_areas_are_left_out_unless_asked_for(owner_api, tree):
    tree.neighbour.retired_at = timezone.now()
    tree.neighbour.save()
    assert "慧芝湖花园居委会" not in names(owner_api.get("/api/v1/areas/", {"q": "慧芝湖"}))
    [item] = owner_api.get("/api/v1/areas/", {"q": "慧芝湖花园居委会", "include_retired": "true"}).json()[
        "items"
    ]
    assert item["retired"] is True


def test_bad_filters_say_which_field_is_wrong(owner_api):
    response = owner_api.get("/api/v1/areas/", {"level": "province"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Some input is not valid. level:")
    assert body["errors"][0]["loc"] == ["query", "level"]

    response = owner_api.get("/api/v1/areas/", {"q": "大宁\n"})
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "The search text has a control character (such as a line break) in it.",
    )
    assert owner_api.get("/api/v1/areas/", {"q": "x" * 101}).status_code == 422
    assert owner_api.get("/api/v1/areas/", {"page": 0}).status_code == 422
    assert owner_api.get("/api/v1/areas/", {"page_size": 101}).status_code == 422


def test_an_unknown_parent_is_a_404_with_the_code(owner_api):
    response = owner_api.get("/api/v1/areas/", {"parent": "999999"})
    assert (response.status_code, response.json()) == (404, {"detail": "No area with code 999999."})


def test_search_takes_the_same_number_of_queries_however_many_rows_match(
    owner_api, tree, django_assert_num_queries
):
    owner_api.get("/api/v1/me")  # the token's first use is recorded; later ones within minutes are not
    # token + role grants + count + page (child counts are a subquery of the page query)
    with django_assert_num_queries(4):
        assert len(names(owner_api.get("/api/v1/areas/", {"q": "3101"}))) > 5
    for n in range(30):
        local(tree.grid, AreaLevel.BUILDING_GROUP, f"新楼组{n}", 100 + n)
    with django_assert_num_queries(4):
        assert len(names(owner_api.get("/api/v1/areas/", {"q": "新楼组"}))) == 20


# --- One area and its children ----------------------------------------------------------------


def test_an_area_comes_with_its_breadcrumb_and_child_count(owner_api, tree, django_assert_num_queries):
    owner_api.get("/api/v1/me")  # the token's first use is recorded; later ones within minutes are not
    with django_assert_num_queries(4):  # token, grants, the area with its count, the breadcrumb
        response = owner_api.get(f"/api/v1/areas/{tree.group.code}")
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["level"], body["child_count"], body["official"]) == (
        "62号楼组",
        "building_group",
        1,
        False,
    )
    assert [a["name"] for a in body["ancestors"]] == [
        "上海市",
        "静安区",
        "大宁路街道",
        "延长新村居委会",
        "第一网格",
    ]
    assert body["ancestors"][3] == {"code": "310106019001", "name": "延长新村居委会", "level": "committee"}


def test_children_come_in_the_committees_order_with_their_counts(owner_api, tree, django_assert_num_queries):
    local(tree.committee, AreaLevel.GRID, "第二网格", 2)
    tree.grid.sort_order = 5  # the committee moved its first grid down the list
    tree.grid.save()
    owner_api.get("/api/v1/me")  # the token's first use is recorded; later ones within minutes are not
    with django_assert_num_queries(5):  # token, grants, the area, count, page
        body = owner_api.get(f"/api/v1/areas/{tree.committee.code}/children").json()
    assert [(a["name"], a["child_count"]) for a in body["items"]] == [("第二网格", 0), ("第一网格", 1)]
    assert body["count"] == 2


def test_an_unknown_or_malformed_code_is_a_404_that_names_it(owner_api):
    for code in ("310106019777", "a'b", "延长", "x" * 65):
        response = owner_api.get(f"/api/v1/areas/{code}")
        assert (response.status_code, response.json()) == (404, {"detail": f"No area with code {code[:64]}."})
    assert owner_api.get("/api/v1/areas/310106019777/children").status_code == 404
    # A slash makes it another address altogether, which answers JSON as well.
    response = owner_api.get("/api/v1/areas/no%20such/thing")
    assert response.status_code == 404 and response["Content-Type"] == "application/json; charset=utf-8"


def test_an_unknown_api_address_answers_json(owner_api):
    response = owner_api.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no API endpoint at this address; see /api/v1/docs."}


# --- Who sees what ----------------------------------------------------------------------------


def test_local_units_are_hidden_from_the_neighbouring_committees_social_worker(outsider_api, tree):
    assert outsider_api.get(f"/api/v1/areas/{tree.group.code}").json() == {
        "detail": f"No area with code {tree.group.code}."
    }
    assert outsider_api.get(f"/api/v1/areas/{tree.grid.code}/children").status_code == 404
    assert names(outsider_api.get("/api/v1/areas/", {"q": "62号"})) == []
    assert names(outsider_api.get(f"/api/v1/areas/{tree.committee.code}/children")) == []
    committee = outsider_api.get(f"/api/v1/areas/{tree.committee.code}").json()
    assert committee["child_count"] == 0  # not even how many grids it has
    # Their own committee's units they do see.
    assert names(outsider_api.get("/api/v1/areas/", {"q": "慧芝湖1号"})) == ["慧芝湖1号楼组"]


def test_official_areas_are_visible_to_anyone_logged_in(resident_api, tree):
    far = resident_api.get(f"/api/v1/areas/{tree.far_committee.code}")
    assert far.status_code == 200
    assert far.json()["name"] == "公交新村居委会"


def test_a_resident_sees_the_units_of_their_own_committee_only(tree):
    in_building = UserFactory.create(home_area=tree.building)
    client = api_client(in_building)
    assert names(client.get("/api/v1/areas/", {"q": "楼组"})) == ["62号楼组"]
    assert client.get(f"/api/v1/areas/{tree.neighbour_group.code}").status_code == 404


def test_a_street_admin_sees_every_committees_units_in_the_street(tree):
    admin = UserFactory.create(home_area=tree.street)
    grant(admin, Role.STREET_ADMIN, tree.street)
    found = names(api_client(admin).get("/api/v1/areas/", {"q": "楼组"}))
    assert found == ["慧芝湖1号楼组", "62号楼组"]


def test_a_building_leaders_breadcrumb_leaves_out_the_grid_they_cannot_see(tree):
    leader = UserFactory.create(home_area=tree.neighbour)
    grant(leader, Role.BUILDING_LEADER, tree.group)
    body = api_client(leader).get(f"/api/v1/areas/{tree.building.code}").json()
    assert [a["name"] for a in body["ancestors"]] == [
        "上海市",
        "静安区",
        "大宁路街道",
        "延长新村居委会",
        "62号楼组",
    ]


def test_anonymous_visitors_are_told_to_log_in(anonymous_api, tree):
    for url in ("/api/v1/areas/", f"/api/v1/areas/{tree.committee.code}", "/api/v1/areas/3101/children"):
        response = anonymous_api.get(url)
        assert response.status_code == 401
        assert response.json()["detail"].startswith("Log in first")
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_browser_session_searches_within_its_scope_too(owner_client, tree, django_assert_num_queries):
    owner_client.get("/api/v1/me")
    # session, user, TOTP device, grants (read once for the gate and the scope), home area, count, page
    with django_assert_num_queries(7):
        response = owner_client.get("/api/v1/areas/", {"q": "楼组"})
    assert names(response) == ["62号楼组"]
