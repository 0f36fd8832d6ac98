from django.urls import path

from volunteers.views import teams

app_name = "volunteers"

urlpatterns = [
    # --- Teams, members and volunteers (views/teams.py) ---
    path("", teams.index, name="index"),
    # --- end of teams ---
    #
    # --- Shifts (views/shifts.py) ---
    # --- end of shifts ---
    #
    # --- Hours (views/hours.py) ---
    # --- end of hours ---
    #
    # --- Time bank (views/bank.py) ---
    # --- end of time bank ---
    #
    # --- Recognition and certificates (views/recognition.py) ---
    # --- end of recognition ---
]
