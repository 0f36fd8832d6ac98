"""Orders: a day's orders at a point (payments, served), one order (cancel, pay), staff taking
an order on the phone, standing orders. The rules are ``meals.ordering``'s and
``meals.standing``'s; every action is a plain form."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from common.forms import form_errors, id_in, show_errors
from common.scope import Capability, get_or_404, staff_scope
from meals import ordering, pricing, standing
from meals.forms.orders import PaymentForm, StandingForm, TakeForm
from meals.models import Diner, DiningPoint, MealKind, Order, SetMeal, StandingOrder
from registry.selectors import search_residents


def _point(request, point_id: int) -> DiningPoint:
    scope = staff_scope(request, Capability.RUN_MEALS)
    point = get_or_404(
        DiningPoint.objects.select_related("area"),
        pgettext("meal orders", "No such dining point."),
        pk=point_id,
    )
    if not ordering.runs_point(scope, point):
        raise Http404(pgettext("meal orders", "No such dining point."))
    return point


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return timezone.localdate()


def order_for(request, order_id: int) -> Order:
    return ordering.order_for(request.user, request.scope, order_id)


def day_orders(point: DiningPoint, day: date, meal: str):
    """A day's orders at ``point`` for ``meal``: two queries, however many."""
    found = list(
        Order.objects.filter(point=point, day=day, meal=meal)
        .select_related("diner__resident__household__building", "set_meal")
        .order_by("diner__resident__household__building__path", "pk")
    )
    # The orders still to serve first, by building; the cancelled ones last.
    return sorted(found, key=lambda order: order.is_cancelled)


@login_required
def orders(request, point_id: int):
    point = _point(request, point_id)
    day = _day(request.GET.get("day"))
    meal = request.GET.get("meal") if request.GET.get("meal") in MealKind.values else MealKind.LUNCH
    found = day_orders(point, day, meal)
    live = [o for o in found if o.is_live]
    return render(
        request,
        "meals/orders/orders.html",
        {
            "point": point,
            "day": day,
            "meal": meal,
            "meals": MealKind.choices,
            "orders": found,
            "live": len(live),
            "unpaid": sum(1 for o in live if not o.is_paid),
            "payment_form": PaymentForm(),
        },
    )


@login_required
def order(request, order_id: int):
    found = order_for(request, order_id)
    staff = ordering.runs_point(request.scope, found.point)
    point_meal = ordering._point_meal(found.point, found.meal)
    cancellable = found.is_open and point_meal is not None and ordering.is_open(point_meal, found.day)
    return render(
        request,
        "meals/orders/order.html",
        {
            "order": found,
            "staff": staff,
            "cancellable": cancellable,
            "lines": list(found.subsidies.order_by("pk")),
            "payment_form": PaymentForm(),
        },
    )


def _back(request, found: Order):
    if ordering.runs_point(request.scope, found.point) and request.POST.get("next") == "list":
        url = reverse("meals:orders", args=[found.point_id])
        return redirect(f"{url}?day={found.day.isoformat()}&meal={found.meal}")
    return redirect(found)


@login_required
@require_POST
def order_cancel(request, order_id: int):
    found = order_for(request, order_id)
    try:
        ordering.cancel(found, by=request.user, scope=request.scope)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Cancelled; the place is given back."))
        if not ordering.runs_point(request.scope, found.point):
            return redirect("meals:mine")
    return _back(request, found)


def _refused(request, error) -> None:
    if isinstance(error, ValidationError):
        show_errors(request, error)
    else:
        messages.error(request, str(error))


