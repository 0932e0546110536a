from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaseringConfig(AppConfig):
    name = "fasering"
    verbose_name = _("Fasering")
