"""Pages of the programmes app: starting a programme."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.htmx import HtmxHttpRequest
from programmes.forms import ProgrammaForm
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
            programma = create_programma(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Programma „%(naam)s” is gestart. U bent de programmaleider.")
                % {"naam": programma.naam},
            )
            return redirect(programma)
    return render(request, "programmes/programme_form.html", {"form": form})
