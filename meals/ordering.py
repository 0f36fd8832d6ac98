"""Ordering meals: the one place the ordering rules live.

Who orders (``how_orders``): the diner themself, a family member linked in the registry
(家属代办), the building leader (``ORDER_MEALS`` over the diner's home), or staff
(``RUN_MEALS`` over the diner's home or over the dining point), who say whether the order
came on the phone. Standing orders are placed by the job (``meals.standing``).

An order is refused, with a message naming why and nothing changed, after the cutoff, for
a paused or closed point, for a set meal not on a published menu, for a meal the point does
not serve (or does not deliver), for a diner no longer registered, a second time for the
same meal, and when every place is taken.

**Places are never oversold.** The meal's ``MealService`` row is created on the first order
(its places copied from the point's meal); each order then takes a place with one
conditional ``UPDATE … SET taken = taken + 1 WHERE id = … AND taken < places``: no row
changed means full. The CHECK ``meal_places_never_oversold`` is the database's own guard
(its refusal is answered as "full" too). A cancellation gives the place back.

**Money** is worked out once, by ``meals.pricing.quote``, while the diner's row is locked
(so two orders at once cannot both spend the last of a monthly cap), and stored on the
order with one ``OrderSubsidy`` per rule; a cancellation voids the lines.

A dish that clashes with the diner's needs is a warning, never a refusal: it is kept on the
order (``clashes``) and shown to whoever orders.

Payments are recorded (cash, card, a transfer with its reference; nothing due when the
subsidy covers the price); there is no payment gateway. Staff mark a counter meal served or
not collected; delivery hand-overs are ``meals.delivery``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from common.scope import Scope
from meals import needs, pricing, rules
from meals.models import (
    MEAL_ORDER,
    Diner,
    DiningPoint,
    MealKind,
    MealService,
    Mode,
    Order,
    OrderedVia,
    OrderStatus,
    OrderSubsidy,
    PaidHow,
    PointMeal,
    SetMeal,
    StandingOrder,
)
from notifications.models import NotificationKind
from notifications.services import notify
from registry.models import Proxy, Resident
from registry.selectors import speaks_for

REFERENCE_MAX = 60
DAYS_AHEAD = 7


# --- Small facts ----------------------------------------------------------------------------------


def day_text(day: date) -> str:
    return date_format(day, "MONTH_DAY_FORMAT")


def meal_text(meal: str) -> str:
    return str(MealKind(meal).label) if meal in MealKind.values else meal


def cutoff_of(point_meal: PointMeal, day: date) -> datetime:
    """When orders (and cancellations) for ``day``'s meal close, in local time."""
    naive = datetime.combine(day - timedelta(days=point_meal.cutoff_days_before), point_meal.cutoff)
    return timezone.make_aware(naive, timezone.get_current_timezone())


def is_open(point_meal: PointMeal, day: date, now: datetime | None = None) -> bool:
    return (now or timezone.now()) < cutoff_of(point_meal, day)


def closed_text(point_meal: PointMeal, day: date) -> str:
    """ "Lunch orders for 12月8日 closed at 9:30." """
    values = {
        "meal": meal_text(point_meal.meal),
        "day": day_text(day),
        "time": time_format(point_meal.cutoff, "G:i"),
    }
    if point_meal.cutoff_days_before:
        values["on"] = day_text(day - timedelta(days=point_meal.cutoff_days_before))
        return _("%(meal)s orders for %(day)s closed at %(time)s on %(on)s.") % values
    return _("%(meal)s orders for %(day)s closed at %(time)s.") % values


def _point_meal(point: DiningPoint, meal: str) -> PointMeal | None:
    return PointMeal.objects.filter(point=point, meal=meal).first()


def _serves(point: DiningPoint, diner: Diner) -> bool:
    """Whether ``point`` is the diner's usual point or serves the diner's committee."""
    return point.pk == diner.point_id or point.serves.filter(pk=diner.committee_id).exists()


