from django.http import HttpRequest

from programmes.queries import programmes_for


def nav_section(view_name: str) -> str:
    """Which item of the programme navigation a page belongs to, by its namespaced URL name."""
    namespace, _, name = view_name.rpartition(":")
    if name.startswith("partner"):
        return "partners"
    if name.startswith("group"):
        return "groepen"
    if namespace == "doelenboom":
        return "doelenboom"
    if namespace == "fasering":
        if name.startswith("risk"):
            return "risicos"
        if name.startswith(("status", "progress")):
            return "voortgang"
        if name.startswith(("reflection", "draft")):
            return "reflectie"
        return "planning" if name.startswith("planning") else "faseplannen"
    if name in {"members", "invite", "withdraw", "change_role", "revoke"}:
        return "leden"
    return "overzicht" if namespace == "programmes" else ""


def chrome(request: HttpRequest) -> dict[str, object]:
    """The programmes of the header's programme switcher (lazily: only pages with a header),
    and the navigation item the page belongs to.

    Archived programmes are left out; they still open by their URL.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    return {
        "switcher_programmas": lambda: programmes_for(user).filter(gearchiveerd_op__isnull=True),
        "nav_section": nav_section(match.view_name) if match else "",
    }
