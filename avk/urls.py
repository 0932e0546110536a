from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from avk import views
from programmes import lifecycle_views, member_views
from programmes import views as programme_views

admin.site.site_header = _("Koers — beheer")
admin.site.site_title = _("Koers")

programme_patterns = (
    [
        path("", views.programme_list, name="list"),
        path("nieuw/", programme_views.programme_create, name="create"),
        path("<slug:slug>/", views.programme_detail, name="detail"),
        path("<slug:slug>/archiveren/", lifecycle_views.programme_archive, name="archive"),
        path("<slug:slug>/uit-archief/", lifecycle_views.programme_unarchive, name="unarchive"),
        path("<slug:slug>/verwijderen/", lifecycle_views.programme_delete, name="delete"),
        path("<slug:slug>/leden/", include("programmes.member_urls")),
        path("<slug:slug>/partners/", include("programmes.partner_urls")),
        path("<slug:slug>/groepen/", include("programmes.group_urls")),
    ],
    "programmes",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("uitnodiging/<str:token>/", member_views.accept, name="invitation"),
    path("mijn-werk/", include("fasering.my_work_urls")),
    path("profiel/", include("programmes.profile_urls")),
    path("programmas/", include(programme_patterns)),
    path("programmas/<slug:slug>/", include("doelenboom.urls")),
    path("programmas/<slug:slug>/", include("fasering.urls")),
    path("beheer/", admin.site.urls),
]
