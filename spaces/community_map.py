"""The spaces on the community map: each current site (a service point, a centre) and each
space that stands at no site, as a pin where it was placed and in the list under the plan."""

from __future__ import annotations

from areas.models import Area
from registry.community_map import Mark, register_places
from spaces.selectors import places_on_map


def _marks(committee: Area) -> list[Mark]:
    return [
        Mark(
            place.name,
            str(place.get_kind_display()),
            place.get_absolute_url(),
            float(place.map_x) if place.map_x is not None else None,
            float(place.map_y) if place.map_y is not None else None,
        )
        for place in places_on_map(committee)
    ]


register_places(_marks)
