from django.urls import path

from volunteers.views import shifts, teams

app_name = "volunteers"

urlpatterns = [
    # --- Teams, members and volunteers (views/teams.py) ---
    path("", teams.index, name="index"),
    # --- end of teams ---
    #
    # --- Shifts (views/shifts.py) ---
    path("shifts/", shifts.index, name="shifts"),
    path("shifts/mine/", shifts.mine, name="my_shifts"),
    path("shifts/run/", shifts.manage, name="shift_manage"),
    path("shifts/new/", shifts.new, name="shift_new"),
    path("shifts/<int:shift_id>/", shifts.detail, name="shift"),
    path("shifts/<int:shift_id>/claim/", shifts.claim, name="shift_claim"),
    path("shifts/<int:shift_id>/edit/", shifts.edit, name="shift_edit"),
    path("shifts/<int:shift_id>/cancel/", shifts.cancel, name="shift_cancel"),
    path("shifts/<int:shift_id>/roster/", shifts.roster_page, name="shift_roster"),
    path("shifts/claims/<int:claim_id>/withdraw/", shifts.withdraw, name="shift_withdraw"),
    path("shifts/claims/<int:claim_id>/swap/", shifts.swap, name="shift_swap"),
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
