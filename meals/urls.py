from django.urls import path

from meals.views import delivery, diners, kitchen, menus, mine, orders, points, statements, subsidies

app_name = "meals"

urlpatterns: list = [
    # --- Dining points, meals served, pause (views/points.py) ---
    path("", points.index, name="index"),
    path("points/new/", points.point_new, name="point_new"),
    path("points/<int:point_id>/", points.point, name="point"),
    path("points/<int:point_id>/edit/", points.point_edit, name="point_edit"),
    path("points/<int:point_id>/meal/", points.point_meal, name="point_meal"),
    path("points/<int:point_id>/meal/stop/", points.point_meal_stop, name="point_meal_stop"),
    path("points/<int:point_id>/pause/", points.point_pause, name="point_pause"),
    path("points/<int:point_id>/resume/", points.point_resume, name="point_resume"),
    path("points/<int:point_id>/close/", points.point_close, name="point_close"),
    # --- end of points ---
    # --- Dishes, weekly menus, the poster (views/menus.py) ---
    path("week/", menus.week, name="week"),
    path("points/<int:point_id>/menus/", menus.menus, name="menus"),
    path("points/<int:point_id>/dishes/new/", menus.dish_new, name="dish_new"),
    path("dishes/<int:dish_id>/", menus.dish, name="dish"),
    path("dishes/<int:dish_id>/archive/", menus.dish_archive, name="dish_archive"),
    path("menus/<int:menu_id>/", menus.menu, name="menu"),
    path("menus/<int:menu_id>/publish/", menus.menu_publish, name="menu_publish"),
    path("menus/<int:menu_id>/poster.pdf", menus.poster, name="poster"),
    path("set-meals/<int:set_meal_id>/", menus.set_meal, name="set_meal"),
    path("set-meals/<int:set_meal_id>/remove/", menus.set_meal_remove, name="set_meal_remove"),
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
    path("statements/", statements.index, name="statements"),
    path("statements/diners/<int:diner_id>/", statements.diner_statement, name="diner_statement"),
    path(
        "statements/diners/<int:diner_id>.xlsx", statements.diner_statement_xlsx, name="diner_statement_xlsx"
    ),
    path("statements/diners/<int:diner_id>.pdf", statements.diner_statement_pdf, name="diner_statement_pdf"),
    path("statements/funder/", statements.funder_statement, name="funder_statement"),
    path("statements/funder.xlsx", statements.funder_statement_xlsx, name="funder_statement_xlsx"),
    path("statements/funder.pdf", statements.funder_statement_pdf, name="funder_statement_pdf"),
    path("figures/", statements.figures, name="figures"),
    # --- end of statements ---
]

# Imported for the parts above; each part adds its own paths.
__all__ = ["delivery", "diners", "kitchen", "menus", "mine", "orders", "points", "statements", "subsidies"]
