"""URLs of this part of fasering; included by fasering/urls.py (namespace "fasering")."""

urlpatterns: list = []