def published_set_meals(point: DiningPoint, day: date, meal: str) -> QuerySet[SetMeal]:
    """The set meals of ``point``'s published menu for ``day``'s ``meal``, dishes prefetched."""
    return (
        SetMeal.objects.filter(menu__point=point, menu__published_at__isnull=False, day=day, meal=meal)
        .prefetch_related("dishes")
        .order_by("label", "pk")
    )


def first_set_meal(point: DiningPoint, day: date, meal: str, label: str = "") -> SetMeal | None:
    """The set meal a standing order stands for: ``label``, else the first of the day."""
    meals = published_set_meals(point, day, meal)
    if label:
        return meals.filter(label=label).first()
    return meals.first()


@dataclass
class Sitting:
    """One meal of one day at a point that can still be ordered, with its set meals."""

    point_meal: PointMeal
    day: date
    set_meals: list[SetMeal]

    @property
    def meal(self) -> str:
        return self.point_meal.meal

    @property
    def cutoff(self) -> datetime:
        return cutoff_of(self.point_meal, self.day)

    @property
    def cutoff_same_day(self) -> bool:
        """Orders close on the meal's own day (lunch by 9:30), not the evening before."""
        return timezone.localtime(self.cutoff).date() == self.day


def next_sittings(point: DiningPoint, now: datetime | None = None) -> list[Sitting]:
    """The meals of the next day that can still be ordered at ``point`` (cutoff ahead, menu
    published): tomorrow's breakfast and lunch, or today's lunch before 9:30. Three queries."""
    now = now or timezone.now()
    if point.is_paused or point.is_closed:
        return []
    point_meals = sorted(PointMeal.objects.filter(point=point), key=lambda m: MEAL_ORDER[m.meal])
    today = timezone.localdate(now)
    days = [today + timedelta(days=n) for n in range(DAYS_AHEAD + 2)]
    menu = list(
        SetMeal.objects.filter(
            menu__point=point, menu__published_at__isnull=False, day__gte=days[0], day__lte=days[-1]
        )
        .prefetch_related("dishes")
        .order_by("day", "label", "pk")
    )
    for day in days:
        found = []
        for point_meal in point_meals:
            if not is_open(point_meal, day, now):
                continue
            offered = [s for s in menu if s.day == day and s.meal == point_meal.meal]
            if offered:
                found.append(Sitting(point_meal, day, offered))
        if found:
            return found
    return []


# --- Who may order ------------------------------------------------------------------------------


def runs_point(scope: Scope | None, point: DiningPoint) -> bool:
    """Staff running ``point`` (``meals.rules.runs``): over its area or a committee it serves."""
    return bool(scope) and rules.runs(scope, point)  # type: ignore[arg-type]


def _staff_for(scope: Scope | None, diner: Diner, point: DiningPoint) -> bool:
    if not scope:
        return False
    return rules.runs_for_resident(scope, diner.resident) or rules.runs(scope, point)


def how_orders(user: User, diner: Diner, point: DiningPoint, scope: Scope | None) -> str | None:
    """How ``user`` orders for ``diner`` at ``point``: an ``OrderedVia`` (staff: ``STAFF``),
    or None when they may not."""
    spoken = speaks_for(user, diner.resident)
    if spoken == "self":
        return OrderedVia.SELF
    if spoken == "proxy":
        return OrderedVia.FAMILY
    if _staff_for(scope, diner, point):
        return OrderedVia.STAFF
    if scope and rules.orders_as_leader(scope, diner.resident):
        return OrderedVia.LEADER
    return None


def _via(user: User, diner: Diner, point: DiningPoint, scope: Scope | None, via: str | None) -> str:
    how = how_orders(user, diner, point, scope)
    if how is None:
        raise PermissionDenied(_("You may order meals only for yourself and those you act for."))
    if how == OrderedVia.STAFF and via in (OrderedVia.PHONE, OrderedVia.STAFF):
        return via
    return how


