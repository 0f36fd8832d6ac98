"""What a meal costs a diner: the price, the subsidies that apply, what the diner pays.

A subsidy rule applies to an order when, on the meal's day, it is in force, the diner lives
under the rule's area (where they live now, not their hukou: ``Household.building``), their
age falls in the rule's band, they carry one of its tags (when it names any) and the meal is
one of its meals (when it names any).

Rules of different funders add up (a district's 80+ subsidy and a street's living-alone
top-up); of one funder's rules only the largest applies. They are applied from the widest
area down (the district's before the street's), each at most what is left of the price and
what is left of its monthly cap for that diner (the lines of the diner's other orders that
month, cancelled ones not counted). The caller holds the diner's row locked
(``meals.ordering``) so two orders at once cannot both spend the last of a cap.

The result is stored on the order (``Order.price``, ``subsidy``, ``pays`` and one
``OrderSubsidy`` per rule) and never worked out again: a later rule changes later orders only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from meals.models import Diner, OrderSubsidy, SetMeal, SubsidyRule
from registry.models import Resident

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Line:
    rule: SubsidyRule
    amount: Decimal

    @property
    def funder(self) -> str:
        return self.rule.funder


@dataclass(frozen=True)
class Quote:
    price: Decimal
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def subsidy(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def pays(self) -> Decimal:
        return self.price - self.subsidy


def month_bounds(day: date) -> tuple[date, date]:
    """The first day of ``day``'s month and the first day of the next."""
    first = day.replace(day=1)
    following = (first.replace(day=28) + (date.resolution * 4)).replace(day=1)
    return first, following


def tags_of(resident: Resident, day: date) -> set[str]:
    """The resident's registry tags on ``day``: stored ones and those of their age."""
    return {t.tag for t in resident.tags.all()} | {str(t) for t in resident.derived_tags(day)}


def rule_applies(
    rule: SubsidyRule, resident: Resident, meal: str, day: date, tags: set[str] | None = None
) -> bool:
    """Whether ``rule`` covers this resident's ``meal`` on ``day`` (its cap aside)."""
    if rule.valid_from > day or (rule.valid_until is not None and rule.valid_until < day):
        return False
    if not resident.household.building.path.startswith(rule.area.path):
        return False
    if rule.meal_list and meal not in rule.meal_list:
        return False
    if rule.min_age is not None or rule.max_age is not None:
        age = resident.age(day)
        if age is None:
            return False
        if rule.min_age is not None and age < rule.min_age:
            return False
        if rule.max_age is not None and age > rule.max_age:
            return False
    if rule.tag_list:
        tags = tags if tags is not None else tags_of(resident, day)
        if not set(rule.tag_list) & tags:
            return False
    return True


def rules_for(resident: Resident, meal: str, day: date) -> list[SubsidyRule]:
    """The rules that apply, the best of each funder, widest area first."""
    path = resident.household.building.path
    candidates = [
        rule
        for rule in SubsidyRule.objects.in_force(day).select_related("area").order_by("valid_from", "pk")
        if path.startswith(rule.area.path)
    ]
    tags = tags_of(resident, day) if any(rule.tag_list for rule in candidates) else set()
    best: dict[str, SubsidyRule] = {}
    for rule in candidates:
        if not rule_applies(rule, resident, meal, day, tags):
            continue
        held = best.get(rule.funder)
        if held is None or rule.amount > held.amount:
            best[rule.funder] = rule
    return sorted(best.values(), key=lambda r: (len(r.area.path), r.pk))


def used_this_month(diner: Diner, rule: SubsidyRule, day: date) -> Decimal:
    """What ``rule`` has already paid towards ``diner``'s meals in ``day``'s month."""
    first, following = month_bounds(day)
    total = (
        OrderSubsidy.objects.filter(diner=diner, rule=rule, day__gte=first, day__lt=following, void=False)
        .aggregate(total=Sum("amount"))
        .get("total")
    )
    return total or ZERO


def quote(diner: Diner, set_meal: SetMeal, day: date | None = None) -> Quote:
    """The price of ``set_meal`` for ``diner``, the subsidy lines and what the diner pays."""
    day = day or set_meal.day
    price = set_meal.price
    left = price
    lines: list[Line] = []
    for rule in rules_for(diner.resident, set_meal.meal, day):
        if left <= ZERO:
            break
        amount = min(rule.amount, left)
        if rule.monthly_cap is not None:
            amount = min(amount, max(rule.monthly_cap - used_this_month(diner, rule, day), ZERO))
        if amount > ZERO:
            lines.append(Line(rule, amount))
            left -= amount
    return Quote(price=price, lines=tuple(lines))
