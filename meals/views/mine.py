"""A resident's meals, on a phone and in elderly mode: the next meal in two taps (one big
button per set meal, then confirm), their orders ahead with cancel before the cutoff, their
standing orders. A family member sees one block per person they act for; a building leader
reaches a resident of their group from the group's page (``?diner=``). ``?point=`` comes from
the menu poster's QR code."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from common.forms import id_in, show_errors
from common.scope import Capability, staff_scope
from meals import needs, ordering, pricing
from meals.forms.orders import OrderForm, StandingForm
from meals.models import Diner, DiningPoint, Mode, Order, PointMeal, SetMeal, StandingOrder
from registry.selectors import people_of


@dataclass
class Offer:
    set_meal: SetMeal
    quote: pricing.Quote
    clash: str


@dataclass
class Block:
    """One diner's part of the page."""

    diner: Diner
    point: DiningPoint
    sittings: list = field(default_factory=list)  # (sitting, held order or None, [Offer])
    ahead: list = field(default_factory=list)  # (order, cancellable)
    standing: list = field(default_factory=list)


def _diners_of(request) -> list[Diner]:
    rows = Diner.objects.current().select_related("resident__household__building", "point__area", "committee")
    asked = id_in(request.GET.get("diner"))
    if asked:
        diner = rows.filter(pk=asked).first()
        if diner is None or ordering.how_orders(request.user, diner, diner.point, request.scope) is None:
            raise Http404(pgettext("meal orders", "No such diner."))
        return [diner]
    people = [p.pk for p in people_of(request.user)]
    return list(rows.filter(resident_id__in=people).order_by("pk"))


def _point_for(diner: Diner, asked: DiningPoint | None) -> DiningPoint:
    if asked is not None and ordering._serves(asked, diner):
        return asked
    return diner.point


def _block(diner: Diner, point: DiningPoint, now) -> Block:
    block = Block(diner, point)
    held = {
        (o.day, o.meal): o
        for o in Order.objects.live()
        .filter(diner=diner, day__gte=timezone.localdate(now))
        .select_related("set_meal", "point")
        .order_by("day", "pk")
    }
    for sitting in ordering.next_sittings(point, now):
        mine = held.get((sitting.day, sitting.meal))
        offers = (
            []
            if mine
            else [Offer(s, pricing.quote(diner, s), needs.clash_text(diner, s)) for s in sitting.set_meals]
        )
        block.sittings.append((sitting, mine, offers))
    meals_of = {
        (m.point_id, m.meal): m
        for m in PointMeal.objects.filter(point__in={o.point_id for o in held.values()})
    }
    for found in held.values():
        point_meal = meals_of.get((found.point_id, found.meal))
        block.ahead.append(
            (found, found.is_open and point_meal is not None and ordering.is_open(point_meal, found.day, now))
        )
    block.standing = list(StandingOrder.objects.live().filter(diner=diner).order_by("meal"))
    return block


@login_required
def mine(request):
    now = timezone.now()
    asked = None
    point_id = id_in(request.GET.get("point"))
    if point_id:
        asked = DiningPoint.objects.current().filter(pk=point_id).select_related("area").first()
    diners = _diners_of(request)
    blocks = [_block(d, _point_for(d, asked), now) for d in diners]
    return render(
        request,
        "meals/mine/mine.html",
        {
            "blocks": blocks,
            "asked": asked,
            "several": len(blocks) > 1,
            "people": people_of(request.user) if not blocks else [],
            "standing_form": StandingForm(),
        },
    )


@login_required
@require_POST
def mine_order(request):
    """The second tap: the chosen set meal, its price, subsidy and what they pay, any clash;
    confirm to order."""
    diner = (
        Diner.objects.current()
        .select_related("resident__household__building", "point__area", "committee")
        .filter(pk=id_in(request.POST.get("diner")))
        .first()
    )
    if diner is None:
        raise Http404(pgettext("meal orders", "No such diner."))
    form = OrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a set meal and how."))
        return redirect("meals:mine")
    set_meal = (
        SetMeal.objects.filter(pk=form.cleaned_data["set_meal"])
        .select_related("menu__point")
        .prefetch_related("dishes")
        .first()
    )
    if set_meal is None:
        raise Http404(pgettext("meal orders", "No such set meal."))
    if ordering.how_orders(request.user, diner, set_meal.menu.point, request.scope) is None:
        raise Http404(pgettext("meal orders", "No such diner."))
    if request.POST.get("confirm"):
        try:
            made = ordering.order(
                diner, set_meal, mode=form.cleaned_data["mode"], by=request.user, scope=request.scope
            )
        except ValidationError as error:
            show_errors(request, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Ordered: %(meal)s on %(day)s, set meal %(label)s. To pay: %(pays)s yuan.")
                % {
                    "meal": ordering.meal_text(made.meal),
                    "day": ordering.day_text(made.day),
                    "label": set_meal.label,
                    "pays": made.pays,
                },
            )
            if made.clashes:
                messages.warning(request, _("Please note: %(clash)s") % {"clash": made.clashes})
        return redirect("meals:mine")
    point_meal = ordering._point_meal(set_meal.menu.point, set_meal.meal)
    modes = [
        (value, label)
        for value, label in Mode.choices
        if value != Mode.DELIVERED or (point_meal is not None and point_meal.delivers)
    ]
    mode = form.cleaned_data["mode"]
    return render(
        request,
        "meals/mine/confirm.html",
        {
            "diner": diner,
            "set_meal": set_meal,
            "quote": pricing.quote(diner, set_meal),
            "clash": needs.clash_text(diner, set_meal),
            "modes": modes,
            "mode": mode if any(v == mode for v, _label in modes) else Mode.EAT_IN,
            "problem": ordering.problem(diner, set_meal, mode),
        },
    )


@login_required
def group(request):
    """A building leader's residents registered for meals, with their next meal's order."""
    scope = staff_scope(request, Capability.ORDER_MEALS)
    diners = list(
        Diner.objects.current()
        .filter(resident__household__building__path__startswith=scope.path or "-")
        .select_related("resident__household__building", "point")
        .order_by("resident__household__building__path", "resident__household__sort_key", "pk")
    )
    now = timezone.now()
    nexts = {}
    for point in {d.point for d in diners}:
        sittings = ordering.next_sittings(point, now)
        nexts[point.pk] = sittings[-1] if sittings else None
    days = {s.day for s in nexts.values() if s}
    held = {
        (o.diner_id, o.day, o.meal): o
        for o in Order.objects.live().filter(diner__in=diners, day__in=days).select_related("set_meal")
    }
    rows = []
    for diner in diners:
        sitting = nexts.get(diner.point_id)
        found = held.get((diner.pk, sitting.day, sitting.meal)) if sitting else None
        rows.append((diner, sitting, found))
    return render(request, "meals/mine/group.html", {"rows": rows})
