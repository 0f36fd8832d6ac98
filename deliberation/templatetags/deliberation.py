"""How residents appear to each other in the deliberation hall."""

from django import template

from deliberation.selectors import public_name as _public_name

register = template.Library()


@register.filter
def public_name(opinion) -> str:
    """王** · 62号楼: the surname and the building, never the full name."""
    resident = opinion.resident
    if resident is None:
        return ""
    return f"{_public_name(resident)} · {resident.household.building.name}"
