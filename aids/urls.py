from django.urls import path  # noqa: F401

from aids.views import inventory, lending  # noqa: F401

app_name = "aids"

urlpatterns: list = [
    # --- Kinds of aid, their policies and the items (views/inventory.py) ---
    # --- end of inventory ---
    # --- Holds, loans, returns, renewals, overdue (views/lending.py) ---
    # --- end of lending ---
]
