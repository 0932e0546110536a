"""URLs of this part of fasering; included by fasering/urls.py (namespace "fasering").

The eiland van reflectie: the years, one year's page, and every edit on it (each name starts
with "reflection", which puts the page under "Reflectie" in the programme navigation).
"""

from django.urls import path

from fasering import reflection_views as views

_YEAR = "reflectie/<int:jaar>/"

urlpatterns: list = [
    path("reflectie/", views.reflection_list, name="reflection_list"),
    path(_YEAR, views.reflection_page, name="reflection"),
    path(f"{_YEAR}deel/<str:deel>/", views.reflection_part, name="reflection_part"),
    path(f"{_YEAR}inleiding/", views.reflection_intro, name="reflection_intro"),
    path(f"{_YEAR}sessies/nieuw/", views.reflection_session_add, name="reflection_session_add"),
    path(f"{_YEAR}sessies/<int:pk>/", views.reflection_session, name="reflection_session"),
    path(
        f"{_YEAR}sessies/<int:pk>/verwijderen/",
        views.reflection_session_delete,
        name="reflection_session_delete",
    ),
    path(
        f"{_YEAR}sessies/<int:pk>/vragen/nieuw/",
        views.reflection_question_add,
        name="reflection_question_add",
    ),
    path(f"{_YEAR}vragen/<int:pk>/", views.reflection_question, name="reflection_question"),
    path(
        f"{_YEAR}vragen/<int:pk>/verwijderen/",
        views.reflection_question_delete,
        name="reflection_question_delete",
    ),
    path(
        f"{_YEAR}vragen/<int:pk>/inbreng/nieuw/",
        views.reflection_contribution_add,
        name="reflection_contribution_add",
    ),
    path(
        f"{_YEAR}inbreng/<int:pk>/",
        views.reflection_contribution,
        name="reflection_contribution",
    ),
    path(
        f"{_YEAR}inbreng/<int:pk>/verwijderen/",
        views.reflection_contribution_delete,
        name="reflection_contribution_delete",
    ),
    path(f"{_YEAR}besluiten/<int:doel>/", views.reflection_decision, name="reflection_decision"),
    path(
        f"{_YEAR}besluiten/<int:doel>/wissen/",
        views.reflection_decision_clear,
        name="reflection_decision_clear",
    ),
    path(f"{_YEAR}trends/nieuw/", views.reflection_trend_add, name="reflection_trend_add"),
    path(f"{_YEAR}trends/<int:pk>/", views.reflection_trend, name="reflection_trend"),
    path(
        f"{_YEAR}trends/<int:pk>/verwijderen/",
        views.reflection_trend_delete,
        name="reflection_trend_delete",
    ),
]
