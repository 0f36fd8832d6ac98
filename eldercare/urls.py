from django.urls import path

from eldercare.views import residents, staff

app_name = "eldercare"

urlpatterns = [
    path("", staff.index, name="index"),
    path("mine/", residents.mine, name="mine"),
    path("mine/<int:watch_id>/check/", residents.record, name="record"),
    path("candidates/", staff.candidates, name="candidates"),
    path("alerts/", staff.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", staff.alert, name="alert"),
    path("policy/", staff.policy, name="policy"),
    path("<int:watch_id>/", staff.watch, name="watch"),
]
