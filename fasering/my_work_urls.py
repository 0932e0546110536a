"""/mijn-werk/: where a user lands after login (namespace "mijn_werk")."""

from django.urls import path

from fasering import my_work_views

app_name = "mijn_werk"

urlpatterns = [
    path("", my_work_views.index, name="index"),
]
