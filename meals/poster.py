"""A week's menu as an A4 poster for the canteen's wall and the lobby: the days down the page,
the meals across, each set meal with its price and dishes (tags and allergens named), the
point's address and phone, and a QR code to order online."""

from __future__ import annotations

import io

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from common.downloads import named
from common.pdf import document, markup, qr_footer, styles
from meals.menus import week_grid
from meals.models import MEAL_ORDER, Allergen, DishTag, MealKind, Menu

QR_MM = 28
HEADER = colors.HexColor("#eef3ea")
RULE = colors.HexColor("#999999")


def order_url(menu: Menu) -> str:
    """Where the QR code leads: the residents' ordering page, opened at this point."""
    return f"{settings.MULIN_BASE_URL.rstrip('/')}/meals/mine/?point={menu.point_id}"


def money(amount) -> str:
    return _("%(amount)s yuan") % {"amount": f"{amount:.2f}"}


def _dish_line(dish) -> str:
    words = [str(DishTag(t).label) for t in dish.tag_list if t in DishTag.values]
    allergens = [str(Allergen(a).label) for a in dish.allergen_list if a in Allergen.values]
    if allergens:
        words.append(_("contains %(allergens)s") % {"allergens": "、".join(allergens)})
    return dish.name + (f" ({'，'.join(words)})" if words else "")


def render_poster(menu: Menu) -> bytes:
    """The PDF of ``menu`` (with its set meals and dishes prefetched)."""
    base = styles()
    cell = ParagraphStyle("MealCell", parent=base.body, fontSize=9, leading=12)
    head = ParagraphStyle("MealHead", parent=cell, fontName=base.heading.fontName)
    point = menu.point
    meals = sorted({s.meal for s in menu.set_meals.all()}, key=lambda m: MEAL_ORDER.get(m, 9))  # type: ignore[call-overload]
    buffer = io.BytesIO()
    title = _("%(point)s · menu for the week of %(day)s") % {
        "point": point.name,
        "day": f"{menu.week_start:%Y-%m-%d}",
    }
    doc = document(buffer, title=title, author=point.name)
    width = doc.width
    story: list = [Paragraph(markup(point.name), base.title)]
    story.append(
        Paragraph(
            markup(_("Menu for the week of %(day)s") % {"day": f"{menu.week_start:%Y-%m-%d}"}), base.heading
        )
    )
    if menu.note:
        story.append(Paragraph(markup(menu.note), base.body))
    rows = [[Paragraph("", head)] + [Paragraph(markup(str(MealKind(m).label)), head) for m in meals]]
    for day in week_grid(menu):
        by_meal = {str(label): set_meals for label, set_meals in day.meals}
        row = [Paragraph(markup(day.name), head)]
        for meal in meals:
            parts = []
            for set_meal in by_meal.get(str(MealKind(meal).label), []):
                dishes = "；".join(markup(_dish_line(d)) for d in set_meal.dishes.all())
                parts.append(
                    f"<b>{markup(set_meal.label)} · {markup(money(set_meal.price))}</b><br/>{dishes}"
                )
            row.append(Paragraph("<br/>".join(parts) or "—", cell))
        rows.append(row)
    day_width = 26 * mm
    table = Table(
        rows,
        colWidths=[day_width] + [(width - day_width) / max(len(meals), 1)] * len(meals),
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story += [Spacer(1, 2 * mm), table, Spacer(1, 4 * mm)]
    contact = [
        p for p in (point.address, point.phone and _("Phone: %(phone)s") % {"phone": point.phone}) if p
    ]
    lines = [Paragraph(markup(_("Scan to order, or call the canteen.")), base.heading)]
    lines += [Paragraph(markup(text), base.body) for text in contact]
    story.append(qr_footer(order_url(menu), QR_MM, lines, width))
    doc.build(story)
    return buffer.getvalue()


def poster_response(menu: Menu) -> HttpResponse:
    response = HttpResponse(render_poster(menu), content_type="application/pdf")
    name = _("%(point)s menu %(day)s.pdf") % {"point": menu.point.name, "day": f"{menu.week_start:%Y-%m-%d}"}
    return named(response, name, f"menu-{menu.week_start:%Y-%m-%d}.pdf", inline=True)
