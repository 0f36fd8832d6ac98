"""Dishes and weekly menus: what a dining point cooks, set meal by set meal, and the residents'
view of it.

A menu is one point's week, Monday to Sunday. Staff add set meals to it per day and meal (a
label such as A or 软食, a price from 0 to 999.99 yuan, and the point's current dishes), copy
last week's into a new week, and publish it: the residents of the committees served who have
an account are told, once. A published menu may still be corrected: set meals added, dishes
swapped; but a set meal already ordered cannot be removed, and its price and label cannot
change (orders keep the price they were taken at in any case).

The ordering part asks ``set_meal_for(point, day, meal, label)`` and, when it finds none,
``menu_problem(point, day, meal)`` for the message to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import dates, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.scope import Scope
from meals.models import (
    MEAL_ORDER,
    Allergen,
    DiningPoint,
    Dish,
    DishTag,
    MealKind,
    Menu,
    PointMeal,
    SetMeal,
)
from meals.rules import keeps
from notifications.models import NotificationKind
from notifications.services import notify
from registry.models import Resident

MAX_PRICE = Decimal("999.99")
WEEKS_AHEAD = 8


@dataclass
class DishDraft:
    name: str
    tags: tuple[str, ...] = ()
    allergens: tuple[str, ...] = ()
    about: str = ""


@dataclass
class SetMealDraft:
    day: date
    meal: str
    label: str
    price: Decimal
    dishes: list[Dish] = field(default_factory=list)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def day_name(day: date) -> str:
    """周三 12-09: the weekday, translated, and the date."""
    return f"{dates.WEEKDAYS[day.weekday()]} {day:%m-%d}"


def _refuse_unless_keeps(scope: Scope, point: DiningPoint) -> None:
    if not keeps(scope, point):
        raise PermissionDenied(
            _("Only staff over %(area)s change this dining point's menus.") % {"area": point.area.name}
        )
    if point.is_closed:
        raise ValidationError(_("%(point)s is closed.") % {"point": point.name})


# --- Dishes ------------------------------------------------------------------------------------


def _check_dish(draft: DishDraft) -> None:
    errors: dict[str, str] = {}
    if not draft.name.strip():
        errors["name"] = _("Give the dish a name, e.g. 清蒸鱼.")
    unknown = [t for t in draft.tags if t not in DishTag.values]
    if unknown:
        errors["tags"] = _("Not a dish tag: %(tags)s.") % {"tags": ", ".join(unknown)}
    unknown = [a for a in draft.allergens if a not in Allergen.values]
    if unknown:
        errors["allergens"] = _("Not an allergen: %(allergens)s.") % {"allergens": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)


def _save_dish(dish: Dish, draft: DishDraft) -> Dish:
    dish.name = draft.name.strip()
    # Stored in the choices' order, so the same dish always reads the same.
    dish.tags = ",".join(t for t in DishTag.values if t in draft.tags)
    dish.allergens = ",".join(a for a in Allergen.values if a in draft.allergens)
    dish.about = draft.about.strip()
    try:
        with transaction.atomic():
            dish.save()
    except IntegrityError:
        raise ValidationError(
            {
                "name": _("%(point)s already has a dish named %(name)s.")
                % {"point": dish.point.name, "name": dish.name}
            }
        ) from None
    return dish


def create_dish(point: DiningPoint, draft: DishDraft, *, scope: Scope) -> Dish:
    _refuse_unless_keeps(scope, point)
    _check_dish(draft)
    return _save_dish(Dish(point=point), draft)


def change_dish(dish: Dish, draft: DishDraft, *, scope: Scope) -> Dish:
    """Corrects the dish everywhere it is on a menu (its tags and allergens are what the
    kitchen and the diners' needs read)."""
    _refuse_unless_keeps(scope, dish.point)
    if dish.archived_at is not None:
        raise ValidationError(_("%(dish)s is no longer cooked.") % {"dish": dish.name})
    _check_dish(draft)
    return _save_dish(dish, draft)


def archive_dish(dish: Dish, *, scope: Scope) -> Dish:
    """No longer cooked: it stays on the set meals that have it, and is left out of copies."""
    _refuse_unless_keeps(scope, dish.point)
    if dish.archived_at is None:
        dish.archived_at = timezone.now()
        dish.save(update_fields=["archived_at"])
    return dish


# --- Menus -------------------------------------------------------------------------------------


def _check_week(point: DiningPoint, week_start: date) -> None:
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _("A menu's week starts on a Monday.")})
    this_week = monday_of(timezone.localdate())
    if week_start < this_week:
        raise ValidationError({"week_start": _("That week is over.")})
    if week_start > this_week + timedelta(weeks=WEEKS_AHEAD):
        raise ValidationError({"week_start": _("At most %(n)d weeks ahead.") % {"n": WEEKS_AHEAD}})
    if Menu.objects.filter(point=point, week_start=week_start).exists():
        raise ValidationError(
            {
                "week_start": _("%(point)s already has a menu for the week of %(day)s.")
                % {"point": point.name, "day": f"{week_start:%Y-%m-%d}"}
            }
        )


