"""URLs of a programme's members page, under /programmas/<slug>/leden/ (namespace "programmes")."""

from django.urls import path

from programmes import member_views

urlpatterns = [
    path("", member_views.members, name="members"),
    path("uitnodigen/", member_views.invite, name="invite"),
    path("uitnodigingen/<int:pk>/intrekken/", member_views.withdraw, name="withdraw"),
    path("<int:pk>/rol/", member_views.change_role, name="change_role"),
    path("<int:pk>/toegang-intrekken/", member_views.revoke, name="revoke"),
]
