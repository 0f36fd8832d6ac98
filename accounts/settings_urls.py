from django.urls import path

from accounts import views

app_name = "settings"
urlpatterns = [
    path("", views.settings_page, name="index"),
    path("elderly-mode/", views.toggle_elderly_mode, name="elderly_mode"),
    path("language/", views.set_language, name="language"),
    path("messages/", views.message_channels, name="messages"),
]
