"""Whether a dish suits a diner: the needs every dish must meet, the allergens none may hold.

A clash is flagged to whoever orders (the diner, their daughter, the building leader, staff
on the phone) and kept on the order for the kitchen; it never refuses the order, since a
diner may know better (a low-sugar diet on a birthday).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from meals.models import Allergen, Diner, Dish, DishTag, SetMeal


def tag_label(value: str) -> str:
    return str(DishTag(value).label) if value in DishTag.values else value


def allergen_label(value: str) -> str:
    return str(Allergen(value).label) if value in Allergen.values else value


def dish_clash(needs: Iterable[str], allergies: Iterable[str], dish: Dish) -> str:
    """ "红烧肉: not soft, not low salt; contains peanuts" or ""."""
    missing = [tag_label(n) for n in needs if n not in dish.tag_list]
    holds = [allergen_label(a) for a in allergies if a in dish.allergen_list]
    parts = []
    if missing:
        parts.append(_("not %(tags)s") % {"tags": _(", not ").join(missing)})
    if holds:
        parts.append(_("contains %(allergens)s") % {"allergens": _(", ").join(holds)})
    if not parts:
        return ""
    return _("%(dish)s: %(what)s") % {"dish": dish.name, "what": _("; ").join(parts)}


def clashes(diner: Diner, set_meal: SetMeal) -> list[str]:
    """One line per dish of ``set_meal`` that does not suit ``diner`` (dishes prefetched)."""
    if not diner.has_special_needs:
        return []
    needs, allergies = diner.need_list, diner.allergy_list
    return [text for dish in set_meal.dishes.all() if (text := dish_clash(needs, allergies, dish))]


def clash_text(diner: Diner, set_meal: SetMeal) -> str:
    """The clashes as one line for ``Order.clashes`` (at most 300 characters)."""
    return _(" · ").join(clashes(diner, set_meal))[:300]
