from django.urls import path

from demands.views import partners, projects, residents, staff

app_name = "demands"

urlpatterns = [
    # Residents and their families
    path("", residents.index, name="index"),
    path("new/", residents.new, name="new"),
    path("<int:demand_id>/", residents.show, name="show"),
    path("<int:demand_id>/reply/", residents.reply, name="reply"),
    path("<int:demand_id>/rate/", residents.rate, name="rate"),
    path("<int:demand_id>/reopen/", residents.reopen, name="reopen"),
    path("<int:demand_id>/withdraw/", residents.withdraw, name="withdraw"),
    path("<int:demand_id>/photos/<int:photo_id>/", residents.photo, name="photo"),
    # Staff
    path("queue/", staff.queue, name="queue"),
    path("queue/<int:demand_id>/", staff.detail, name="detail"),
    path("queue/<int:demand_id>/assign/", staff.assign, name="assign"),
    path("queue/<int:demand_id>/start/", staff.start, name="start"),
    path("queue/<int:demand_id>/respond/", staff.respond, name="respond"),
    path("queue/<int:demand_id>/resolve/", staff.resolve, name="resolve"),
    path("queue/<int:demand_id>/decline/", staff.decline, name="decline"),
    path("queue/<int:demand_id>/close/", staff.close, name="close"),
    path("queue/<int:demand_id>/project/", staff.join_project, name="join_project"),
    path("log/", staff.log, name="log"),
    path("categories/", staff.category_list, name="categories"),
    path("categories/<int:category_id>/", staff.category_edit, name="category_edit"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("projects/<int:project_id>/", projects.project, name="project"),
    path("projects/<int:project_id>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:project_id>/status/", projects.project_move, name="project_move"),
    path("projects/<int:project_id>/demands/", projects.project_group, name="project_group"),
    path("figures/", staff.figures, name="figures"),
    # The partner unit a request is given to
    path("unit/<int:demand_id>/", partners.unit_request, name="unit_request"),
    path("unit/<int:demand_id>/reply/", partners.unit_reply, name="unit_reply"),
    path("unit/<int:demand_id>/start/", partners.unit_start, name="unit_start"),
    path("unit/<int:demand_id>/resolve/", partners.unit_resolve, name="unit_resolve"),
]
