"""Subsidy rules: what a street or district pays towards its diners' meals, from a date.

A rule is set by staff with ``Capability.RUN_MEALS`` whose active role is held over a street,
a district or the city, for the diners living in that area or one of the areas under it (a
committee of the street): by age band, by registry tags (any of), by meals, an amount per meal,
a monthly cap per diner, and the funder who pays it. Matching an order is ``meals.pricing``'s.

**No two rules of one funder overlap**: the same funder, areas one inside the other, dates,
age bands and meals that meet, and the same tags (or one of them without tags) would leave it
unclear which applies; the second is refused, naming the first and its dates.

**A rule that has paid towards an order is never changed**: the orders keep what it gave. It
is ended (not before the last day it already paid for) and a new rule is made from a date. A
rule not yet used may be changed or deleted.

Committees' staff read the rules that cover them; they do not set them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, AreaLevel, ancestor_paths
from common.scope import Capability, Scope
from meals import pricing
from meals.models import Diner, MealKind, OrderSubsidy, SubsidyRule
from registry.models import Tag

SETTING_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET)
RULE_AREA_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMITTEE)
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("999.99")
MAX_CAP = Decimal("99999.99")
MAX_AGE = 150
NAME_MAX = 80


# --- Who may do what -------------------------------------------------------------------------


def sets_rules(scope: Scope, area: Area | None = None) -> bool:
    """Staff of a street, district or city who run meals; over ``area`` when given."""
    if not scope.can(Capability.RUN_MEALS) or scope.area is None:
        return False
    if scope.area.level not in SETTING_LEVELS:
        return False
    return area is None or scope.covers(area)


def seen_q(scope: Scope, lookup: str = "area__path") -> Q:
    """The rules staff who run meals read: their area's and those of the areas above it."""
    if not scope.can(Capability.RUN_MEALS) or not scope.path:
        return Q(pk__in=[])
    return Q(**{f"{lookup}__startswith": scope.path}) | Q(**{f"{lookup}__in": ancestor_paths(scope.path)})


def seen_by(scope: Scope) -> QuerySet[SubsidyRule]:
    return SubsidyRule.objects.filter(seen_q(scope)).select_related("area")


def areas_for(scope: Scope) -> QuerySet[Area]:
    """The areas a rule may be set for: the role's area and the official areas under it."""
    if not sets_rules(scope):
        return Area.objects.none()
    return (
        Area.objects.active()
        .filter(path__startswith=scope.path or "", level__in=RULE_AREA_LEVELS)
        .order_by("path")
    )


# --- Checking a rule -------------------------------------------------------------------------


