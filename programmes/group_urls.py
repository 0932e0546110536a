"""URLs of a programme's groups, under /programmas/<slug>/groepen/ (namespace "programmes")."""

from django.urls import path

from programmes import group_views

urlpatterns = [
    path("", group_views.group_list, name="groups"),
    path("nieuw/", group_views.group_create, name="group_create"),
    path("<int:pk>/", group_views.group_detail, name="group"),
    path("<int:pk>/bewerken/", group_views.group_edit, name="group_edit"),
    path("<int:pk>/verwijderen/", group_views.group_delete, name="group_delete"),
    path("<int:pk>/kartrekkers/", group_views.kartrekkers_set, name="group_kartrekkers"),
    path("<int:pk>/leden/", group_views.member_add, name="group_member_add"),
    path("<int:pk>/leden/<int:lid>/", group_views.member_edit, name="group_member_edit"),
    path(
        "<int:pk>/leden/<int:lid>/verwijderen/",
        group_views.member_remove,
        name="group_member_remove",
    ),
]
