from django.urls import path

from eldercare.views import keeping, watching

app_name = "eldercare"

urlpatterns = [
    path("", keeping.index, name="index"),
    path("mine/", watching.mine, name="mine"),
    path("mine/<int:watch_id>/check/", watching.record, name="record"),
    path("candidates/", keeping.candidates, name="candidates"),
    path("alerts/", keeping.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", keeping.alert, name="alert"),
    path("policy/", keeping.policy, name="policy"),
    path("<int:watch_id>/", keeping.watch, name="watch"),
]
