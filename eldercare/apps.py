from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EldercareConfig(AppConfig):
    name = "eldercare"
    verbose_name = _("Elderly watch")

    def ready(self) -> None:
        from eldercare import community_map  # noqa: F401 - registers the map's figures
