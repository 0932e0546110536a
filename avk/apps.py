from django.apps import AppConfig


class AvkConfig(AppConfig):
    """Shared page chrome, htmx helpers and management commands."""

    name = "avk"
    verbose_name = "Koers"
