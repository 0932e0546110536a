from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoelenboomConfig(AppConfig):
    name = "doelenboom"
    verbose_name = _("Doelenboom")
