"""Bag labels: an A4 sheet of 3 × 8 labels for the delivered and take-away orders of one meal,
in the order the bags go out: by delivery route, then stop, then room. Orders whose building
is on no route come last, under "no route"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from common.pdf import cjk_fonts
from meals.kitchen import tag_names
from meals.models import Allergen, DiningPoint, DishTag, Mode, Order, RouteStop, split_list

COLUMNS, ROWS = 3, 8
NO_ROUTE = 10**6


@dataclass
class Label:
    name: str
    building: str
    room: str
    label: str
    needs: str
    route: str
    stop: int | None
    day: date
    meal: str
    sort_key: tuple


def labels_for(point: DiningPoint, day: date, meal: str) -> list[Label]:
    """The labels of one meal, sorted by route, stop, room (two queries)."""
    stops = {
        s.building_id: s
        for s in RouteStop.objects.filter(point=point, route__archived_at__isnull=True).select_related(
            "route"
        )
    }
    # The stop's number is its place in its route's round.
    numbers: dict[int, int] = {}
    for route_id in {s.route_id for s in stops.values()}:
        ordered = sorted(
            (s for s in stops.values() if s.route_id == route_id), key=lambda s: (s.position, s.pk)
        )
        for i, s in enumerate(ordered, start=1):
            numbers[s.building_id] = i
    orders = (
        Order.objects.live()
        .filter(point=point, day=day, meal=meal, mode__in=[Mode.DELIVERED, Mode.TAKE_AWAY])
        .select_related("diner__resident__household__building", "set_meal")
    )
    out = []
    for order in orders:
        household = order.diner.resident.household
        stop = stops.get(household.building_id)
        needs = tag_names(split_list(order.diner.needs), DishTag.choices) + [
            _("no %(allergen)s") % {"allergen": a}
            for a in tag_names(split_list(order.diner.allergies), Allergen.choices)
        ]
        route_key = (stop.route.position, stop.route_id) if stop else (NO_ROUTE, 0)
        out.append(
            Label(
                name=order.diner.resident.name,
                building=household.building.name,
                room=household.room,
                label=order.set_meal.label,
                needs="、".join(needs),
                route=stop.route.name if stop else _("no route"),
                stop=numbers.get(household.building_id) if stop else None,
                day=day,
                meal=order.get_meal_display(),
                sort_key=(
                    *route_key,
                    numbers.get(household.building_id, 0),
                    household.building.name if not stop else "",
                    household.room,
                    order.diner.resident.name,
                    order.pk,
                ),
            )
        )
    return sorted(out, key=lambda label: label.sort_key)


def _fit(c: canvas.Canvas, text: str, font: str, size: float, width: float) -> str:
    while text and c.stringWidth(text, font, size) > width:
        text = text[:-1]
    return text


def labels_pdf(point: DiningPoint, day: date, meal: str) -> bytes:
    regular, bold = cjk_fonts()
    buffer = BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.setTitle(_("Bag labels") + f" {point.name} {day:%Y-%m-%d}")
    c.setAuthor(point.name)
    page_w, page_h = A4
    margin_x, margin_y = 7 * mm, 10 * mm
    cell_w = (page_w - 2 * margin_x) / COLUMNS
    cell_h = (page_h - 2 * margin_y) / ROWS
    pad = 3 * mm
    width = cell_w - 2 * pad
    labels = labels_for(point, day, meal)
    if not labels:
        c.setFont(regular, 12)
        c.drawString(margin_x, page_h - margin_y - 12, _("No delivered or take-away orders for this meal."))
    for index, label in enumerate(labels):
        slot = index % (COLUMNS * ROWS)
        if index and slot == 0:
            c.showPage()
        col, row = slot % COLUMNS, slot // COLUMNS
        x = margin_x + col * cell_w + pad
        top = page_h - margin_y - row * cell_h - pad
        c.setFont(bold, 13)
        c.drawString(x, top - 12, _fit(c, f"{label.name}  {label.label}", bold, 13, width))
        c.setFont(regular, 10)
        c.drawString(x, top - 26, _fit(c, f"{label.building} {label.room}", regular, 10, width))
        if label.needs:
            c.setFont(bold, 10)
            c.drawString(x, top - 40, _fit(c, label.needs, bold, 10, width))
        c.setFont(regular, 8)
        where = label.route if label.stop is None else f"{label.route} · {_('stop')} {label.stop}"
        c.drawString(x, top - 54, _fit(c, where, regular, 8, width))
        c.drawString(x, top - 65, _fit(c, f"{label.day:%Y-%m-%d} {label.meal}", regular, 8, width))
    c.showPage()
    c.save()
    return buffer.getvalue()
