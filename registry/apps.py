from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Household registry")

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from registry import crypto

        setting_changed.connect(crypto.forget_keys, dispatch_uid="registry_forget_keys")
