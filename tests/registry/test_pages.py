"""The registry pages as staff use them: figures, doors, lists, search and the household card;
every list page runs a fixed number of queries however much the registry holds."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from registry.models import Relation, Resident, ResidentStatus, ResidentTag, Tag
from tests.factories import UserFactory, grant, household, id_number, login_verified, resident
from tests.registry.conftest import populate


def _text(response) -> str:
    return response.content.decode()


def test_the_registry_opens_on_the_active_roles_area(owner_client, tree):
    response = owner_client.get(reverse("registry:index"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "registry:area", args=[tree.committee.code]
    )


def test_committee_overview_counts_households_residents_tags_and_the_on_cloud_rate(
    owner_client, tree, building2
):
    people = populate(tree.building, 3) + populate(building2, 1, start=7, tags=())
    people[0].user = UserFactory.create()
    people[0].save()
    page = _text(owner_client.get(reverse("registry:area", args=[tree.committee.code])))
    assert ">4</span> households" in page and ">8</span> residents" in page
    assert "2 Building group · 2 Building" in page
    assert "12.50%" in page  # 1 verified account of 8 residents
    assert "62号楼组" in page and "64号楼组" in page
    assert ">3</span> Living alone" in page


def test_the_overview_runs_a_fixed_number_of_queries(
    owner_client, tree, building2, django_assert_num_queries
):
    url = reverse("registry:area", args=[tree.committee.code])
    populate(tree.building, 2)
    owner_client.get(url)
    # session, user, device, grants; the area, its ancestors, its parts, its units by level;
    # residents and households per building; stored and worked-out tags
    with django_assert_num_queries(12) as small:
        owner_client.get(url)
    populate(building2, 6, start=20)
    with django_assert_num_queries(len(small.captured_queries)):
        owner_client.get(url)


def test_a_building_lists_its_doors_with_the_people_behind_them(owner_client, tree):
    populate(tree.building, 2)
    moved = resident(household(tree.building, "901"), "搬走了", status=ResidentStatus.MOVED_OUT)
    page = _text(owner_client.get(reverse("registry:area", args=[tree.building.code])))
    assert "户主1" in page and "配偶2" in page and "room 901" in page
    assert moved.name not in page  # only the living are listed at their door
    assert "Living alone" in page and "Aged 80+" in page


def test_the_building_page_runs_a_fixed_number_of_queries(owner_client, tree, django_assert_num_queries):
    url = reverse("registry:area", args=[tree.building.code])
    populate(tree.building, 2)
    owner_client.get(url)
    # the frame (4), the building and its ancestors, doors, people, tags, then the figures (5)
    with django_assert_num_queries(14) as small:
        owner_client.get(url)
    populate(tree.building, 8, start=10)
    with django_assert_num_queries(len(small.captured_queries)):
        owner_client.get(url)


def test_residents_with_a_tag_and_bulk_tagging(owner_client, tree, owner):
    people = populate(tree.building, 3, tags=())
    ResidentTag.objects.create(resident=people[0], tag=Tag.LIVING_ALONE)
    url = reverse("registry:residents", args=[tree.committee.code])
    page = _text(owner_client.get(url, {"tag": "living_alone"}))
    assert "户主1" in page and "户主2" not in page
    response = owner_client.post(
        reverse("registry:bulk_tag", args=[tree.committee.code]),
        {
            "residents": [people[2].pk, people[4].pk],
            "tag": "low_income",
            "action": "add",
            "next": "tag=low_income",
        },
        follow=True,
    )
    assert "Tagged 2 residents" in _text(response)
    assert response.redirect_chain[-1][0].endswith("?tag=low_income")
    assert set(Resident.objects.with_tag(Tag.LOW_INCOME).values_list("name", flat=True)) == {"户主2", "户主3"}
    assert ResidentTag.objects.get(resident=people[2], tag=Tag.LOW_INCOME).set_by == owner


def test_the_residents_list_runs_a_fixed_number_of_queries(owner_client, tree, django_assert_num_queries):
    url = reverse("registry:residents", args=[tree.committee.code])
    populate(tree.building, 2)
    owner_client.get(url)
    # the frame (4), the area, the count, the ancestors, the page of residents, their tags
    with django_assert_num_queries(9) as small:
        owner_client.get(url)
    populate(tree.building, 10, start=10)
    with django_assert_num_queries(len(small.captured_queries)):
        owner_client.get(url)


def test_search_by_name_pinyin_initials_phone_room_and_full_number(owner_client, tree):
    home = household(tree.building, "301", unit="2")
    number = id_number("1948-02-02", male=False)
    resident(home, "王秀英", number=number, phone="13912345678")
    resident(household(tree.building, "302"), "张三")
    url = reverse("registry:search")
    for query in ("王秀", "wangxiuying", "wxy", "2345", "301", "62-2-301"):
        assert "王秀英" in _text(owner_client.get(url, {"q": query})), query
    for query in ("王秀", "wxy", "62-2-301", number, number.lower()):  # the form posts
        assert "王秀英" in _text(owner_client.post(url, {"q": query})), query
    assert "王秀英" not in _text(owner_client.get(url, {"q": "zs"}))


def test_search_never_reaches_outside_the_scope(owner_client, tree, neighbour_building):
    resident(household(neighbour_building, "101"), "隔壁的王秀英")
    assert "隔壁的王秀英" not in _text(owner_client.get(reverse("registry:search"), {"q": "王秀英"}))


def test_search_runs_one_query_for_its_results(owner_client, tree, django_assert_num_queries):
    populate(tree.building, 5)
    url = reverse("registry:search")
    owner_client.get(url, {"q": "户主"})
    with django_assert_num_queries(5):  # the frame (4) and the results with their doors
        owner_client.get(url, {"q": "户主"})


def test_the_household_card_shows_who_lives_there_and_who_lived_there(owner_client, tree, worker):
    from registry import services
    from registry.rules import PersonInput

    home = household(tree.building, "401")
    numbers = [id_number("1930-01-01"), id_number("1960-01-01")]
    head = services.add_resident(worker, home, PersonInput(name="老户主", id_number=numbers[0]))
    son = services.add_resident(
        worker, home, PersonInput(name="儿子", id_number=numbers[1], relation=Relation.CHILD)
    )
    services.move_out(worker, head, deceased=True)
    page = _text(owner_client.get(reverse("registry:household", args=[home.pk])))
    living, history = page.split("History")
    assert "儿子" in living and "老户主" not in living
    assert "老户主" in history and "Died" in history
    assert son.id_masked in page and numbers[1] not in page  # masked numbers only


def test_quick_add_makes_a_door_and_its_householder(owner_client, tree):
    url = reverse("registry:household_new", args=[tree.building.code])
    number = id_number("1950-05-05")
    response = owner_client.post(
        url,
        {
            "unit": "3",
            "room": "502",
            "name": "新住户",
            "id_number": number,
            "phone": "13900001234",
            "residence_type": "registered",
            "tags": ["living_alone"],
        },
    )
    person = Resident.objects.get(name="新住户")
    assert response.status_code == 302 and response["Location"] == reverse(
        "registry:household", args=[person.household_id]
    )
    assert (person.household.unit, person.household.room, person.relation) == ("3", "502", "householder")
    assert person.tags.filter(tag="living_alone").exists()


def test_quick_add_says_what_is_wrong_and_writes_nothing(owner_client, tree):
    url = reverse("registry:household_new", args=[tree.building.code])
    response = owner_client.post(
        url,
        {"room": "502", "name": "坏号码", "id_number": "110105194912310021", "residence_type": "registered"},
    )
    assert response.status_code == 200
    assert "check digit" in _text(response)
    assert not Resident.objects.exists()
    from registry.models import Household

    assert not Household.objects.exists()


def test_editing_keeps_the_number_unless_retyped(owner_client, tree):
    number = id_number("1950-05-05")
    person = resident(household(tree.building, "601"), "改电话", number=number)
    response = owner_client.post(
        reverse("registry:resident_edit", args=[person.pk]),
        {"name": "改电话", "phone": "13800138000", "relation": "householder", "residence_type": "registered"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    from registry import crypto

    assert person.phone == "13800138000" and crypto.decrypt(person.id_cipher) == number


def test_moving_a_resident_to_a_new_door_creates_it(owner_client, tree, building2):
    person = resident(household(tree.building, "701"), "搬家")
    response = owner_client.post(
        reverse("registry:resident_move", args=[person.pk]),
        {
            "what": "within",
            "on": "2025-03-01",
            "building": building2.pk,
            "unit": "",
            "room": "1201",
            "relation": "householder",
        },
    )
    assert response.status_code == 302, _text(response)
    person.refresh_from_db()
    assert person.household.building == building2 and person.household.room == "1201"


def test_a_building_leader_reads_the_group_but_changes_nothing(client, tree, building2):
    populate(tree.building, 1)
    populate(building2, 1, start=5)
    leader = UserFactory.create(name="楼组长")
    grant(leader, Role.BUILDING_LEADER, tree.group)
    login_verified(client, leader)
    page = _text(client.get(reverse("registry:area", args=[tree.group.code])))
    assert "户主1" not in page  # the group page shows figures, the building its people
    assert "户主1" in _text(client.get(reverse("registry:area", args=[tree.building.code])))
    assert client.get(reverse("registry:area", args=[building2.code])).status_code == 404
    assert client.get(reverse("registry:household_new", args=[tree.building.code])).status_code == 403


def test_leaders_are_appointed_from_the_groups_residents(owner_client, tree):
    people = populate(tree.building, 2)
    url = reverse("registry:leaders", args=[tree.group.code])
    response = owner_client.post(url, {"resident": people[0].pk, "position": "leader"}, follow=True)
    assert "户主1" in _text(response) and "is now in post" in _text(response)
    overview = _text(owner_client.get(reverse("registry:area", args=[tree.group.code])))
    assert "Building leader" in overview and "户主1" in overview


@pytest.mark.parametrize("name", ["registry:area", "registry:residents", "registry:map", "registry:export"])
def test_the_neighbouring_committee_is_a_404(owner_client, tree, name):
    assert owner_client.get(reverse(name, args=[tree.neighbour.code])).status_code == 404


def test_a_district_lists_its_streets_with_totals_in_fixed_queries(
    client, tree, building2, django_assert_max_num_queries
):
    """A district's registry page: each street one level below (an empty one too), linked
    down, and a total row; grouped in the database, so the query count holds."""
    from areas.models import AreaLevel
    from registry.selectors import overview
    from tests.factories import official

    official("310106020", "共和新路街道", AreaLevel.STREET, tree.district)
    populate(tree.building, 3)
    populate(building2, 1, start=7, tags=())
    # the parts, residents and households per part, stored and worked-out tags
    with django_assert_max_num_queries(5):
        result = overview(tree.district)
    rows = {row.area.name: (row.households, row.residents) for row in result.children}
    assert rows == {"大宁路街道": (4, 8), "共和新路街道": (0, 0)}
    assert (result.figures.households, result.figures.residents) == (4, 8)
    admin = UserFactory.create(name="区管理员", home_area=tree.district)
    grant(admin, Role.DISTRICT_ADMIN, tree.district)
    login_verified(client, admin)
    page = _text(client.get(reverse("registry:area", args=[tree.district.code])))
    assert "<tfoot>" in page and reverse("registry:area", args=["310106019"]) in page


def test_search_reads_full_width_digits_as_the_census_does(owner_client, tree):
    number = id_number("1948-02-02", male=False)
    resident(household(tree.building, "301", unit="2"), "王秀英", number=number, phone="13912345678")
    full_width = str.maketrans("0123456789X-", "０１２３４５６７８９Ｘ－")
    url = reverse("registry:search")
    for query in ("２３４５", "３０１", "６２－２－３０１"):
        assert "王秀英" in _text(owner_client.get(url, {"q": query})), query
    # A whole identity number is searched by POST (a query string is logged).
    assert "王秀英" in _text(owner_client.post(url, {"q": number.translate(full_width)}))
