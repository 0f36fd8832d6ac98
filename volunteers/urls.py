from django.urls import path

from volunteers.views import teams

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
