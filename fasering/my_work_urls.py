"""/mijn-werk/: where a user lands after login (namespace "mijn_werk")."""

app_name = "mijn_werk"

urlpatterns: list = []
