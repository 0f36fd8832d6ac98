from django.urls import path  # noqa: F401

from servicedays.views import days, figures, queue  # noqa: F401

app_name = "servicedays"

urlpatterns: list = [
    # --- Service days and their stalls, planned month by month (views/days.py) ---
    # --- end of days ---
    # --- Queue numbers: take, call, serve, the lobby display (views/queue.py) ---
    # --- end of queue ---
    # --- Served counts, beneficiaries and wait times (views/figures.py) ---
    # --- end of figures ---
]
