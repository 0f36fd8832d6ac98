from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:notification_id>/", views.open_one, name="open"),
    path("read-all/", views.read_all, name="read_all"),
]
