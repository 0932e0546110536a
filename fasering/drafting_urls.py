"""URLs of this part of fasering; included by fasering/urls.py (namespace "fasering")."""

from django.urls import path

from fasering import drafting_views

urlpatterns: list = [
    path(
        "reflectie/<int:jaar>/volgend-faseplan/",
        drafting_views.draft_next,
        name="draft_next",
    ),
]
