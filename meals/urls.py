from django.urls import path

from meals.views import delivery, diners, kitchen, menus, mine, orders, points, statements, subsidies

app_name = "meals"

urlpatterns: list = [
    # --- Dining points, meals served, pause (views/points.py) ---
    # path("points/<int:point_id>/", points.point, name="point"),
    # --- end of points ---
    # --- Dishes, weekly menus, the poster (views/menus.py) ---
    # path("menus/<int:menu_id>/", menus.menu, name="menu"),
    # --- end of menus ---
    # --- Diners (views/diners.py) ---
    path("diners/", diners.diners, name="diners"),
    path("diners/new/", diners.diner_new, name="diner_new"),
    path("diners/<int:diner_id>/", diners.diner, name="diner"),
    path("diners/<int:diner_id>/edit/", diners.diner_edit, name="diner_edit"),
    path("diners/<int:diner_id>/end/", diners.diner_end, name="diner_end"),
    path("diners/<int:diner_id>/reveal/", diners.diner_reveal, name="diner_reveal"),
    # --- end of diners ---
    # --- Subsidy rules (views/subsidies.py) ---
    path("rules/", subsidies.rules, name="rules"),
    path("rules/new/", subsidies.rule_new, name="rule_new"),
    path("rules/<int:rule_id>/", subsidies.rule, name="rule"),
    path("rules/<int:rule_id>/edit/", subsidies.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/end/", subsidies.rule_end, name="rule_end"),
    path("rules/<int:rule_id>/delete/", subsidies.rule_delete, name="rule_delete"),
    # --- end of subsidies ---
    # --- Orders taken by staff, standing orders, payments (views/orders.py) ---
    # path("orders/<int:order_id>/", orders.order, name="order"),
    # --- end of orders ---
    # --- A resident's (and their family's, their building leader's) pages (views/mine.py) ---
    # --- end of mine ---
    # --- The kitchen: counts and labels (views/kitchen.py) ---
    # --- end of kitchen ---
    # --- Delivery: routes, rounds, hand-overs (views/delivery.py) ---
    # path("routes/<int:route_id>/", delivery.route, name="route"),
    # path("rounds/<int:run_id>/", delivery.round, name="round"),
    # --- end of delivery ---
    # --- Statements and figures (views/statements.py) ---
    # --- end of statements ---
]

# Imported for the parts above; each part adds its own paths.
__all__ = ["delivery", "diners", "kitchen", "menus", "mine", "orders", "points", "statements", "subsidies"]
