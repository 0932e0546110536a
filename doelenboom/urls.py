from django.urls import path

from doelenboom import views

app_name = "doelenboom"

urlpatterns = [
    path("doelenboom/", views.tree, name="tree"),
    path("inspanningen/<int:pk>/", views.inspanning_detail, name="inspanning"),
]
urlpatterns += [
    path("partners/", views.partner_list, name="partners"),
    path("partners/<slug:organisatie>/", views.partner_detail, name="partner"),
]