def _text(value: str, field: str, missing: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError({field: missing})
    if len(value) > NAME_MAX:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": NAME_MAX}})
    return value


def _listed(values, allowed: list[str], field: str) -> str:
    picked = []
    for value in values or []:
        value = (value or "").strip()
        if not value:
            continue
        if value not in allowed:
            raise ValidationError({field: _("%(value)s is not one to choose from.") % {"value": value}})
        if value not in picked:
            picked.append(value)
    return ",".join(v for v in allowed if v in picked)


def _age(value, field: str) -> int | None:
    if value is None or value == "":
        return None
    if not isinstance(value, int) or value < 0 or value > MAX_AGE:
        raise ValidationError({field: _("An age between 0 and %(n)d.") % {"n": MAX_AGE}})
    return value


def _checked(scope: Scope, fields: dict[str, Any]) -> dict[str, Any]:
    area = fields.get("area")
    if area is None:
        raise ValidationError({"area": _("Choose where the diners live.")})
    if not sets_rules(scope, area):
        raise PermissionDenied(
            _("Only a street's, district's or city's staff set subsidy rules, in their area.")
        )
    if area.level not in RULE_AREA_LEVELS:
        raise ValidationError({"area": _("A rule is for a committee, a street, a district or the city.")})
    min_age = _age(fields.get("min_age"), "min_age")
    max_age = _age(fields.get("max_age"), "max_age")
    if min_age is not None and max_age is not None and max_age < min_age:
        raise ValidationError(
            {
                "max_age": _("The age band ends (%(to)d) before it starts (%(from)d).")
                % {"to": max_age, "from": min_age}
            }
        )
    amount = fields.get("amount")
    if amount is None or not isinstance(amount, Decimal) or not (MIN_AMOUNT <= amount <= MAX_AMOUNT):
        raise ValidationError(
            {
                "amount": _("A subsidy per meal between %(low)s and %(high)s yuan.")
                % {"low": MIN_AMOUNT, "high": MAX_AMOUNT}
            }
        )
    cap = fields.get("monthly_cap")
    if cap is not None and (cap <= 0 or cap > MAX_CAP):
        raise ValidationError(
            {
                "monthly_cap": _("A monthly cap above 0 and at most %(high)s yuan, or none.")
                % {"high": MAX_CAP}
            }
        )
    valid_from = fields.get("valid_from")
    if valid_from is None:
        raise ValidationError({"valid_from": _("Give the day the rule starts.")})
    valid_until = fields.get("valid_until")
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The rule ends before it starts.")})
    return {
        "area": area,
        "name": _text(fields.get("name", ""), "name", _("Give the rule a name.")),
        "funder": _text(fields.get("funder", ""), "funder", _("Say who funds the rule.")),
        "min_age": min_age,
        "max_age": max_age,
        "tags": _listed(fields.get("tags"), Tag.values, "tags"),
        "meals": _listed(fields.get("meals"), MealKind.values, "meals"),
        "amount": amount.quantize(Decimal("0.01")),
        "monthly_cap": cap.quantize(Decimal("0.01")) if cap is not None else None,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }


def _split(text: str) -> set[str]:
    return {t for t in (text or "").split(",") if t}


def _meet(low_a, high_a, low_b, high_b) -> bool:
    """Whether two closed ranges meet; None is open-ended."""
    return (high_b is None or low_a is None or low_a <= high_b) and (
        high_a is None or low_b is None or low_b <= high_a
    )


def overlaps(data: dict[str, Any], other: SubsidyRule) -> bool:
    """Whether the rule ``data`` describes and ``other`` would both apply to one meal of one funder."""
    if other.funder != data["funder"]:
        return False
    a, b = data["area"].path, other.area.path
    if not (a.startswith(b) or b.startswith(a)):
        return False
    if not _meet(data["valid_from"], data["valid_until"], other.valid_from, other.valid_until):
        return False
    if not _meet(data["min_age"], data["max_age"], other.min_age, other.max_age):
        return False
    meals, other_meals = _split(data["meals"]), _split(other.meals)
    if meals and other_meals and not meals & other_meals:
        return False
    tags, other_tags = _split(data["tags"]), _split(other.tags)
    return not tags or not other_tags or tags == other_tags


def _period(rule: SubsidyRule) -> str:
    start = date_format(rule.valid_from, "DATE_FORMAT")
    if rule.valid_until is None:
        return _("from %(start)s on") % {"start": start}
    return _("%(start)s to %(end)s") % {"start": start, "end": date_format(rule.valid_until, "DATE_FORMAT")}


def _refuse_overlap(data: dict[str, Any], exclude: int | None = None) -> None:
    others = (
        SubsidyRule.objects.filter(funder=data["funder"]).select_related("area").order_by("valid_from", "pk")
    )
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others:
        if overlaps(data, other):
            raise ValidationError(
                {
                    "__all__": _(
                        "It overlaps %(funder)s's rule “%(name)s” for %(area)s, %(period)s: "
                        "the same diners' meals would match both. End that rule first, or "
                        "narrow this one (dates, ages, tags or meals)."
                    )
                    % {
                        "funder": other.funder,
                        "name": other.name,
                        "area": other.area.name,
                        "period": _period(other),
                    }
                }
            )


# --- Using, creating, changing, ending -------------------------------------------------------


def last_used_day(rule: SubsidyRule) -> date | None:
    """The last day of a meal this rule paid towards (cancelled orders' lines aside)."""
    return OrderSubsidy.objects.filter(rule=rule, void=False).aggregate(last=Max("day"))["last"]


def is_used(rule: SubsidyRule) -> bool:
    return OrderSubsidy.objects.filter(rule=rule).exists()


def create(user: User, *, scope: Scope, **fields) -> SubsidyRule:
    data = _checked(scope, fields)
    if data["valid_from"] < timezone.localdate():
        raise ValidationError(
            {"valid_from": _("A rule starts today or later; orders already taken keep their subsidy.")}
        )
    with transaction.atomic():
        _refuse_overlap(data)
        return SubsidyRule.objects.create(created_by=user, **data)


def update(user: User, rule: SubsidyRule, *, scope: Scope, **fields) -> SubsidyRule:
    """Change a rule no order has used; a used rule is ended and a new one made."""
    if not sets_rules(scope, rule.area):
        raise PermissionDenied(
            _("Only a street's, district's or city's staff set subsidy rules, in their area.")
        )
    data = _checked(scope, fields)
    with transaction.atomic():
        rule = SubsidyRule.objects.select_for_update().select_related("area").get(pk=rule.pk)
        if is_used(rule):
            raise ValidationError(
                {
                    "__all__": _(
                        "Orders have used this rule: it is no longer changed. "
                        "End it and make a new rule from a date."
                    )
                }
            )
        _refuse_overlap(data, exclude=rule.pk)
        for key, value in data.items():
            setattr(rule, key, value)
        rule.save()
    return rule


def delete(user: User, rule: SubsidyRule, *, scope: Scope) -> None:
    if not sets_rules(scope, rule.area):
        raise PermissionDenied(
            _("Only a street's, district's or city's staff set subsidy rules, in their area.")
        )
    with transaction.atomic():
        rule = SubsidyRule.objects.select_for_update().get(pk=rule.pk)
        if is_used(rule):
            raise ValidationError(
                {"__all__": _("Orders have used this rule: end it instead of deleting it.")}
            )
        rule.delete()


def end(user: User, rule: SubsidyRule, *, scope: Scope, until: date | None) -> SubsidyRule:
    """The rule's last day: not before the last day it already paid for, nor after its end."""
    if not sets_rules(scope, rule.area):
        raise PermissionDenied(
            _("Only a street's, district's or city's staff set subsidy rules, in their area.")
        )
    if until is None:
        raise ValidationError({"valid_until": _("Give the rule's last day.")})
    with transaction.atomic():
        rule = SubsidyRule.objects.select_for_update().select_related("area").get(pk=rule.pk)
        if until < rule.valid_from:
            raise ValidationError(
                {
                    "valid_until": _("The rule starts on %(day)s; it cannot end before that.")
                    % {"day": date_format(rule.valid_from, "DATE_FORMAT")}
                }
            )
        if rule.valid_until is not None and until > rule.valid_until:
            raise ValidationError(
                {
                    "valid_until": _("The rule already ends on %(day)s.")
                    % {"day": date_format(rule.valid_until, "DATE_FORMAT")}
                }
            )
        last = last_used_day(rule)
        if last is not None and until < last:
            raise ValidationError(
                {
                    "valid_until": _(
                        "Orders for %(day)s already have this rule's subsidy; end it on that day or later."
                    )
                    % {"day": date_format(last, "DATE_FORMAT")}
                }
            )
        rule.valid_until = until
        rule.save(update_fields=["valid_until"])
    return rule


def successor_initial(rule: SubsidyRule) -> dict[str, Any]:
    """A new rule's form, filled from ``rule``, starting the day after it ends (or tomorrow)."""
    start = (rule.valid_until or timezone.localdate()) + timedelta(days=1)
    return {
        "area": rule.area_id,
        "name": rule.name,
        "funder": rule.funder,
        "min_age": rule.min_age,
        "max_age": rule.max_age,
        "tags": rule.tag_list,
        "meals": rule.meal_list,
        "amount": rule.amount,
        "monthly_cap": rule.monthly_cap,
        "valid_from": max(start, timezone.localdate()),
    }


# --- What a rule has paid, whom it covers ----------------------------------------------------


@dataclass(frozen=True)
class Paid:
    orders: int
    diners: int
    amount: Decimal
    last_day: date | None


def paid_this_month(rule: SubsidyRule, day: date | None = None) -> Paid:
    """Orders, diners and yuan this month, and the last day used at all: one query."""
    first, following = pricing.month_bounds(day or timezone.localdate())
    month = Q(day__gte=first, day__lt=following)
    found = OrderSubsidy.objects.filter(rule=rule, void=False).aggregate(
        orders=Count("pk", filter=month),
        diners=Count("diner", filter=month, distinct=True),
        amount=Sum("amount", filter=month),
        last=Max("day"),
    )
    return Paid(
        found["orders"],
        found["diners"],
        (found["amount"] or pricing.ZERO).quantize(Decimal("0.01")),
        found["last"],
    )


def covered_diners(rule: SubsidyRule, day: date | None = None) -> list[Diner]:
    """The registered diners living in the rule's area whom it would cover on ``day`` (today, or
    its first day when it starts later), its cap aside: two queries however many diners."""
    day = max(day or timezone.localdate(), rule.valid_from)
    meal = rule.meal_list[0] if rule.meal_list else MealKind.LUNCH
    found = (
        Diner.objects.current()
        .filter(resident__household__building__path__startswith=rule.area.path)
        .select_related("resident__household__building")
        .prefetch_related("resident__tags")
        .order_by("pk")
    )
    return [d for d in found if pricing.rule_applies(rule, d.resident, meal, day)]
