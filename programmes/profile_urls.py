"""/profiel/: a user's own settings (namespace "profiel")."""

app_name = "profiel"

urlpatterns: list = []
