from django.urls import path

from volunteers.views import recognition, teams

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
