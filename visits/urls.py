from django.urls import path

from visits.views import plans, staff

app_name = "visits"

urlpatterns = [
    path("", staff.index, name="index"),
    path("log/", staff.pick, name="log"),
    path("household/<int:household_id>/", staff.household, name="household"),
    path("<int:visit_id>/", staff.visit, name="visit"),
    path("<int:visit_id>/correct/", staff.correct, name="correct"),
    path("not-visited/", staff.not_visited, name="not_visited"),
    path("plans/", plans.plans, name="plans"),
    path("plans/new/", plans.new, name="plan_new"),
    path("plans/<int:plan_id>/", plans.plan, name="plan"),
    path("plans/<int:plan_id>/edit/", plans.edit, name="plan_edit"),
    path("plans/<int:plan_id>/shares/", plans.shares, name="plan_shares"),
    path("plans/<int:plan_id>/delete/", plans.delete, name="plan_delete"),
]
