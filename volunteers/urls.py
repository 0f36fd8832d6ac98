from django.urls import path

from volunteers.views import bank, hours, teams

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
    path("hours/", hours.mine, name="hours"),
    path("hours/to-confirm/", hours.to_confirm, name="hours_to_confirm"),
    path("hours/log-for/", hours.log_for, name="hours_log_for"),
    path("hours/<int:hours_id>/correct/", hours.correct, name="hours_correct"),
    # --- end of hours ---
    #
    # --- Time bank (views/bank.py) ---
    path("bank/", bank.mine, name="bank"),
    path("bank/family/<int:resident_id>/", bank.family, name="bank_family"),
    path("bank/ask/", bank.ask, name="bank_ask"),
    path("bank/mine/<int:bank_request_id>/", bank.request_action, name="bank_request_action"),
    path("bank/requests/", bank.requests, name="bank_requests"),
    path("bank/requests/<int:bank_request_id>/", bank.bank_request, name="bank_request"),
    path("bank/pool/", bank.pool, name="bank_pool"),
    path("bank/balances/", bank.balances, name="bank_balances"),
    path("bank/settings/", bank.bank_settings, name="bank_settings"),
    # --- end of time bank ---
    #
    # --- Recognition and certificates (views/recognition.py) ---
    # --- end of recognition ---
]
