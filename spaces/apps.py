from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "spaces"
    verbose_name = _("Spaces and bookings")

    def ready(self) -> None:
        from spaces import community_map  # noqa: F401 - puts the sites and spaces on the map