@transaction.atomic
def create_menu(point: DiningPoint, week_start: date, *, scope: Scope, note: str = "") -> Menu:
    _refuse_unless_keeps(scope, point)
    _check_week(point, week_start)
    return Menu.objects.create(point=point, week_start=week_start, note=note.strip())


def _check_set_meal(menu: Menu, draft: SetMealDraft, *, current: SetMeal | None = None) -> None:
    errors: dict[str, str] = {}
    if not menu.week_start <= draft.day <= menu.week_start + timedelta(days=6):
        errors["day"] = _("A day of the week of %(day)s.") % {"day": f"{menu.week_start:%Y-%m-%d}"}
    if not PointMeal.objects.filter(point=menu.point_id, meal=draft.meal).exists():
        errors["meal"] = _("%(point)s does not serve %(meal)s.") % {
            "point": menu.point.name,
            "meal": MealKind(draft.meal).label if draft.meal in MealKind.values else draft.meal,
        }
    label = draft.label.strip()
    if not label:
        errors["label"] = _("Give the set meal a label, e.g. A or 软食.")
    elif len(label) > 20:
        errors["label"] = _("At most %(n)d characters.") % {"n": 20}
    if not Decimal("0") <= draft.price <= MAX_PRICE:
        errors["price"] = _("Between 0 and %(n)s yuan.") % {"n": MAX_PRICE}
    if not draft.dishes:
        errors["dishes"] = _("Choose at least one dish.")
    else:
        current_dishes = {d.pk for d in current.dishes.all()} if current else set()
        wrong = [
            d.name
            for d in draft.dishes
            if d.point_id != menu.point_id or (d.archived_at is not None and d.pk not in current_dishes)
        ]
        if wrong:
            errors["dishes"] = _("Not a current dish of this point: %(names)s.") % {"names": ", ".join(wrong)}
    if errors:
        raise ValidationError(errors)


def _label_taken(draft: SetMealDraft) -> ValidationError:
    return ValidationError(
        {
            "label": _("There is already a set meal %(label)s for that meal on %(day)s.")
            % {"label": draft.label.strip(), "day": day_name(draft.day)}
        }
    )


def add_set_meal(menu: Menu, draft: SetMealDraft, *, scope: Scope) -> SetMeal:
    """A set meal for one meal of one day; on a published menu too (a correction)."""
    _refuse_unless_keeps(scope, menu.point)
    _check_set_meal(menu, draft)
    try:
        with transaction.atomic():
            made = SetMeal.objects.create(
                menu=menu, day=draft.day, meal=draft.meal, label=draft.label.strip(), price=draft.price
            )
            made.dishes.set(draft.dishes)
    except IntegrityError:
        raise _label_taken(draft) from None
    return made


def change_set_meal(set_meal: SetMeal, draft: SetMealDraft, *, scope: Scope) -> SetMeal:
    """Dishes may be swapped at any time (a correction); once ordered, the price, the label,
    the day and the meal stay (orders keep their price, standing orders name the label)."""
    menu = set_meal.menu
    _refuse_unless_keeps(scope, menu.point)
    _check_set_meal(menu, draft, current=set_meal)
    label = draft.label.strip()
    if set_meal.orders.exists():
        errors = {}
        if draft.price != set_meal.price:
            errors["price"] = _("Already ordered: the price stays %(price)s 元.") % {"price": set_meal.price}
        if label != set_meal.label or draft.day != set_meal.day or draft.meal != set_meal.meal:
            errors["label"] = _("Already ordered: only its dishes may change.")
        if errors:
            raise ValidationError(errors)
    set_meal.day, set_meal.meal, set_meal.label, set_meal.price = draft.day, draft.meal, label, draft.price
    try:
        with transaction.atomic():
            set_meal.save()
            set_meal.dishes.set(draft.dishes)
    except IntegrityError:
        raise _label_taken(draft) from None
    return set_meal


@transaction.atomic
def remove_set_meal(set_meal: SetMeal, *, scope: Scope) -> None:
    _refuse_unless_keeps(scope, set_meal.menu.point)
    ordered = set_meal.orders.count()
    if ordered:
        raise ValidationError(
            _("%(n)d orders were taken for set meal %(label)s; it cannot be removed.")
            % {"n": ordered, "label": set_meal.label}
        )
    set_meal.delete()


@transaction.atomic
def copy_menu(source: Menu, week_start: date, *, scope: Scope) -> Menu:
    """A new, unpublished menu for ``week_start`` with ``source``'s set meals day by day; dishes
    no longer cooked are left out, and a set meal left with none is not copied, nor one of a
    meal the point no longer serves."""
    point = source.point
    _refuse_unless_keeps(scope, point)
    _check_week(point, week_start)
    menu = Menu.objects.create(point=point, week_start=week_start, note=source.note)
    shift = week_start - source.week_start
    served = set(point.meals.values_list("meal", flat=True))
    for old in source.set_meals.prefetch_related("dishes"):
        dishes = [d for d in old.dishes.all() if d.archived_at is None]
        if not dishes or old.meal not in served:
            continue
        new = SetMeal.objects.create(
            menu=menu, day=old.day + shift, meal=old.meal, label=old.label, price=old.price
        )
        new.dishes.set(dishes)
    return menu


