from django.http import HttpRequest

from programmes.queries import programmes_for


def chrome(request: HttpRequest) -> dict[str, object]:
    """The programmes of the header's programme switcher (lazily: only pages with a header)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"switcher_programmas": lambda: programmes_for(user)}
