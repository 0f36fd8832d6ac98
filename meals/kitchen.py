"""The kitchen's sheet: for one day at one point, per meal, how many of each set meal and each
dish to cook, how many eat in, take away or are delivered, and every special need.

A dish in two set meals counts once for each order of either. Only the needs and allergies a
diner registered in the clear are shown: their health conditions (encrypted) never are. The
sheet is read in a fixed number of queries however many orders there are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from meals.models import (
    MEAL_ORDER,
    Allergen,
    DiningPoint,
    DishTag,
    MealKind,
    Mode,
    Order,
    SetMeal,
    split_list,
)


@dataclass
class Need:
    """One diner with needs or allergies, as the kitchen must see them."""

    name: str
    label: str
    mode: str
    needs: list[str]
    allergies: list[str]
    clashes: str


@dataclass
class MealSheet:
    meal: str
    meal_name: str
    total: int = 0
    set_meals: list[tuple[str, int]] = field(default_factory=list)
    dishes: list[tuple[str, int]] = field(default_factory=list)
    modes: list[tuple[str, str, int]] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)


def tag_names(values: list[str], choices) -> list[str]:
    labels = dict(choices)
    return [str(labels.get(v, v)) for v in values]


def sheet(point: DiningPoint, day: date) -> list[MealSheet]:
    """The kitchen's sheet of ``day`` at ``point``, one ``MealSheet`` per meal with orders:
    three queries (the orders, the set meals' dishes)."""
    orders = list(
        Order.objects.live()
        .filter(point=point, day=day)
        .select_related("diner__resident", "set_meal")
        .order_by("meal", "set_meal__label", "diner__resident__name", "pk")
    )
    set_meal_ids = {o.set_meal_id for o in orders}
    dishes_of: dict[int, list[str]] = defaultdict(list)
    through = SetMeal.dishes.through.objects.filter(setmeal_id__in=set_meal_ids).select_related("dish")
    for link in through.order_by("dish__name", "dish_id"):
        dishes_of[link.setmeal_id].append(link.dish.name)
    by_meal: dict[str, list[Order]] = defaultdict(list)
    for order in orders:
        by_meal[order.meal].append(order)
    meal_names = dict(MealKind.choices)
    mode_names = dict(Mode.choices)
    out = []
    for meal in sorted(by_meal, key=lambda m: MEAL_ORDER.get(m, 9)):  # type: ignore[call-overload]
        rows = by_meal[meal]
        labels: Counter[str] = Counter()
        dishes: Counter[str] = Counter()
        modes: Counter[str] = Counter()
        needs = []
        for order in rows:
            labels[order.set_meal.label] += 1
            for dish in dishes_of[order.set_meal_id]:
                dishes[dish] += 1
            modes[order.mode] += 1
            diner = order.diner
            if diner.needs or diner.allergies or order.clashes:
                needs.append(
                    Need(
                        name=diner.resident.name,
                        label=order.set_meal.label,
                        mode=str(mode_names.get(order.mode, order.mode)),
                        needs=tag_names(split_list(diner.needs), DishTag.choices),
                        allergies=tag_names(split_list(diner.allergies), Allergen.choices),
                        clashes=order.clashes,
                    )
                )
        out.append(
            MealSheet(
                meal=meal,
                meal_name=str(meal_names.get(meal, meal)),
                total=len(rows),
                set_meals=sorted(labels.items()),
                dishes=sorted(dishes.items(), key=lambda kv: (-kv[1], kv[0])),
                modes=[(m, str(mode_names[m]), modes[m]) for m in Mode.values if modes[m]],
                needs=needs,
            )
        )
    return out


def counts(point: DiningPoint, day: date) -> dict:
    """The sheet as plain data (for the API)."""
    return {
        "point": point.pk,
        "day": day,
        "meals": [
            {
                "meal": m.meal,
                "total": m.total,
                "set_meals": [{"label": label, "count": n} for label, n in m.set_meals],
                "dishes": [{"name": name, "count": n} for name, n in m.dishes],
                "modes": [{"mode": mode, "count": n} for mode, _name, n in m.modes],
                "needs": [
                    {
                        "name": n.name,
                        "label": n.label,
                        "needs": n.needs,
                        "allergies": n.allergies,
                        "clashes": n.clashes,
                    }
                    for n in m.needs
                ],
            }
            for m in sheet(point, day)
        ],
    }
