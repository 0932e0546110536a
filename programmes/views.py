"""Pages of the programmes app: starting a programme (and naming its leader)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.forms import show_errors
from core.htmx import HtmxHttpRequest
from programmes.forms import ProgrammaForm
from programmes.models import Programma, Rol
from programmes.services import create_programma, may_create_programma


@login_required
def programme_create(request: HtmxHttpRequest) -> HttpResponse:
    if not may_create_programma(request.user):
        raise PermissionDenied(
            _("U mag geen nieuw programma starten. Vraag de beheerder van Koers om dat te doen.")
        )
    form = ProgrammaForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            programma = create_programma(
                user=request.user, absolute_url=request.build_absolute_uri, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _started_message(request, programma))
            return redirect(programma)
    return render(request, "programmes/programme_form.html", {"form": form})


def _started_message(request: HtmxHttpRequest, programma: Programma) -> str:
    """What starting the programme did: who leads it, and the creator's own role."""
    naam = {"naam": programma.naam}
    leader = (
        programma.lidmaatschappen.filter(rol=Rol.PROGRAMMALEIDER)
        .exclude(user=request.user)
        .select_related("user")
        .first()
    )
    if leader is not None:
        return _(
            "Programma „%(naam)s” is gestart. %(leider)s is de programmaleider en heeft daarover "
            "een e-mail gekregen; u bent lid van het programmateam."
        ) % {**naam, "leider": leader.user.get_full_name() or leader.user.email}
    invitation = programma.uitnodigingen.first()
    if invitation is not None:
        return _(
            "Programma „%(naam)s” is gestart. %(email)s is per e-mail uitgenodigd als "
            "programmaleider. Tot die de uitnodiging aanneemt, bent u programmaleider; daarna "
            "past u uw eigen rol aan op de ledenpagina."
        ) % {**naam, "email": invitation.email}
    return _("Programma „%(naam)s” is gestart. U bent de programmaleider.") % naam
