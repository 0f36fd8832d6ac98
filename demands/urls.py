from django.urls import path

from demands.views import handling, residents, running

app_name = "demands"

urlpatterns = [
    # Residents and their families
    path("", residents.index, name="index"),
    path("new/", residents.new, name="new"),
    path("<int:request_id>/", residents.show, name="show"),
    path("<int:request_id>/reply/", residents.reply, name="reply"),
    path("<int:request_id>/rate/", residents.rate, name="rate"),
    path("<int:request_id>/reopen/", residents.reopen, name="reopen"),
    path("<int:request_id>/withdraw/", residents.withdraw, name="withdraw"),
    path("<int:request_id>/photos/<int:photo_id>/", residents.photo, name="photo"),
    # Staff
    path("queue/", handling.queue, name="queue"),
    path("queue/<int:request_id>/", handling.detail, name="detail"),
    path("queue/<int:request_id>/assign/", handling.assign, name="assign"),
    path("queue/<int:request_id>/start/", handling.start, name="start"),
    path("queue/<int:request_id>/respond/", handling.respond, name="respond"),
    path("queue/<int:request_id>/resolve/", handling.resolve, name="resolve"),
    path("queue/<int:request_id>/decline/", handling.decline, name="decline"),
    path("queue/<int:request_id>/close/", handling.close, name="close"),
    path("queue/<int:request_id>/project/", handling.join_project, name="join_project"),
    path("log/", handling.log, name="log"),
    path("categories/", running.category_list, name="categories"),
    path("categories/<int:category_id>/", running.category_edit, name="category_edit"),
    path("projects/", running.project_list, name="projects"),
    path("projects/new/", running.project_new, name="project_new"),
    path("projects/<int:project_id>/", running.project, name="project"),
    path("projects/<int:project_id>/edit/", running.project_edit, name="project_edit"),
    path("projects/<int:project_id>/status/", running.project_move, name="project_move"),
    path("projects/<int:project_id>/requests/", running.project_group, name="project_group"),
    path("figures/", running.figures, name="figures"),
]
