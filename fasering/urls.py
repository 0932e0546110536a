from django.urls import path  # noqa: F401  (each block below adds its paths)

app_name = "fasering"

urlpatterns: list = []
