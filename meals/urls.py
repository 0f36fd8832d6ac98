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
    # path("diners/<int:diner_id>/", diners.diner, name="diner"),
    # --- end of diners ---
    # --- Subsidy rules (views/subsidies.py) ---
    # path("rules/<int:rule_id>/", subsidies.rule, name="rule"),
    # --- end of subsidies ---
    # --- Orders taken by staff, standing orders, payments (views/orders.py) ---
    # path("orders/<int:order_id>/", orders.order, name="order"),
    # --- end of orders ---
    # --- A resident's (and their family's, their building leader's) pages (views/mine.py) ---
    # --- end of mine ---
    # --- The kitchen: counts and labels (views/kitchen.py) ---
    path("kitchen/<int:point_id>/", kitchen.kitchen, name="kitchen"),
    path("kitchen/<int:point_id>/labels/", kitchen.labels, name="labels"),
    # --- end of kitchen ---
    # --- Delivery: routes, rounds, hand-overs (views/delivery.py) ---
    path("points/<int:point_id>/routes/", delivery.routes, name="routes"),
    path("routes/<int:route_id>/", delivery.route, name="route"),
    path("rounds/<int:run_id>/", delivery.round, name="round"),
    path("deliver/", delivery.deliver, name="deliver"),
    # --- end of delivery ---
    # --- Statements and figures (views/statements.py) ---
    # --- end of statements ---
]

# Imported for the parts above; each part adds its own paths.
__all__ = ["delivery", "diners", "kitchen", "menus", "mine", "orders", "points", "statements", "subsidies"]
