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

from doelenboom import editing  # noqa: E402

urlpatterns += [
    path("doelenboom/<str:kind>/nieuw/", editing.add_item, name="add"),
    path("doelenboom/<str:kind>/<int:pk>/", editing.item_node, name="node"),
    path("doelenboom/<str:kind>/<int:pk>/bewerken/", editing.edit_item, name="edit"),
    path("doelenboom/<str:kind>/<int:pk>/verwijderen/", editing.delete_item, name="delete"),
    path("doelenboom/<str:kind>/<int:pk>/verplaatsen/", editing.move_item, name="move"),
    path("doelenboom/<str:kind>/<int:pk>/acties/", editing.item_actions, name="actions"),
]

from doelenboom import history_views  # noqa: E402

urlpatterns += [
    path("wijzigingen/", history_views.recent_changes, name="changes"),
    path(
        "doelenboom/<str:kind>/<int:pk>/geschiedenis/", history_views.item_history, name="history"
    ),
    path(
        "doelenboom/<str:kind>/<int:pk>/geschiedenis/<int:history_id>/terugzetten/",
        history_views.revert_item,
        name="revert",
    ),
    path(
        "doelenboom/<str:kind>/<int:pk>/geschiedenis/<str:link>/<int:history_id>/terugdraaien/",
        history_views.revert_link,
        name="revert_link",
    ),
    path("doelenboom/<str:kind>/<int:pk>/herstellen/", history_views.restore_item, name="restore"),
]

from doelenboom import sheet_views  # noqa: E402

urlpatterns += [
    path("doelenboom/inspanningen.xlsx", sheet_views.export_tree, name="tree_export"),
    path("doelenboom/importeren/", sheet_views.import_tree, name="tree_import"),
]

from doelenboom import praatplaat_views  # noqa: E402

urlpatterns += [
    path("ambities/<int:pk>/praatplaat/", praatplaat_views.praatplaat, name="praatplaat"),
]
