from django.contrib import admin
from django.urls import include, path

from mulin import views
from mulin.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("settings/", include("accounts.settings_urls")),
    path("areas/", include("areas.urls")),
    path("audit/", include("audit.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