def residents_served(point: DiningPoint):
    """The accounts of the living residents of the committees ``point`` serves."""
    return User.objects.filter(
        pk__in=Resident.objects.living()
        .filter(committee__in=point.serves.all(), user__isnull=False)
        .values("user_id"),
        is_active=True,
    )


@transaction.atomic
def publish(menu: Menu, *, scope: Scope, by: User | None = None) -> Menu:
    """Residents see the menu and are told, once. Refused for an empty menu."""
    _refuse_unless_keeps(scope, menu.point)
    menu = Menu.objects.select_for_update().select_related("point").get(pk=menu.pk)
    if menu.is_published:
        raise ValidationError(
            _("This menu was published on %(day)s.") % {"day": f"{menu.published_at:%Y-%m-%d}"}
        )
    if not menu.set_meals.exists():
        raise ValidationError(_("The menu has no set meals yet; add some before publishing."))
    menu.published_at = timezone.now()
    menu.published_by = by
    menu.save(update_fields=["published_at", "published_by"])
    point = menu.point
    transaction.on_commit(
        lambda: notify(
            residents_served(point),
            kind=NotificationKind.MEAL,
            title=_("%(point)s: the menu for the week of %(day)s")
            % {"point": point.name, "day": f"{menu.week_start:%m-%d}"},
            body=_("See the set meals, their dishes and prices, and order."),
            url="/meals/week/",
        )
    )
    return menu


# --- What ordering asks -----------------------------------------------------------------------


def set_meal_for(point: DiningPoint, day: date, meal: str, label: str = "") -> SetMeal | None:
    """The set meal ``label`` (blank: the first) of ``meal`` on ``day`` on ``point``'s
    published menu, or None."""
    found = SetMeal.objects.filter(
        menu__point=point, menu__published_at__isnull=False, day=day, meal=meal
    ).order_by("label", "pk")
    if label:
        found = found.filter(label=label)
    return found.select_related("menu").first()


def menu_problem(point: DiningPoint, day: date, meal: str) -> str | None:
    """Why nothing can be ordered for ``meal`` on ``day`` at ``point`` as far as the menu goes,
    or None when its published menu has a set meal for it."""
    meal_name = MealKind(meal).label if meal in MealKind.values else meal
    if not point.meals.filter(meal=meal).exists():
        return _("%(point)s does not serve %(meal)s.") % {"point": point.name, "meal": meal_name}
    menu = Menu.objects.filter(point=point, week_start=monday_of(day), published_at__isnull=False).first()
    if menu is None:
        return _("No published menu for %(day)s %(meal)s.") % {"day": day_name(day), "meal": meal_name}
    if not menu.set_meals.filter(day=day, meal=meal).exists():
        return _("The menu has no %(meal)s on %(day)s.") % {"day": day_name(day), "meal": meal_name}
    return None


# --- Reading menus ----------------------------------------------------------------------------


@dataclass
class MenuDay:
    day: date
    name: str
    meals: list[tuple[str, list[SetMeal]]]  # (meal label, set meals)


def with_set_meals(menus):
    """Menus with their point, set meals and dishes: three queries for any number."""
    return menus.select_related("point").prefetch_related(
        Prefetch(
            "set_meals", queryset=SetMeal.objects.prefetch_related("dishes").order_by("day", "label", "pk")
        )
    )


def name_tags(dishes) -> list[Dish]:
    """``dishes`` with ``tag_names`` and ``allergen_names``: their labels, for the pages."""
    for dish in dishes:
        dish.tag_names = [DishTag(t).label for t in dish.tag_list if t in DishTag.values]  # type: ignore[attr-defined]
        dish.allergen_names = [Allergen(a).label for a in dish.allergen_list if a in Allergen.values]  # type: ignore[attr-defined]
    return list(dishes)


def week_grid(menu: Menu) -> list[MenuDay]:
    """The menu day by day, each day's meals in the order they are eaten."""
    by_day: dict[date, dict[str, list[SetMeal]]] = {}
    for set_meal in menu.set_meals.all():
        name_tags(set_meal.dishes.all())
        by_day.setdefault(set_meal.day, {}).setdefault(set_meal.meal, []).append(set_meal)
    days = []
    for offset in range(7):
        day = menu.week_start + timedelta(days=offset)
        meals = by_day.get(day, {})
        ordered = sorted(meals.items(), key=lambda item: MEAL_ORDER.get(item[0], 9))  # type: ignore[call-overload]
        days.append(MenuDay(day, day_name(day), [(str(MealKind(m).label), s) for m, s in ordered]))
    return days


def published_weeks(committee_ids, today: date | None = None):
    """This week's and next week's published menus of the current points serving those
    committees, with their set meals and dishes."""
    this_week = monday_of(today or timezone.localdate())
    menus = Menu.objects.filter(
        point__in=DiningPoint.objects.current().filter(serves__in=committee_ids).values("pk"),
        published_at__isnull=False,
        week_start__in=[this_week, this_week + timedelta(days=7)],
    ).order_by("point__name", "point_id", "week_start")
    return with_set_meals(menus)
