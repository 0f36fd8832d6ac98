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
    # --- end of kitchen ---
    # --- Delivery: routes, rounds, hand-overs (views/delivery.py) ---
    # path("routes/<int:route_id>/", delivery.route, name="route"),
    # path("rounds/<int:run_id>/", delivery.round, name="round"),
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