def _diner(diner: Diner, *, lock: bool = False) -> Diner:
    rows = Diner.objects.select_related("resident__household__building", "resident__user", "point")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.get(pk=diner.pk)


# --- Ordering -----------------------------------------------------------------------------------


def order(
    diner: Diner,
    set_meal: SetMeal,
    *,
    mode: str,
    by: User,
    scope: Scope | None,
    via: str | None = None,
) -> Order:
    """Order ``set_meal`` for ``diner``; the order (its ``clashes`` to show) or a refusal."""
    set_meal = SetMeal.objects.select_related("menu__point__area").get(pk=set_meal.pk)
    point = set_meal.menu.point
    how = _via(by, _diner(diner), point, scope, via)
    order = place(diner, set_meal, mode=mode, by=by, via=how)
    if how != OrderedVia.SELF:
        _tell_diner(order, by, placed=True)
    return order


def problem(diner: Diner, set_meal: SetMeal, mode: str, now: datetime | None = None) -> dict[str, str]:
    """Why ``diner`` cannot have ``set_meal`` (field → message), before counting places; {}
    when nothing stands in the way. Read-only: pages ask it before confirming."""
    point = set_meal.menu.point
    if mode not in Mode.values:
        return {"mode": _("Choose eat in, take away or delivered.")}
    if not diner.is_current:
        return {"diner": _("%(name)s is no longer registered for meals.") % {"name": diner.resident.name}}
    if point.is_closed:
        return {"set_meal": _("%(point)s is closed.") % {"point": point}}
    if point.is_paused:
        return {
            "set_meal": _("%(point)s is paused and takes no new orders: %(reason)s")
            % {"point": point, "reason": point.pause_reason or _("no reason given")}
        }
    if not set_meal.menu.is_published:
        return {"set_meal": _("This set meal is not on a published menu.")}
    point_meal = _point_meal(point, set_meal.meal)
    if point_meal is None:
        return {
            "set_meal": _("%(point)s does not serve %(meal)s.")
            % {"point": point, "meal": meal_text(set_meal.meal)}
        }
    if not _serves(point, diner):
        return {
            "set_meal": _("%(point)s does not serve %(committee)s.")
            % {"point": point, "committee": diner.committee.name}
        }
    if mode == Mode.DELIVERED and not point_meal.delivers:
        return {
            "mode": _("%(point)s does not deliver %(meal)s; choose eat in or take away.")
            % {"point": point, "meal": meal_text(set_meal.meal)}
        }
    if not is_open(point_meal, set_meal.day, now):
        return {"set_meal": closed_text(point_meal, set_meal.day)}
    held = (
        Order.objects.live()
        .filter(diner=diner, day=set_meal.day, meal=set_meal.meal)
        .select_related("set_meal")
        .first()
    )
    if held is not None:
        return {
            "set_meal": _("%(name)s already has %(meal)s on %(day)s (%(label)s).")
            % {
                "name": diner.resident.name,
                "meal": meal_text(set_meal.meal),
                "day": day_text(set_meal.day),
                "label": held.set_meal.label,
            }
        }
    return {}


def full_text(service: MealService) -> str:
    return _("All %(places)d places for %(meal)s on %(day)s are taken.") % {
        "places": service.places,
        "meal": meal_text(service.meal),
        "day": day_text(service.day),
    }


