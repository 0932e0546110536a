from django.apps import AppConfig


class AvkConfig(AppConfig):
    """The top: settings, urls, pages that combine apps, demo loading and bench commands."""

    name = "avk"
    verbose_name = "Koers"
