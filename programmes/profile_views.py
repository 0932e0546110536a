"""/profiel/: the logged-in user's own profile. There is no URL for anyone else's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.forms import show_errors
from core.htmx import HtmxHttpRequest
from programmes import profile
from programmes.profile_forms import ProfielForm


def _confirmation(changed: set[str], herinneringen: bool) -> str:
    if not changed:
        return _("Niets gewijzigd.")
    parts = []
    if "naam" in changed:
        parts.append(_("Uw naam is opgeslagen."))
    if "herinneringen" in changed:
        parts.append(
            _("Herinneringen per e-mail staan aan.")
            if herinneringen
            else _("Herinneringen per e-mail staan uit: u krijgt geen herinneringen meer.")
        )
    return " ".join(parts)


@login_required
def edit(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    current = profile.profile_of(user)
    initial = {
        "first_name": current.first_name,
        "last_name": current.last_name,
        "herinneringen": current.herinneringen,
    }
    form = ProfielForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = profile.update_profile(user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _confirmation(changed, form.cleaned_data["herinneringen"]))
            return redirect("profiel:edit")
    return render(request, "programmes/profiel.html", {"form": form, "profiel": current})
