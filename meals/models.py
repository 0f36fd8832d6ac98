"""Meal assistance (社区助餐): dining points, weekly menus, diners, orders, subsidies, delivery.

- ``DiningPoint``: a canteen (长者食堂) or a meal point (助餐点), run by a committee or a
  street, serving one or more committees. ``PointMeal`` is a meal it serves (breakfast,
  lunch, dinner) with its places, its cutoff and whether it delivers. A pause stops new
  orders; orders already taken go on.
- ``Dish`` (with tags such as soft or low salt, and allergens), ``Menu`` (a point's week,
  published to the residents it serves) and ``SetMeal`` (a day's meal: dishes and a price).
- ``MealService``: one meal of one day at one point, with its places and ``taken``, raised
  only by ``UPDATE … SET taken = taken + 1 WHERE taken < places`` under a CHECK constraint,
  so the places are never oversold however many order at once.
- ``Diner``: a resident registered for meals, with the kitchen's needs in the clear (the
  tags a dish must carry, the allergens it must not) and the health conditions behind them
  (diabetes…) encrypted like the registry's health notes, masked and revealed with a logged
  reason. Whether they need delivery, and their usual choice.
- ``StandingOrder``: every weekday (or chosen days), the usual set meal, placed before each
  cutoff by the ``place_standing_orders`` job.
- ``Order``: one diner's meal, ordered by the diner, family, a building leader or staff
  taking a phone call. It keeps its price, the subsidy, what the diner pays and how it was
  paid, worked out when ordered and never changed by a later rule (``OrderSubsidy``: which
  rule, which funder, how much).
- ``SubsidyRule``: set by a street or district from a date: by age band, tags, where the
  diner lives, meals, an amount per meal, a monthly cap, and the funder who pays it.
- ``Route`` and ``RouteStop``: delivery routes by building, in an order staff change;
  ``RouteRun`` is a route's round for one meal of one day, given to a deliverer or to a
  volunteer shift.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedModel
from audit.querysets import AuditedQuerySet


def split_list(text: str) -> list[str]:
    """A comma-separated list field as a list (tags, allergens, meals, weekdays)."""
    return [t for t in (part.strip() for part in (text or "").split(",")) if t]


class MealKind(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")


MEAL_ORDER = {MealKind.BREAKFAST: 0, MealKind.LUNCH: 1, MealKind.DINNER: 2}


class DishTag(models.TextChoices):
    """What a dish is: what a diner's needs may ask every dish to be."""

    SOFT = "soft", _("Soft")
    LOW_SALT = "low_salt", _("Low salt")
    LOW_SUGAR = "low_sugar", _("Low sugar")
    HALAL = "halal", _("Halal")
    VEGETARIAN = "vegetarian", _("Vegetarian")


class Allergen(models.TextChoices):
    PEANUT = "peanut", _("Peanuts")
    TREE_NUT = "tree_nut", _("Tree nuts")
    MILK = "milk", _("Milk")
    EGG = "egg", _("Egg")
    FISH = "fish", _("Fish")
    SHELLFISH = "shellfish", _("Shellfish")
    SOY = "soy", _("Soy")
    WHEAT = "wheat", _("Wheat (gluten)")
    SESAME = "sesame", _("Sesame")


class PointKind(models.TextChoices):
    CANTEEN = "canteen", _("Elderly canteen")
    POINT = "point", _("Meal point")


class Mode(models.TextChoices):
    EAT_IN = "eat_in", _("Eat in")
    TAKE_AWAY = "take_away", _("Take away")
    DELIVERED = "delivered", _("Delivered")


# --- Dining points ------------------------------------------------------------------------------


class DiningPointQuerySet(AuditedQuerySet["DiningPoint"]):
    def current(self) -> DiningPointQuerySet:
        return self.filter(closed_at__isnull=True)

    def serving(self, committee) -> DiningPointQuerySet:
        """The current points that serve ``committee`` (an ``areas.Area``)."""
        return self.current().filter(serves=committee)


