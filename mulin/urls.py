from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from mulin import figures, today, views
from mulin.api import api

# The admin shows personal data: a verified TOTP device is required, as for staff pages.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("today/", today.today, name="today"),
    path("figures/beneficiaries/", figures.beneficiaries, name="beneficiaries"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/two-factor/passkey/", include("accounts.passkey_urls")),
    path("accounts/", include("accounts.urls")),
    path("settings/", include("accounts.settings_urls")),
    path("areas/", include("areas.urls")),
    path("audit/", include("audit.urls")),
    path("registry/", include("registry.urls")),
    path("notices/", include("notices.urls")),
    path("notifications/", include("notifications.urls")),
    path("activities/", include("activities.urls")),
    path("deliberation/", include("deliberation.urls")),
    path("conventions/", include("conventions.urls")),
    path("demands/", include("demands.urls")),
    # Residents' requests were at /requests/ until December 2026: links in messages already
    # sent, and bookmarks, land on the same page.
    re_path(
        r"^requests/(?P<rest>.*)$",
        RedirectView.as_view(url="/demands/%(rest)s", permanent=True, query_string=True),
        name="requests_moved",
    ),
    path("visits/", include("visits.urls")),
    path("eldercare/", include("eldercare.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("partners/", include("partners.urls")),
    path("spaces/", include("spaces.urls")),
    path("servicedays/", include("servicedays.urls")),
    path("aids/", include("aids.urls")),
    path("meals/", include("meals.urls")),
    path("funds/", include("funds.urls")),
    path("projects/", include("projects.urls")),
    path("recognition/", include("recognition.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
