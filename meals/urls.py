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
    path("points/<int:point_id>/orders/", orders.orders, name="orders"),
    path("points/<int:point_id>/take/", orders.take, name="take"),
    path("orders/<int:order_id>/", orders.order, name="order"),
    path("orders/<int:order_id>/cancel/", orders.order_cancel, name="order_cancel"),
    path("orders/<int:order_id>/pay/", orders.order_pay, name="order_pay"),
    path("orders/<int:order_id>/served/", orders.order_served, name="order_served"),
    path("standing/<int:standing_id>/", orders.standing_order, name="standing"),
    path("diners/<int:diner_id>/standing/new/", orders.standing_new, name="standing_new"),
    # --- end of orders ---
    # --- A resident's (and their family's, their building leader's) pages (views/mine.py) ---
    path("mine/", mine.mine, name="mine"),
    path("mine/order/", mine.mine_order, name="mine_order"),
    path("group/", mine.group, name="group"),
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
