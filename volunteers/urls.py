from django.urls import path

from volunteers.views import bank, hours, recognition, shifts, teams

app_name = "volunteers"

urlpatterns = [
    # --- Teams, members and volunteers (views/teams.py) ---
    path("", teams.index, name="index"),
    path("teams/", teams.directory, name="directory"),
    path("teams/new/", teams.team_new, name="team_new"),
    path("teams/<int:team_id>/", teams.team, name="team"),
    path("teams/<int:team_id>/join/", teams.join, name="team_join"),
    path("teams/<int:team_id>/leave/", teams.leave, name="team_leave"),
    path("teams/<int:team_id>/roster/", teams.roster, name="team_roster"),
    path("teams/<int:team_id>/edit/", teams.team_edit, name="team_edit"),
    path("teams/<int:team_id>/dissolve/", teams.team_dissolve, name="team_dissolve"),
    path("groups/", teams.categories, name="categories"),
    path("people/", teams.volunteers, name="volunteers"),
    path("people/new/", teams.volunteer_new, name="volunteer_new"),
    path("people/<int:volunteer_id>/", teams.volunteer, name="volunteer"),
    path("me/", teams.me, name="me"),
    path("register/<str:code>/", teams.register, name="register"),
    path("register/<str:code>/code/", teams.send_code, name="send_code"),
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
    path("recognition/", recognition.figures, name="recognition"),
    path("recognition/list/", recognition.honour_roll, name="honour_roll"),
    path("recognition/list.xlsx", recognition.honour_roll_xlsx, name="honour_roll_xlsx"),
    path("recognition/mine/", recognition.mine, name="my_recognition"),
    path("certificates/", recognition.certificate_list, name="certificates"),
    path("certificates/new/", recognition.certificate_issue, name="certificate_issue"),
    path("certificates/<int:certificate_id>/", recognition.certificate, name="certificate"),
    path("certificates/<int:certificate_id>/pdf/", recognition.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<int:certificate_id>/revoke/", recognition.certificate_revoke, name="certificate_revoke"
    ),
    path(
        "certificates/check/<str:certificate_token>/",
        recognition.certificate_check,
        name="certificate_check",
    ),
    # --- end of recognition ---
]