def place(
    diner: Diner,
    set_meal: SetMeal,
    *,
    mode: str,
    by: User | None,
    via: str,
    standing=None,
    now: datetime | None = None,
) -> Order:
    """Store the order once who orders is settled (``order``, or the standing orders' job)."""
    with transaction.atomic():
        diner = _diner(diner, lock=True)  # the monthly caps and "already ordered" cannot race
        set_meal = SetMeal.objects.select_related("menu__point__area").get(pk=set_meal.pk)
        refused = problem(diner, set_meal, mode, now)
        if refused:
            raise ValidationError(refused)
        point = set_meal.menu.point
        point_meal = _point_meal(point, set_meal.meal)
        assert point_meal is not None
        service, _created = MealService.objects.get_or_create(
            point=point, day=set_meal.day, meal=set_meal.meal, defaults={"places": point_meal.places}
        )
        if not _take_place(service):
            raise ValidationError({"set_meal": full_text(service)})
        quote = pricing.quote(diner, set_meal)
        made = Order.objects.create(
            service=service,
            point=point,
            day=set_meal.day,
            meal=set_meal.meal,
            diner=diner,
            set_meal=set_meal,
            mode=mode,
            price=quote.price,
            subsidy=quote.subsidy,
            pays=quote.pays,
            clashes=needs.clash_text(diner, set_meal),
            ordered_via=via,
            ordered_by=by,
            standing=standing,
            delivery_note=diner.delivery_note if mode == Mode.DELIVERED else "",
        )
        for line in quote.lines:
            OrderSubsidy.objects.create(
                order=made,
                rule=line.rule,
                funder=line.funder,
                amount=line.amount,
                day=made.day,
                point=point,
                diner=diner,
            )
    return made


def _take_place(service: MealService) -> bool:
    """One place of ``service``, or False when none is left."""
    try:
        with transaction.atomic():
            taken = MealService.objects.filter(pk=service.pk, taken__lt=F("places")).update(
                taken=F("taken") + 1
            )
    except IntegrityError:  # the CHECK meal_places_never_oversold
        return False
    return taken == 1


def cancel(order: Order, *, by: User, scope: Scope | None) -> Order:
    """Cancel ``order`` before its cutoff: the place goes back, its subsidy lines are void."""
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("point__area").get(pk=order.pk)
        diner = _diner(order.diner)
        how = how_orders(by, diner, order.point, scope)
        if how is None:
            raise PermissionDenied(_("You may cancel only your own orders and those you act for."))
        if order.is_cancelled:
            raise ValidationError({"order": _("This order is already cancelled.")})
        if not order.is_open:
            raise ValidationError(
                {"order": _("This order is %(status)s.") % {"status": order.get_status_display()}}
            )
        point_meal = _point_meal(order.point, order.meal)
        if point_meal is not None and not is_open(point_meal, order.day):
            raise ValidationError(
                {"order": _("Too late to cancel: %(why)s") % {"why": closed_text(point_meal, order.day)}}
            )
        order.status, order.cancelled_at, order.cancelled_by = OrderStatus.CANCELLED, timezone.now(), by
        order.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        OrderSubsidy.objects.filter(order=order).update(void=True)
        MealService.objects.filter(pk=order.service_id, taken__gt=0).update(taken=F("taken") - 1)
        if how != OrderedVia.SELF:
            _tell_diner(order, by, placed=False)
    return order


# --- Finding an order ---------------------------------------------------------------------------


def order_for(user: User, scope: Scope | None, order_id: int) -> Order:
    """The order, for staff running its point and those who may order for its diner; a 404
    for everyone else."""
    found = (
        Order.objects.select_related(
            "point__area", "set_meal", "diner__resident__household__building", "ordered_by", "standing"
        )
        .filter(pk=order_id)
        .first()
    )
    if found is None or (
        not runs_point(scope, found.point) and how_orders(user, found.diner, found.point, scope) is None
    ):
        raise Http404(pgettext("meal orders", "No such order."))
    return found


def standing_for(user: User, scope: Scope | None, standing_id: int) -> StandingOrder:
    """The standing order, for staff running its point and those who may order for its diner."""
    found = (
        StandingOrder.objects.select_related(
            "point__area", "diner__resident__household__building", "created_by"
        )
        .filter(pk=standing_id)
        .first()
    )
    if found is None or (
        not runs_point(scope, found.point) and how_orders(user, found.diner, found.point, scope) is None
    ):
        raise Http404(pgettext("meal orders", "No such standing order."))
    return found


# --- Telling the diner --------------------------------------------------------------------------


