from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared plumbing (htmx, Excel, formats, PDF); imports no app of Koers."""

    name = "core"
    verbose_name = "Koers-basis"
