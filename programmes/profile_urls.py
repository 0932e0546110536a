"""/profiel/: a user's own settings (namespace "profiel")."""

from django.urls import path

from programmes import profile_views

app_name = "profiel"

urlpatterns = [
    path("", profile_views.edit, name="edit"),
]