def accounts_of(resident: Resident) -> list[User]:
    """The accounts that hear about a diner's meals: their own, else their family's."""
    if resident.user_id and resident.user and resident.user.is_active:
        return [resident.user]
    return [
        p.user
        for p in Proxy.objects.filter(resident=resident, revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ]


def _tell_diner(order: Order, by: User, *, placed: bool) -> None:
    users = [u for u in accounts_of(order.diner.resident) if u.pk != by.pk]
    if not users:
        return
    values = {
        "name": order.diner.resident.name,
        "meal": meal_text(order.meal),
        "day": day_text(order.day),
        "label": order.set_meal.label,
        "point": order.point.name,
        "pays": order.pays,
    }
    if placed:
        title = _("%(meal)s ordered for %(name)s on %(day)s") % values
        body = _("Set meal %(label)s at %(point)s; to pay: %(pays)s yuan.") % values
    else:
        title = _("%(meal)s for %(name)s on %(day)s cancelled") % values
        body = _("Set meal %(label)s at %(point)s.") % values
    notify(users, kind=NotificationKind.MEAL, title=title, body=body, url=reverse("meals:mine"))


# --- Payments and the counter -------------------------------------------------------------------


def _counter_order(order: Order, by: User, scope: Scope | None) -> Order:
    order = Order.objects.select_for_update(of=("self",)).select_related("point__area").get(pk=order.pk)
    if not runs_point(scope, order.point):
        raise PermissionDenied(_("Only staff running this dining point record this."))
    if order.is_cancelled:
        raise ValidationError({"order": _("This order is cancelled.")})
    return order


@transaction.atomic
def record_payment(order: Order, *, how: str, reference: str = "", by: User, scope: Scope | None) -> Order:
    """How the diner paid: cash, card, or a transfer with its reference; nothing is due when
    the subsidy covers the price."""
    order = _counter_order(order, by, scope)
    reference = (reference or "").strip()
    if order.is_paid:
        raise ValidationError({"paid_how": _("The payment is already recorded.")})
    if order.pays <= 0:
        how, reference = PaidHow.NOTHING_DUE, ""
    elif how not in (PaidHow.CASH, PaidHow.CARD, PaidHow.TRANSFER):
        raise ValidationError({"paid_how": _("Choose cash, card or transfer.")})
    if how == PaidHow.TRANSFER and not reference:
        raise ValidationError({"payment_ref": _("A transfer needs its reference.")})
    if len(reference) > REFERENCE_MAX:
        raise ValidationError({"payment_ref": _("At most %(n)d characters.") % {"n": REFERENCE_MAX}})
    order.paid_how, order.payment_ref = how, reference
    order.paid_at, order.paid_recorded_by = timezone.now(), by
    order.save(update_fields=["paid_how", "payment_ref", "paid_at", "paid_recorded_by"])
    return order


def _at_counter(order: Order, status: str, by: User, scope: Scope | None) -> Order:
    order = _counter_order(order, by, scope)
    if order.is_delivered_kind:
        raise ValidationError({"order": _("A delivered meal is handed over by its deliverer.")})
    if not order.is_open:
        raise ValidationError(
            {"order": _("This order is %(status)s.") % {"status": order.get_status_display()}}
        )
    if order.day > timezone.localdate():
        raise ValidationError({"order": _("This meal is for %(day)s.") % {"day": day_text(order.day)}})
    order.status, order.handed_by = status, by
    order.served_at = timezone.now() if status == OrderStatus.SERVED else None
    order.save(update_fields=["status", "served_at", "handed_by"])
    return order


@transaction.atomic
def mark_served(order: Order, *, by: User, scope: Scope | None) -> Order:
    """Eaten in or taken away at the counter."""
    return _at_counter(order, OrderStatus.SERVED, by, scope)


@transaction.atomic
def mark_not_collected(order: Order, *, by: User, scope: Scope | None) -> Order:
    """Never came for it."""
    return _at_counter(order, OrderStatus.NOT_COLLECTED, by, scope)
