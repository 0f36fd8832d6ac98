from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Household visits")

    def ready(self) -> None:
        # The visits' figures join the community map's list.
        from visits import community_map  # noqa: F401
