"""What an area's level allows; templates and views ask these instead of comparing levels."""

import pytest

from areas.models import Area, AreaLevel

L = AreaLevel


@pytest.mark.parametrize(
    ("level", "grid", "group", "holds_groups", "on_map"),
    [
        (L.STREET, False, False, False, False),
        (L.COMMITTEE, False, False, True, True),
        (L.GRID, True, False, True, True),
        (L.BUILDING_GROUP, False, True, False, True),
        (L.BUILDING, False, False, False, False),
    ],
)
def test_an_areas_level_answers(level, grid, group, holds_groups, on_map):
    area = Area(level=level)
    assert area.is_grid is grid
    assert area.is_building_group is group
    assert area.holds_building_groups is holds_groups
    assert area.is_on_community_map is on_map
