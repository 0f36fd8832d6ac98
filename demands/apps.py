from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    # Residents' requests (诉求). Not called "requests": that name is the HTTP library's.
    name = "demands"
    verbose_name = _("Residents' requests")
