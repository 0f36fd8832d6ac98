"""Pages of projects: staff (projects, rounds, figures), judges, and the public pages."""

from django.urls import path

from projects.views import judging, public, staff

app_name = "projects"

urlpatterns: list = [
    # --- Staff: governance projects (views/staff.py) ---
    path("", staff.index, name="index"),
    path("new/", staff.project_new, name="project_new"),
    path("<int:gov_project_id>/", staff.project, name="project"),
    path("<int:gov_project_id>/edit/", staff.project_edit, name="project_edit"),
    path("<int:gov_project_id>/status/", staff.project_status, name="project_status"),
    path("<int:gov_project_id>/milestones/", staff.milestone_add, name="milestone_add"),
    path("<int:gov_project_id>/milestones/done/", staff.milestone_done, name="milestone_done"),
    path("<int:gov_project_id>/report/", staff.report, name="report"),
    path("<int:gov_project_id>/photos/", staff.photos_add, name="photos_add"),
    path("photos/<int:report_photo_id>/remove/", staff.photo_remove, name="photo_remove"),
    path("<int:gov_project_id>/enter/", staff.enter, name="enter"),
    path("figures/", staff.figures, name="figures"),
    # --- Staff: competition rounds ---
    path("rounds/", staff.rounds, name="rounds"),
    path("rounds/new/", staff.round_new, name="round_new"),
    path("rounds/<int:round_id>/", staff.round_detail, name="round"),
    path("rounds/<int:round_id>/edit/", staff.round_edit, name="round_edit"),
    path("rounds/<int:round_id>/rubric/", staff.rubric, name="rubric"),
    path("rounds/<int:round_id>/judges/", staff.judge_add, name="judge_add"),
    path("rounds/<int:round_id>/advance/", staff.advance, name="advance"),
    path("entries/<int:round_entry_id>/check/", staff.entry_check, name="entry_check"),
    path("objections/<int:objection_id>/answer/", staff.objection_answer, name="objection_answer"),
    # --- Judges (views/judging.py) ---
    path("judging/", judging.mine, name="judging"),
    path("judging/entries/<int:round_entry_id>/", judging.entry, name="judge_entry"),
    path("judging/entries/<int:round_entry_id>/conflict/", judging.conflict, name="judge_conflict"),
    # --- Public, no login (views/public.py) ---
    path("public/<int:gov_project_id>/", public.project, name="public_project"),
    path("public/photos/<int:report_photo_id>/", public.photo, name="public_photo"),
    path("competitions/", public.rounds, name="public_rounds"),
    path("competitions/<int:round_id>/", public.notice, name="notice"),
]
