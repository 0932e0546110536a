"""URLs of this part of fasering; included by fasering/urls.py (namespace "fasering").

The eiland van reflectie: the years, one year's page, and every edit on it (each name starts
with "reflection", which puts the page under "Reflectie" in the programme navigation).
"""

from django.urls import path

from fasering import reflection_views as views

_YEAR = "reflectie/<int:jaar>/"


def _kind(kind: views.Kind) -> list:
    """Adding, changing and deleting one kind: e.g. reflection_session_add at sessies/nieuw/
    (a question: sessies/4/vragen/nieuw/), reflection_session at sessies/4/ and
    reflection_session_delete at sessies/4/verwijderen/."""
    up = views.KINDS.get(kind.up)
    new = f"{up.path}/<int:pk>/{kind.path}/nieuw/" if up else f"{kind.path}/nieuw/"
    one = f"{_YEAR}{kind.path}/<int:pk>/"
    name = f"reflection_{kind.url}"
    return [
        path(f"{_YEAR}{new}", views.reflection_add, {"kind": kind}, name=f"{name}_add"),
        path(one, views.reflection_change, {"kind": kind}, name=name),
        path(f"{one}verwijderen/", views.reflection_remove, {"kind": kind}, name=f"{name}_delete"),
    ]


urlpatterns: list = [
    path("reflectie/", views.reflection_list, name="reflection_list"),
    path(_YEAR, views.reflection_page, name="reflection"),
    path(f"{_YEAR}deel/<str:deel>/", views.reflection_part, name="reflection_part"),
    path(f"{_YEAR}inleiding/", views.reflection_intro, name="reflection_intro"),
    *(pattern for kind in views.KINDS.values() for pattern in _kind(kind)),
    path(f"{_YEAR}besluiten/<int:doel>/", views.reflection_decision, name="reflection_decision"),
    path(
        f"{_YEAR}besluiten/<int:doel>/wissen/",
        views.reflection_decision_clear,
        name="reflection_decision_clear",
    ),
]
