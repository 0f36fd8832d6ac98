"""The community map: buildings placed or in a grid, coloured by a figure, each a link."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from areas.services import place_buildings
from registry.community_map import build_plan, steps
from registry.models import Tag
from tests.registry.conftest import populate


def test_buildings_are_coloured_by_the_chosen_tag(tree, building2):
    populate(tree.building, 3)  # three householders living alone
    populate(building2, 1, start=5, tags=())
    plan = build_plan(tree.committee, Tag.LIVING_ALONE)
    cells = {c.building.name: c for c in plan.cells}
    assert cells["62号楼"].value == 3 and cells["64号楼"].value == 0
    assert cells["62号楼"].step > cells["64号楼"].step == 0
    assert plan.placed == 0 and all(c.y > 0 for c in plan.cells)  # a tidy grid


def test_placed_buildings_stand_where_they_were_put(tree, building2, worker):
    place_buildings(
        worker,
        {tree.building.pk: (Decimal("0"), Decimal("0")), building2.pk: (Decimal("100"), Decimal("100"))},
    )
    plan = build_plan(tree.committee, "residents")
    first, second = sorted(plan.cells, key=lambda c: c.x)
    assert (first.building, second.building) == (tree.building, building2)
    assert first.x < second.x and first.y < second.y and plan.placed == 2


def test_placing_checks_the_scope_and_the_range(tree, worker, neighbour_building, leader_scope):
    with pytest.raises(ValidationError):
        place_buildings(worker, {neighbour_building.pk: (Decimal(1), Decimal(1))})
    with pytest.raises(ValidationError):
        place_buildings(worker, {tree.building.pk: (Decimal(101), Decimal(1))})
    with pytest.raises(PermissionDenied):
        place_buildings(leader_scope, {tree.building.pk: (Decimal(1), Decimal(1))})


def test_the_on_cloud_rate_is_a_percentage(tree):
    people = populate(tree.building, 2)
    from tests.factories import UserFactory

    people[0].user = UserFactory.create()
    people[0].save()
    (cell,) = build_plan(tree.committee, "on_cloud").cells
    assert cell.value == 25.0


def test_steps_are_whole_numbers_for_counts():
    assert steps(12, percent=False) == [3, 6, 9, 12, 15]
    assert steps(0, percent=False) == [1, 2, 3, 4, 5]
    assert steps(40, percent=True) == [20, 40, 60, 80, 100]


def test_the_map_page_links_every_building_and_lists_the_figures(owner_client, tree, building2):
    populate(tree.building, 2)
    page = owner_client.get(
        reverse("registry:map", args=[tree.committee.code]), {"metric": "living_alone"}
    ).content.decode()
    assert page.count(f'href="{reverse("registry:area", args=[tree.building.code])}"') >= 2  # plan and table
    assert "<svg" in page and "Living alone" in page
    # A group's map is its committee's.
    response = owner_client.get(reverse("registry:map", args=[tree.group.code]))
    assert response.status_code == 302 and tree.committee.code in response["Location"]


def test_the_map_runs_a_fixed_number_of_queries(owner_client, tree, building2, django_assert_num_queries):
    url = reverse("registry:map", args=[tree.committee.code])
    populate(tree.building, 1)
    owner_client.get(url)
    # the frame (4), the area, ancestors, buildings, values, the sites and the spaces at no site
    with django_assert_num_queries(10) as first:
        owner_client.get(url)
    populate(building2, 5, start=3)
    with django_assert_num_queries(len(first)):
        owner_client.get(url)


def test_placing_buildings_from_the_page(owner_client, tree):
    url = reverse("registry:map_place", args=[tree.committee.code])
    response = owner_client.post(url, {f"x-{tree.building.pk}": "25", f"y-{tree.building.pk}": "75"})
    assert response.status_code == 302
    tree.building.refresh_from_db()
    assert (tree.building.map_x, tree.building.map_y) == (Decimal("25"), Decimal("75"))
    bad = owner_client.post(url, {f"x-{tree.building.pk}": "abc", f"y-{tree.building.pk}": "1"})
    assert "numbers from 0 to 100" in bad.content.decode()


def test_places_other_apps_give_are_drawn_where_placed_and_listed(owner_client, tree, monkeypatch):
    """A later app (spaces) gives the committee's places; a placed one is a pin on the plan,
    every one is listed under it, with a word for those not placed yet."""
    from registry import community_map

    def places(committee):
        assert committee == tree.committee
        return [
            community_map.Mark("乐活空间", "Room", "/spaces/1/", 50, 25),
            community_map.Mark("绿萝空间", "Room", "/spaces/2/"),
        ]

    monkeypatch.setattr(community_map, "PLACES", [places])
    plan = build_plan(tree.committee, "residents")
    pinned = [m for m in plan.marks if m.placed]
    assert [m.name for m in pinned] == ["乐活空间"]
    assert 400 < pinned[0].x < 600 and plan.height >= community_map.PLAN_H
    page = owner_client.get(reverse("registry:map", args=[tree.committee.code])).content.decode()
    assert page.count('href="/spaces/1/"') == 2  # the pin and the list
    assert page.count('href="/spaces/2/"') == 1 and "not placed on the plan yet" in page