class DiningPoint(AuditedModel):
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("run by (committee or street)")
    )
    site = models.ForeignKey(
        "spaces.Site", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("at site")
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=PointKind.choices, default=PointKind.CANTEEN)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone for orders"), max_length=30, blank=True)
    about = models.TextField(_("about"), blank=True)
    serves = models.ManyToManyField("areas.Area", related_name="+", verbose_name=_("committees served"))
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    pause_reason = models.CharField(_("why paused"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = DiningPointQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "area__path"

    class Meta:
        verbose_name = _("dining point")
        verbose_name_plural = _("dining points")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"], condition=Q(closed_at__isnull=True), name="one_open_point_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meals:point", args=[self.pk])

    @property
    def is_paused(self) -> bool:
        """A paused point takes no new orders; orders already taken are still cooked."""
        return self.paused_at is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class PointMeal(AuditedModel):
    """A meal a point serves: its places, when it is served and the cutoff for orders."""

    point = models.ForeignKey(
        DiningPoint, models.CASCADE, related_name="meals", verbose_name=_("dining point")
    )
    meal = models.CharField(_("meal"), max_length=10, choices=MealKind.choices)
    places = models.PositiveIntegerField(_("places per meal"))
    serves_from = models.TimeField(_("served from"))
    serves_until = models.TimeField(_("served until"))
    # Orders (and cancellations) for a day close at ``cutoff`` on that day, or on the day before
    # when ``cutoff_days_before`` is 1 (breakfast is ordered the evening before).
    cutoff = models.TimeField(_("order by"), default=time(9, 30))
    cutoff_days_before = models.PositiveSmallIntegerField(_("days before"), default=0)
    delivers = models.BooleanField(_("delivers this meal"), default=True)

    scope_path = "point__area__path"

    class Meta:
        verbose_name = _("meal served")
        verbose_name_plural = _("meals served")
        ordering = ["point", "serves_from", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["point", "meal"], name="one_point_meal"),
            models.CheckConstraint(condition=Q(places__gte=1), name="point_meal_has_places"),
            models.CheckConstraint(
                condition=Q(cutoff_days_before__lte=7), name="point_meal_cutoff_within_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} · {self.get_meal_display()}"

    def audit_area_path(self) -> str:
        return self.point.area.path


# --- Dishes and menus ---------------------------------------------------------------------------


class DishQuerySet(AuditedQuerySet["Dish"]):
    def current(self) -> DishQuerySet:
        return self.filter(archived_at__isnull=True)


class Dish(AuditedModel):
    point = models.ForeignKey(
        DiningPoint, models.CASCADE, related_name="dishes", verbose_name=_("dining point")
    )
    name = models.CharField(_("name"), max_length=60)
    tags = models.CharField(_("tags"), max_length=120, blank=True)  # DishTag values, comma-separated
    allergens = models.CharField(_("allergens"), max_length=120, blank=True)  # Allergen values
    about = models.CharField(_("about"), max_length=200, blank=True)
    archived_at = models.DateTimeField(_("no longer cooked since"), null=True, blank=True)

    objects = DishQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "point__area__path"

    class Meta:
        verbose_name = _("dish")
        verbose_name_plural = _("dishes")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "name"], condition=Q(archived_at__isnull=True), name="one_current_dish_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def audit_area_path(self) -> str:
        return self.point.area.path

    @property
    def tag_list(self) -> list[str]:
        return split_list(self.tags)

    @property
    def allergen_list(self) -> list[str]:
        return split_list(self.allergens)


class Menu(AuditedModel):
    """A point's week of set meals, Monday to Sunday; residents see it once published."""

    point = models.ForeignKey(
        DiningPoint, models.CASCADE, related_name="menus", verbose_name=_("dining point")
    )
    week_start = models.DateField(_("week of (Monday)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_path = "point__area__path"

    class Meta:
        verbose_name = _("weekly menu")
        verbose_name_plural = _("weekly menus")
        ordering = ["point", "-week_start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["point", "week_start"], name="one_menu_per_point_week")
        ]

    def __str__(self) -> str:
        return f"{self.point} · {self.week_start:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("meals:menu", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.point.area.path

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class SetMeal(AuditedModel):
    """One choice for one meal of one day: its dishes and its price (20 yuan at 天山河畔)."""

    menu = models.ForeignKey(Menu, models.CASCADE, related_name="set_meals", verbose_name=_("menu"))
    day = models.DateField(_("day"))
    meal = models.CharField(_("meal"), max_length=10, choices=MealKind.choices)
    label = models.CharField(_("label"), max_length=20, default="A")  # "A", "B", "软食"
    dishes = models.ManyToManyField(Dish, related_name="set_meals", verbose_name=_("dishes"))
    price = models.DecimalField(_("price (yuan)"), max_digits=8, decimal_places=2)

    scope_path = "menu__point__area__path"

    class Meta:
        verbose_name = _("set meal")
        verbose_name_plural = _("set meals")
        ordering = ["day", "meal", "label", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["menu", "day", "meal", "label"], name="one_set_meal_label"),
            models.CheckConstraint(condition=Q(price__gte=0), name="set_meal_price_not_negative"),
        ]
        indexes = [models.Index(fields=["day", "meal"], name="set_meal_day")]

    def __str__(self) -> str:
        return f"{self.label} {self.price}"

    def audit_area_path(self) -> str:
        return self.menu.point.area.path


# --- The places of one meal ---------------------------------------------------------------------


class MealService(AuditedModel):
    """One meal of one day at one point: the places and how many are taken."""

    point = models.ForeignKey(
        DiningPoint, models.CASCADE, related_name="services", verbose_name=_("dining point")
    )
    day = models.DateField(_("day"))
    meal = models.CharField(_("meal"), max_length=10, choices=MealKind.choices)
    places = models.PositiveIntegerField(_("places"))
    # Raised and lowered only by conditional UPDATEs in ``meals.ordering``; the CHECK below is
    # the database's own refusal to oversell.
    taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)

    audit_skip_fields = {"taken": "the places counter, each order is logged"}
    scope_path = "point__area__path"

    class Meta:
        verbose_name = _("meal service")
        verbose_name_plural = _("meal services")
        ordering = ["day", "point", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["point", "day", "meal"], name="one_service_per_point_meal_day"),
            models.CheckConstraint(condition=Q(taken__lte=F("places")), name="meal_places_never_oversold"),
            models.CheckConstraint(condition=Q(taken__gte=0), name="meal_places_taken_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.day:%Y-%m-%d} {self.get_meal_display()}"

    def audit_area_path(self) -> str:
        return self.point.area.path

    @property
    def left(self) -> int:
        return max(self.places - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.taken >= self.places


# --- Diners -------------------------------------------------------------------------------------


class DinerQuerySet(AuditedQuerySet["Diner"]):
    def current(self) -> DinerQuerySet:
        return self.filter(ended_at__isnull=True)


class Diner(AuditedModel):
    resident = models.OneToOneField(
        "registry.Resident", models.PROTECT, related_name="diner", verbose_name=_("resident")
    )
    # The committee the diner lives in when registered (scope), and their usual dining point.
    committee = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("committee"))
    point = models.ForeignKey(
        DiningPoint, models.PROTECT, related_name="diners", verbose_name=_("usual dining point")
    )
    # What the kitchen must know, in the clear: tags every dish must carry, allergens none may.
    needs = models.CharField(_("every dish must be"), max_length=120, blank=True)  # DishTag values
    allergies = models.CharField(_("allergic to"), max_length=120, blank=True)  # Allergen values
    # The health conditions behind the needs (糖尿病, 高血压): encrypted, revealed with a reason.
    health_cipher = models.TextField(_("health conditions (encrypted)"), blank=True, editable=False)
    health_masked = models.CharField(_("health conditions"), max_length=40, blank=True, editable=False)
    delivery = models.BooleanField(_("needs delivery"), default=False)
    delivery_note = models.CharField(_("for the deliverer"), max_length=200, blank=True)
    usual_label = models.CharField(_("usual set meal"), max_length=20, blank=True)
    usual_mode = models.CharField(_("usually"), max_length=12, choices=Mode.choices, default=Mode.EAT_IN)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    ended_at = models.DateTimeField(_("no longer registered since"), null=True, blank=True)

    objects = DinerQuerySet.as_manager()  # type: ignore[assignment, misc]
    audit_exclude = frozenset({"health_cipher"})
    scope_path = "committee__path"

    class Meta:
        verbose_name = _("diner")
        verbose_name_plural = _("diners")
        ordering = ["point", "pk"]

    def __str__(self) -> str:
        return str(self.resident)

    def get_absolute_url(self) -> str:
        return reverse("meals:diner", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.committee.path

    @property
    def need_list(self) -> list[str]:
        return split_list(self.needs)

    @property
    def allergy_list(self) -> list[str]:
        return split_list(self.allergies)

    @property
    def has_special_needs(self) -> bool:
        return bool(self.needs or self.allergies)

    @property
    def needs_text(self) -> str:
        """ "软食、低糖；过敏：鱼" — the needs and allergies as the kitchen and deliverers read them."""
        tags = dict(DishTag.choices)
        allergens = dict(Allergen.choices)
        parts = [str(_(", ")).join(str(tags.get(n, n)) for n in self.need_list)] if self.need_list else []
        if self.allergy_list:
            allergy = str(_(", ")).join(str(allergens.get(a, a)) for a in self.allergy_list)
            parts.append(str(_("allergic to %(allergens)s")) % {"allergens": allergy})
        return str(_("; ")).join(parts)

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class StandingOrderQuerySet(AuditedQuerySet["StandingOrder"]):
    def live(self, day: date | None = None) -> StandingOrderQuerySet:
        day = day or timezone.localdate()
        return self.filter(stopped_at__isnull=True, starts_on__lte=day).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class StandingOrder(AuditedModel):
    """The same meal on chosen weekdays, placed before each cutoff by a job."""

    diner = models.ForeignKey(Diner, models.CASCADE, related_name="standing_orders", verbose_name=_("diner"))
    point = models.ForeignKey(DiningPoint, models.PROTECT, related_name="+", verbose_name=_("dining point"))
    meal = models.CharField(_("meal"), max_length=10, choices=MealKind.choices)
    weekdays = models.CharField(_("on"), max_length=20, default="1,2,3,4,5")  # ISO weekdays, 1 = Monday
    label = models.CharField(_("set meal"), max_length=20, blank=True)  # blank: the first of the day
    mode = models.CharField(_("how"), max_length=12, choices=Mode.choices, default=Mode.EAT_IN)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("set up by")
    )
    created_at = models.DateTimeField(_("set up at"), default=timezone.now)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    # The last day the job has placed (or tried to place) an order for: it never places twice.
    placed_until = models.DateField(_("placed until"), null=True, blank=True, editable=False)

    objects = StandingOrderQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "diner__committee__path"

    class Meta:
        verbose_name = _("standing order")
        verbose_name_plural = _("standing orders")
        ordering = ["diner", "meal", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["diner", "meal"],
                condition=Q(stopped_at__isnull=True),
                name="one_live_standing_order_per_meal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.diner} · {self.get_meal_display()}"

    def audit_area_path(self) -> str:
        return self.diner.committee.path

    @property
    def weekday_list(self) -> list[int]:
        return [int(d) for d in split_list(self.weekdays) if d.isdigit()]


# --- Subsidies ----------------------------------------------------------------------------------


class SubsidyRuleQuerySet(AuditedQuerySet["SubsidyRule"]):
    def in_force(self, day: date) -> SubsidyRuleQuerySet:
        return self.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class SubsidyRule(AuditedModel):
    """A subsidy a street or district pays towards meals of the diners living in ``area``."""

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("for diners living in")
    )
    name = models.CharField(_("name"), max_length=80)
    funder = models.CharField(_("funded by"), max_length=80)
    min_age = models.PositiveSmallIntegerField(_("aged at least"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("aged at most"), null=True, blank=True)
    tags = models.CharField(_("tagged (any of)"), max_length=200, blank=True)  # registry Tag values
    meals = models.CharField(_("meals"), max_length=40, blank=True)  # MealKind values; blank: all
    amount = models.DecimalField(_("subsidy per meal (yuan)"), max_digits=8, decimal_places=2)
    monthly_cap = models.DecimalField(
        _("at most per diner per month (yuan)"), null=True, blank=True, max_digits=8, decimal_places=2
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("set by")
    )
    created_at = models.DateTimeField(_("set at"), default=timezone.now)

    objects = SubsidyRuleQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "area__path"

    class Meta:
        verbose_name = _("subsidy rule")
        verbose_name_plural = _("subsidy rules")
        ordering = ["area", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="subsidy_amount_positive"),
            models.CheckConstraint(
                condition=Q(monthly_cap__isnull=True) | Q(monthly_cap__gt=0), name="subsidy_cap_positive"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="subsidy_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="subsidy_age_band_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meals:rule", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.area.path

    @property
    def tag_list(self) -> list[str]:
        return split_list(self.tags)

    @property
    def meal_list(self) -> list[str]:
        return split_list(self.meals)


# --- Orders -------------------------------------------------------------------------------------


class OrderStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    CANCELLED = "cancelled", _("Cancelled")
    SERVED = "served", _("Served")
    DELIVERED = "delivered", _("Delivered")
    NOT_HOME = "not_home", _("Not at home")
    NOT_COLLECTED = "not_collected", _("Not collected")


LIVE_ORDERS = (
    OrderStatus.ORDERED,
    OrderStatus.SERVED,
    OrderStatus.DELIVERED,
    OrderStatus.NOT_HOME,
    OrderStatus.NOT_COLLECTED,
)
# A meal counts as eaten (a beneficiary) when served or handed over.
EATEN = (OrderStatus.SERVED, OrderStatus.DELIVERED)


class OrderedVia(models.TextChoices):
    SELF = "self", _("By the diner")
    FAMILY = "family", _("By family")
    LEADER = "leader", _("By the building leader")
    PHONE = "phone", _("By staff, on the phone")
    STAFF = "staff", _("By staff")
    STANDING = "standing", _("Standing order")


class PaidHow(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Card (敬老卡, bank card)")
    TRANSFER = "transfer", _("Transfer, with a reference")
    NOTHING_DUE = "nothing_due", _("Nothing to pay")


class OrderQuerySet(AuditedQuerySet["Order"]):
    def live(self) -> OrderQuerySet:
        return self.filter(status__in=LIVE_ORDERS)

    def eaten(self) -> OrderQuerySet:
        return self.filter(status__in=EATEN)


class Order(AuditedModel):
    service = models.ForeignKey(MealService, models.PROTECT, related_name="orders", verbose_name=_("meal"))
    # Copied from the service so statements and figures read one table by day and point.
    point = models.ForeignKey(DiningPoint, models.PROTECT, related_name="+", verbose_name=_("dining point"))
    day = models.DateField(_("day"))
    meal = models.CharField(_("meal"), max_length=10, choices=MealKind.choices)
    diner = models.ForeignKey(Diner, models.PROTECT, related_name="orders", verbose_name=_("diner"))
    set_meal = models.ForeignKey(SetMeal, models.PROTECT, related_name="orders", verbose_name=_("set meal"))
    mode = models.CharField(_("how"), max_length=12, choices=Mode.choices, default=Mode.EAT_IN)
    status = models.CharField(
        _("status"), max_length=14, choices=OrderStatus.choices, default=OrderStatus.ORDERED
    )
    # The money, fixed when ordered: price − subsidy = what the diner pays.
    price = models.DecimalField(_("price (yuan)"), max_digits=8, decimal_places=2)
    subsidy = models.DecimalField(_("subsidy (yuan)"), default=Decimal("0"), max_digits=8, decimal_places=2)
    pays = models.DecimalField(_("diner pays (yuan)"), max_digits=8, decimal_places=2)
    # What clashed with the diner's needs when ordered ("红烧肉: not soft; contains peanuts").
    clashes = models.CharField(_("clashes with the diner's needs"), max_length=300, blank=True)
    ordered_via = models.CharField(_("ordered"), max_length=10, choices=OrderedVia.choices)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("ordered by")
    )
    ordered_at = models.DateTimeField(_("ordered at"), default=timezone.now)
    standing = models.ForeignKey(
        StandingOrder,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("standing order"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    paid_how = models.CharField(_("paid by"), max_length=12, choices=PaidHow.choices, blank=True)
    payment_ref = models.CharField(_("payment reference"), max_length=60, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment recorded by"),
    )
    served_at = models.DateTimeField(_("served or handed over at"), null=True, blank=True)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    delivery_note = models.CharField(_("delivery note"), max_length=200, blank=True)

    objects = OrderQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "point__area__path"

    class Meta:
        verbose_name = _("meal order")
        verbose_name_plural = _("meal orders")
        ordering = ["day", "meal", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "diner"],
                condition=~Q(status="cancelled"),
                name="one_live_order_per_diner_meal",
            ),
            models.CheckConstraint(
                condition=Q(subsidy__gte=0) & Q(subsidy__lte=F("price")), name="order_subsidy_within_price"
            ),
            models.CheckConstraint(
                condition=Q(pays=F("price") - F("subsidy")), name="order_pays_price_less_subsidy"
            ),
        ]
        indexes = [
            models.Index(fields=["point", "day", "meal"], name="order_point_day"),
            models.Index(fields=["diner", "day"], name="order_diner_day"),
        ]

    def __str__(self) -> str:
        return f"{self.diner} · {self.day:%Y-%m-%d} {self.get_meal_display()}"

    def get_absolute_url(self) -> str:
        return reverse("meals:order", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.point.area.path

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_ORDERS

    @property
    def is_cancelled(self) -> bool:
        return self.status == OrderStatus.CANCELLED

    @property
    def is_open(self) -> bool:
        """Ordered, not yet served, handed over or missed."""
        return self.status == OrderStatus.ORDERED

    @property
    def is_delivered_kind(self) -> bool:
        return self.mode == Mode.DELIVERED

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    @property
    def has_clashes(self) -> bool:
        return bool(self.clashes)


class OrderSubsidy(AuditedModel):
    """One rule's part of one order's subsidy: what ``funder`` owes for it."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="subsidies", verbose_name=_("order"))
    rule = models.ForeignKey(SubsidyRule, models.PROTECT, related_name="+", verbose_name=_("rule"))
    funder = models.CharField(_("funded by"), max_length=80)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=8, decimal_places=2)
    # Copied from the order for the funder's statement (funder, month) and the diner's cap.
    day = models.DateField(_("day"))
    point = models.ForeignKey(DiningPoint, models.PROTECT, related_name="+", verbose_name=_("dining point"))
    diner = models.ForeignKey(Diner, models.PROTECT, related_name="+", verbose_name=_("diner"))
    # A cancelled order's subsidy is owed by nobody; the line is kept, marked.
    void = models.BooleanField(_("void (order cancelled)"), default=False)

    scope_path = "point__area__path"

    class Meta:
        verbose_name = _("subsidy of an order")
        verbose_name_plural = _("subsidies of orders")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "rule"], name="one_line_per_order_rule"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="order_subsidy_positive"),
        ]
        indexes = [
            models.Index(fields=["funder", "day"], name="subsidy_funder_day"),
            models.Index(fields=["diner", "rule", "day"], name="subsidy_diner_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.funder} {self.amount}"

    def audit_area_path(self) -> str:
        return self.point.area.path


# --- Delivery -----------------------------------------------------------------------------------


class RouteQuerySet(AuditedQuerySet["Route"]):
    def current(self) -> RouteQuerySet:
        return self.filter(archived_at__isnull=True)


class Route(AuditedModel):
    point = models.ForeignKey(
        DiningPoint, models.CASCADE, related_name="routes", verbose_name=_("dining point")
    )
    name = models.CharField(_("name"), max_length=60)
    deliverer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("usual deliverer"),
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    archived_at = models.DateTimeField(_("no longer used since"), null=True, blank=True)

    objects = RouteQuerySet.as_manager()  # type: ignore[assignment, misc]
    scope_path = "point__area__path"

    class Meta:
        verbose_name = _("delivery route")
        verbose_name_plural = _("delivery routes")
        ordering = ["point", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "name"], condition=Q(archived_at__isnull=True), name="one_current_route_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meals:route", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.point.area.path


class RouteStop(AuditedModel):
    """A building on a route, at its place in the round; staff change the order."""

    route = models.ForeignKey(Route, models.CASCADE, related_name="stops", verbose_name=_("route"))
    # The route's point, copied, so that one building is on one route of a point.
    point = models.ForeignKey(DiningPoint, models.CASCADE, related_name="+", verbose_name=_("dining point"))
    building = models.ForeignKey("areas.Area", models.PROTECT, related_name="+", verbose_name=_("building"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_path = "point__area__path"

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["route", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["point", "building"], name="one_route_per_building")]

    def __str__(self) -> str:
        return f"{self.route} · {self.building}"

    def audit_area_path(self) -> str:
        return self.point.area.path


class RouteRun(AuditedModel):
    """A route's round for one meal of one day: who delivers (a person, or a volunteer shift)."""

    route = models.ForeignKey(Route, models.CASCADE, related_name="runs", verbose_name=_("route"))
    day = models.DateField(_("day"))
    meal = models.CharField(_("meal"), max_length=10, choices=MealKind.choices)
    deliverer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deliverer"),
    )
    shift = models.OneToOneField(
        "volunteers.Shift",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="meal_round",
        verbose_name=_("volunteer shift"),
    )
    started_at = models.DateTimeField(_("set out at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    scope_path = "route__point__area__path"

    class Meta:
        verbose_name = _("delivery round")
        verbose_name_plural = _("delivery rounds")
        ordering = ["day", "meal", "route", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["route", "day", "meal"], name="one_round_per_route_meal")
        ]

    def __str__(self) -> str:
        return f"{self.route} {self.day:%Y-%m-%d} {self.get_meal_display()}"

    def get_absolute_url(self) -> str:
        return reverse("meals:round", args=[self.pk])

    def audit_area_path(self) -> str:
        return self.route.point.area.path

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None
