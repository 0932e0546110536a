"""URLs of this part of fasering; included by fasering/urls.py (namespace "fasering")."""

from django.urls import path

from fasering import progress_views

urlpatterns: list = [
    path("voortgang/", progress_views.progress_list, name="progress"),
]
