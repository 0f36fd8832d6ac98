"""Dining points, the meals they serve, pauses; dishes, weekly menus, the residents' week: the
API. The same services and rules as the pages; a point, dish, menu or set meal the user may
not see answers 404."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from areas.models import Area
from areas.schemas import AreaRef
from common.api import ERRORS, Id, id_path
from common.schemas import Clock, Day, LocalTime, Text
from common.scope import Capability, get_or_404, staff_scope
from meals import menus, points
from meals.models import Allergen, DiningPoint, Dish, DishTag, MealKind, Menu, PointKind, PointMeal, SetMeal
from meals.rules import seen_points, seen_points_q
from registry.selectors import committees_of

router = Router(tags=["meals"])
POINT_ID = id_path("A dining point's id.")
DISH_ID = id_path("A dish's id.")
MENU_ID = id_path("A weekly menu's id.")
SET_MEAL_ID = id_path("A set meal's id.")


# --- Schemas --------------------------------------------------------------------------------------


class PointMealOut(Schema):
    meal: MealKind
    places: int
    serves_from: LocalTime
    serves_until: LocalTime
    cutoff: LocalTime = Field(description="Orders for a day close at this time...")
    cutoff_days_before: int = Field(description="... on the day (0) or this many days before.")
    delivers: bool


class PointMealIn(Schema):
    meal: MealKind
    places: int = Field(..., ge=1, le=points.MAX_PLACES)
    serves_from: Clock
    serves_until: Clock
    cutoff: Clock
    cutoff_days_before: int = Field(0, ge=0, le=points.MAX_DAYS_BEFORE)
    delivers: bool = True


class MealPointOut(Schema):
    id: int
    area: AreaRef
    name: str
    kind: PointKind
    address: str
    phone: str
    about: str
    site: int | None = Field(None, alias="site_id")
    serves: list[AreaRef]
    meals: list[PointMealOut]
    paused: bool = Field(description="A paused point takes no new orders.")
    pause_reason: str
    paused_at: datetime | None
    url: str

    @staticmethod
    def resolve_serves(obj: DiningPoint) -> list[Area]:
        return list(obj.serves.all())

    @staticmethod
    def resolve_meals(obj: DiningPoint) -> list[PointMeal]:
        return list(obj.meals.all())

    @staticmethod
    def resolve_paused(obj: DiningPoint) -> bool:
        return obj.is_paused

    @staticmethod
    def resolve_url(obj: DiningPoint) -> str:
        return obj.get_absolute_url()


class MealPointIn(Schema):
    name: Text = Field(..., min_length=1, max_length=80)
    kind: PointKind = PointKind.CANTEEN
    address: Text = Field("", max_length=200)
    phone: Text = Field("", max_length=30)
    about: Text = Field("", max_length=2000)
    site: Id | None = None
    serves: list[Text] = Field(
        ..., min_length=1, max_length=50, description="Codes of the committees served."
    )


class MealPauseIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=points.MAX_REASON)


class MealDishOut(Schema):
    id: int
    point: int = Field(alias="point_id")
    name: str
    tags: list[DishTag]
    allergens: list[Allergen]
    about: str
    archived: bool

    @staticmethod
    def resolve_tags(obj: Dish) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_allergens(obj: Dish) -> list[str]:
        return obj.allergen_list

    @staticmethod
    def resolve_archived(obj: Dish) -> bool:
        return obj.archived_at is not None


class MealDishIn(Schema):
    name: Text = Field(..., min_length=1, max_length=60)
    tags: list[DishTag] = Field(default_factory=list, max_length=10)
    allergens: list[Allergen] = Field(default_factory=list, max_length=10)
    about: Text = Field("", max_length=200)


class SetMealOut(Schema):
    id: int
    day: date
    meal: MealKind
    label: str
    price: Decimal
    dishes: list[MealDishOut]

    @staticmethod
    def resolve_dishes(obj: SetMeal) -> list[Dish]:
        return list(obj.dishes.all())


class SetMealIn(Schema):
    day: Day
    meal: MealKind
    label: Text = Field(..., min_length=1, max_length=20)
    price: Decimal = Field(..., ge=0, le=menus.MAX_PRICE, decimal_places=2)
    dishes: list[Id] = Field(..., min_length=1, max_length=20)


class MealMenuBrief(Schema):
    id: int
    point: int = Field(alias="point_id")
    week_start: date
    note: str
    published: bool
    published_at: datetime | None
    url: str

    @staticmethod
    def resolve_published(obj: Menu) -> bool:
        return obj.is_published

    @staticmethod
    def resolve_url(obj: Menu) -> str:
        return obj.get_absolute_url()


class MealMenuOut(MealMenuBrief):
    point_name: str
    set_meals: list[SetMealOut]

    @staticmethod
    def resolve_point_name(obj: Menu) -> str:
        return obj.point.name

    @staticmethod
    def resolve_set_meals(obj: Menu) -> list[SetMeal]:
        return list(obj.set_meals.all())


class MealMenuIn(Schema):
    week_start: Day = Field(..., description="The Monday the week starts on.")
    note: Text = Field("", max_length=200)
    copy_from: Id | None = Field(None, description="A menu of the same point whose set meals to copy.")


# --- Lookups --------------------------------------------------------------------------------------


def _scope(request):
    return staff_scope(request, Capability.RUN_MEALS)


def _points(request):
    return seen_points(_scope(request)).select_related("area").prefetch_related("serves", "meals")


def _point(request, point_id: int) -> DiningPoint:
    return get_or_404(_points(request), _("No such dining point."), pk=point_id)


def _menu(request, menu_id: int) -> Menu:
    found = Menu.objects.filter(seen_points_q(_scope(request), "point__"), point__closed_at__isnull=True)
    return get_or_404(menus.with_set_meals(found), _("No such menu."), pk=menu_id)


def _dish(request, dish_id: int) -> Dish:
    found = Dish.objects.filter(seen_points_q(_scope(request), "point__"), point__closed_at__isnull=True)
    return get_or_404(found.select_related("point__area"), _("No such dish."), pk=dish_id)


def _set_meal(request, set_meal_id: int) -> SetMeal:
    found = SetMeal.objects.filter(
        seen_points_q(_scope(request), "menu__point__"), menu__point__closed_at__isnull=True
    )
    return get_or_404(
        found.select_related("menu__point__area").prefetch_related("dishes"),
        _("No such set meal."),
        pk=set_meal_id,
    )


def _point_draft(payload: MealPointIn, area: Area) -> points.PointDraft:
    committees = list(points.committees_to_serve(area).filter(code__in=payload.serves))
    missing = sorted(set(payload.serves) - {c.code for c in committees})
    if missing:
        raise HttpError(422, _("Not a committee of this street: %(names)s.") % {"names": ", ".join(missing)})
    site = None
    if payload.site is not None:
        site = points.sites_for(area).filter(pk=payload.site).first()
        if site is None:
            raise HttpError(
                422, _("No site with id %(id)d of %(area)s.") % {"id": payload.site, "area": area.name}
            )
    return points.PointDraft(
        name=payload.name,
        kind=payload.kind,
        address=payload.address,
        phone=payload.phone,
        about=payload.about,
        site=site,
        serves=committees,
    )


def _reload(request, point: DiningPoint) -> DiningPoint:
    return _points(request).get(pk=point.pk)


def _set_meal_draft(menu: Menu, payload: SetMealIn) -> menus.SetMealDraft:
    dishes = list(Dish.objects.filter(point=menu.point_id, pk__in=payload.dishes))
    if len(dishes) != len(set(payload.dishes)):
        raise HttpError(
            422,
            _("Not a dish of this point: %(ids)s.")
            % {"ids": ", ".join(str(i) for i in sorted(set(payload.dishes) - {d.pk for d in dishes}))},
        )
    return menus.SetMealDraft(
        day=payload.day, meal=payload.meal, label=payload.label, price=payload.price, dishes=dishes
    )


# --- Points ---------------------------------------------------------------------------------------


@router.get("/points", response={200: list[MealPointOut], **ERRORS}, summary="The dining points I run")
def list_points(request):
    return list(_points(request))


@router.post("/points", response={201: MealPointOut, **ERRORS}, summary="Open a dining point")
def create_point(request, payload: MealPointIn):
    scope = _scope(request)
    if scope.area is None:
        raise HttpError(403, _("Dining points are opened by staff running meals in a committee or street."))
    made = points.create_point(_point_draft(payload, scope.area), scope=scope)
    return Status(201, _reload(request, made))


@router.get("/points/{int:point_id}", response={200: MealPointOut, **ERRORS}, summary="One dining point")
def get_point(request, point_id: int = POINT_ID):
    return _point(request, point_id)


@router.put("/points/{int:point_id}", response={200: MealPointOut, **ERRORS}, summary="Change a dining point")
def change_point(request, payload: MealPointIn, point_id: int = POINT_ID):
    found = _point(request, point_id)
    points.change_point(found, _point_draft(payload, found.area), scope=request.scope)
    return _reload(request, found)


@router.post(
    "/points/{int:point_id}/pause", response={200: MealPointOut, **ERRORS}, summary="Pause new orders"
)
def pause_point(request, payload: MealPauseIn, point_id: int = POINT_ID):
    found = _point(request, point_id)
    points.pause(found, payload.reason, scope=request.scope)
    return _reload(request, found)


@router.post(
    "/points/{int:point_id}/resume", response={200: MealPointOut, **ERRORS}, summary="Take orders again"
)
def resume_point(request, point_id: int = POINT_ID):
    found = _point(request, point_id)
    points.resume(found, scope=request.scope)
    return _reload(request, found)


@router.get(
    "/points/{int:point_id}/meals",
    response={200: list[PointMealOut], **ERRORS},
    summary="The meals a point serves",
)
def point_meals(request, point_id: int = POINT_ID):
    return list(_point(request, point_id).meals.all())


@router.post(
    "/points/{int:point_id}/meals",
    response={200: PointMealOut, **ERRORS},
    summary="Serve a meal, or change it",
)
def set_point_meal(request, payload: PointMealIn, point_id: int = POINT_ID):
    found = _point(request, point_id)
    draft = points.MealDraft(
        meal=payload.meal,
        places=payload.places,
        serves_from=payload.serves_from,
        serves_until=payload.serves_until,
        cutoff=payload.cutoff,
        cutoff_days_before=payload.cutoff_days_before,
        delivers=payload.delivers,
    )
    return points.set_meal_served(found, draft, scope=request.scope)


# --- Dishes ---------------------------------------------------------------------------------------


def _dish_draft(payload: MealDishIn) -> menus.DishDraft:
    return menus.DishDraft(
        name=payload.name, tags=tuple(payload.tags), allergens=tuple(payload.allergens), about=payload.about
    )


@router.get(
    "/points/{int:point_id}/dishes", response={200: list[MealDishOut], **ERRORS}, summary="A point's dishes"
)
def dishes(request, point_id: int = POINT_ID):
    return list(_point(request, point_id).dishes.current())


@router.post("/points/{int:point_id}/dishes", response={201: MealDishOut, **ERRORS}, summary="Add a dish")
def create_dish(request, payload: MealDishIn, point_id: int = POINT_ID):
    return Status(
        201, menus.create_dish(_point(request, point_id), _dish_draft(payload), scope=request.scope)
    )


@router.put("/dishes/{int:dish_id}", response={200: MealDishOut, **ERRORS}, summary="Change a dish")
def change_dish(request, payload: MealDishIn, dish_id: int = DISH_ID):
    return menus.change_dish(_dish(request, dish_id), _dish_draft(payload), scope=request.scope)


@router.post(
    "/dishes/{int:dish_id}/archive", response={200: MealDishOut, **ERRORS}, summary="No longer cooked"
)
def archive_dish(request, dish_id: int = DISH_ID):
    return menus.archive_dish(_dish(request, dish_id), scope=request.scope)


# --- Menus ----------------------------------------------------------------------------------------


@router.get(
    "/points/{int:point_id}/menus",
    response={200: list[MealMenuBrief], **ERRORS},
    summary="A point's weekly menus",
)
def point_menus(request, point_id: int = POINT_ID):
    return list(_point(request, point_id).menus.order_by("-week_start"))


@router.post(
    "/points/{int:point_id}/menus",
    response={201: MealMenuOut, **ERRORS},
    summary="Start a week (or copy one)",
)
def create_menu(request, payload: MealMenuIn, point_id: int = POINT_ID):
    found = _point(request, point_id)
    if payload.copy_from is not None:
        source = found.menus.filter(pk=payload.copy_from).first()
        if source is None:
            raise HttpError(422, _("No menu with id %(id)d at this point.") % {"id": payload.copy_from})
        made = menus.copy_menu(source, payload.week_start, scope=request.scope)
    else:
        made = menus.create_menu(found, payload.week_start, scope=request.scope, note=payload.note)
    return Status(201, menus.with_set_meals(Menu.objects.filter(pk=made.pk)).get())


@router.get("/menus/{int:menu_id}", response={200: MealMenuOut, **ERRORS}, summary="One weekly menu")
def get_menu(request, menu_id: int = MENU_ID):
    return _menu(request, menu_id)


@router.post("/menus/{int:menu_id}/set-meals", response={201: SetMealOut, **ERRORS}, summary="Add a set meal")
def add_set_meal(request, payload: SetMealIn, menu_id: int = MENU_ID):
    found = _menu(request, menu_id)
    return Status(201, menus.add_set_meal(found, _set_meal_draft(found, payload), scope=request.scope))


@router.put("/set-meals/{int:set_meal_id}", response={200: SetMealOut, **ERRORS}, summary="Change a set meal")
def change_set_meal(request, payload: SetMealIn, set_meal_id: int = SET_MEAL_ID):
    found = _set_meal(request, set_meal_id)
    return menus.change_set_meal(found, _set_meal_draft(found.menu, payload), scope=request.scope)


@router.delete("/set-meals/{int:set_meal_id}", response={204: None, **ERRORS}, summary="Remove a set meal")
def remove_set_meal(request, set_meal_id: int = SET_MEAL_ID):
    menus.remove_set_meal(_set_meal(request, set_meal_id), scope=request.scope)
    return Status(204, None)


@router.post("/menus/{int:menu_id}/publish", response={200: MealMenuOut, **ERRORS}, summary="Publish a menu")
def publish_menu(request, menu_id: int = MENU_ID):
    found = _menu(request, menu_id)
    menus.publish(found, scope=request.scope, by=request.user)
    return _menu(request, menu_id)


@router.get("/week", response={200: list[MealMenuOut], **ERRORS}, summary="My week's menus")
def week(request):
    """This week's and next week's published menus of the points serving you (and those you
    act for)."""
    return list(menus.published_weeks(committees_of(request.user)))
