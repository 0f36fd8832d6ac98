from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("<int:entry_id>/", views.entry, name="entry"),
]