@login_required
@require_POST
def order_pay(request, order_id: int):
    found = order_for(request, order_id)
    form = PaymentForm(request.POST)
    how = form.data.get("paid_how", "")
    try:
        ordering.record_payment(
            found, how=how, reference=form.data.get("payment_ref", ""), by=request.user, scope=request.scope
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Payment recorded."))
    return _back(request, found)


@login_required
@require_POST
def order_served(request, order_id: int):
    found = order_for(request, order_id)
    try:
        if request.POST.get("outcome") == "not_collected":
            ordering.mark_not_collected(found, by=request.user, scope=request.scope)
        else:
            ordering.mark_served(found, by=request.user, scope=request.scope)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    return _back(request, found)


# --- Staff take an order on the phone ------------------------------------------------------------


def _diners_found(point: DiningPoint, scope, query: str) -> list[Diner]:
    people = search_residents(scope, query, limit=20) if query else []
    ids = [p.pk for p in people]
    found = {
        d.resident_id: d
        for d in Diner.objects.current()
        .filter(resident_id__in=ids)
        .select_related("resident__household__building", "point")
    }
    return [found[i] for i in ids if i in found]


@login_required
def take(request, point_id: int):
    """Find the diner (name, room, phone), pick the set meal and how; see the price, the
    subsidy and any clash; confirm."""
    point = _point(request, point_id)
    scope = request.scope
    query = request.GET.get("q", "").strip()[:50]
    diner = None
    diner_id = id_in(request.GET.get("diner") or request.POST.get("diner"))
    if diner_id:
        diner = (
            Diner.objects.current()
            .select_related("resident__household__building", "committee", "point")
            .filter(pk=diner_id)
            .first()
        )
        if diner is None or ordering.how_orders(request.user, diner, point, scope) is None:
            raise Http404(pgettext("meal orders", "No such diner."))
    form = TakeForm(request.POST or None, initial={"mode": diner.usual_mode if diner else None})
    chosen = None
    if request.method == "POST" and diner is not None and form.is_valid():
        chosen = SetMeal.objects.filter(pk=form.cleaned_data["set_meal"], menu__point=point).first()
        if chosen is None:
            form.add_error(None, _("Choose a set meal."))
        elif request.POST.get("confirm"):
            try:
                made = ordering.order(
                    diner,
                    chosen,
                    mode=form.cleaned_data["mode"],
                    by=request.user,
                    scope=scope,
                    via=form.cleaned_data["via"],
                )
            except (ValidationError, PermissionDenied) as error:
                if isinstance(error, ValidationError):
                    form_errors(form, error)
                else:
                    form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Ordered for %(name)s: %(label)s, pays %(pays)s yuan.")
                    % {"name": diner.resident.name, "label": chosen.label, "pays": made.pays},
                )
                if made.clashes:
                    messages.warning(request, made.clashes)
                return redirect(made)
    offers = []
    if diner is not None:
        for sitting in ordering.next_sittings(point):
            for set_meal in sitting.set_meals:
                quote = pricing.quote(diner, set_meal)
                offers.append((sitting, set_meal, quote, ordering.needs.clash_text(diner, set_meal)))
    return render(
        request,
        "meals/orders/take.html",
        {
            "point": point,
            "query": query,
            "found": _diners_found(point, scope, query) if query and diner is None else [],
            "diner": diner,
            "offers": offers,
            "chosen": chosen,
            "form": form,
            "standing_form": StandingForm(),
        },
    )


# --- Standing orders -----------------------------------------------------------------------------


def _standing(request, standing_id: int) -> StandingOrder:
    return ordering.standing_for(request.user, request.scope, standing_id)


@login_required
def standing_order(request, standing_id: int):
    found = _standing(request, standing_id)
    if request.method == "POST":
        try:
            standing.stop(found, by=request.user, scope=request.scope)
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, _("Stopped; orders already placed stay."))
        return redirect("meals:standing", standing_id=found.pk)
    upcoming = list(
        found.orders.live()
        .filter(day__gte=timezone.localdate())
        .select_related("set_meal")
        .order_by("day")[:14]
    )
    return render(request, "meals/orders/standing.html", {"standing": found, "upcoming": upcoming})


@login_required
@require_POST
def standing_new(request, diner_id: int):
    """Set up a standing order for a diner, from staff's take page or the resident's page."""
    diner = get_or_404(
        Diner.objects.select_related("resident__household__building", "committee", "point__area"),
        pgettext("meal orders", "No such diner."),
        pk=diner_id,
    )
    point = diner.point
    if ordering.how_orders(request.user, diner, point, request.scope) is None:
        raise Http404(pgettext("meal orders", "No such diner."))
    form = StandingForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for text in errors:
                messages.error(
                    request, f"{form.fields[field].label}: {text}" if field in form.fields else str(text)
                )
        return redirect("meals:mine")
    data = form.cleaned_data
    try:
        made = standing.start(
            diner,
            point=point,
            meal=data["meal"],
            weekdays=data["weekdays"],
            label=data["label"],
            mode=data["mode"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            by=request.user,
            scope=request.scope,
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return redirect("meals:mine")
    messages.success(request, _("Standing order set up; orders are placed before each cutoff."))
    return redirect("meals:standing", standing_id=made.pk)
