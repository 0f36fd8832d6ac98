from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedaysConfig(AppConfig):
    name = "servicedays"
    verbose_name = _("Service days")
