from django.urls import path

from fasering import views

app_name = "fasering"

# -- the faseplan pages and editing them (helper "faseplan pages") -------------------------------
urlpatterns: list = [
    path("faseplannen/", views.faseplan_list, name="list"),
    path("faseplannen/<int:nummer>/", views.faseplan_detail, name="detail"),
    path("faseplannen/<int:nummer>/deel/<str:sectie>/", views.section, name="section"),
    path("faseplannen/<int:nummer>/teksten/", views.edit_texts, name="texts"),
    path("faseplannen/<int:nummer>/fases/", views.edit_fases, name="fases"),
    path("faseplannen/<int:nummer>/fases/<int:pk>/", views.edit_fase, name="fase"),
    path(
        "faseplannen/<int:nummer>/fases/<int:pk>/verwijderen/",
        views.delete_fase,
        name="fase_delete",
    ),
    path("faseplannen/<int:nummer>/doelen/", views.pick_goals, name="goals"),
    path(
        "faseplannen/<int:nummer>/doelen/<int:doel>/inspanningen/",
        views.pick_inspanningen,
        name="inspanningen",
    ),
    path("faseplannen/<int:nummer>/onderdelen/<int:pk>/", views.edit_item, name="item"),
]

# -- adoption: the status flow (helper "adoption") -----------------------------------------------
from fasering import adoption_views  # noqa: E402

urlpatterns += [
    path(
        "faseplannen/<int:nummer>/ter-besluitvorming/",
        adoption_views.submit,
        name="faseplan_submit",
    ),
    path(
        "faseplannen/<int:nummer>/terugnemen/",
        adoption_views.withdraw,
        name="faseplan_withdraw",
    ),
    path("faseplannen/<int:nummer>/vaststellen/", adoption_views.adopt, name="faseplan_adopt"),
]

# -- risks and randvoorwaarden (helper "risks and demo") -----------------------------------------
from fasering import risk_views  # noqa: E402

urlpatterns += [
    path("risicos/", risk_views.risk_list, name="risks"),
    path("risicos/nieuw/", risk_views.risk_create, name="risk_create"),
    path("risicos/<int:pk>/bewerken/", risk_views.risk_edit, name="risk_edit"),
    path("risicos/<int:pk>/verwijderen/", risk_views.risk_delete, name="risk_delete"),
]

# -- comparison and remarks (helper "remarks and compare") ---------------------------------------
from fasering import compare_views, remark_views  # noqa: E402

urlpatterns += [
    path("faseplannen/vergelijken/", compare_views.choose, name="compare_choose"),
    path(
        "faseplannen/<int:a>/vergelijken/<int:b>/",
        compare_views.compare,
        name="compare",
    ),
    path(
        "faseplannen/<int:nummer>/opmerkingen/",
        remark_views.add_remark,
        name="add_remark",
    ),
    path(
        "faseplannen/<int:nummer>/opmerkingen/<int:pk>/antwoord/",
        remark_views.answer_remark,
        name="answer_remark",
    ),
    path(
        "faseplannen/<int:nummer>/opmerkingen/<int:pk>/afhandelen/",
        remark_views.resolve_remark,
        name="resolve_remark",
    ),
]

# -- planning: the multi-year project planning (helper "planning") -------------------------------
from fasering import planning_views  # noqa: E402

urlpatterns += [
    path("planning/", planning_views.planning_page, name="planning"),
    path(
        "planning/<int:pk>/",
        planning_views.set_project_planning,
        name="planning_project",
    ),
]

# -- progress and reflection: status updates, the progress list, the eiland van reflectie and
# drafting the next faseplan from its decisions
from fasering import drafting_urls, progress_urls, reflection_urls, status_urls  # noqa: E402

urlpatterns += status_urls.urlpatterns
urlpatterns += progress_urls.urlpatterns
urlpatterns += reflection_urls.urlpatterns
urlpatterns += drafting_urls.urlpatterns
