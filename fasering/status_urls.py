"""URLs of this part of fasering; included by fasering/urls.py (namespace "fasering")."""

from django.urls import path

from fasering import status_views

urlpatterns: list = [
    path(
        "inspanningen/<int:pk>/status/nieuw/",
        status_views.status_new,
        name="status_new",
    ),
    path(
        "inspanningen/<int:pk>/status/<int:update>/corrigeren/",
        status_views.status_correct,
        name="status_correct",
    ),
]
