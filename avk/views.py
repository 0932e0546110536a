from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from avk.http import HtmxHttpRequest
from avk.queries import programmes_overview
from doelenboom.models import Inspanning
from programmes.access import programma_access
from programmes.forms import ProgrammaForm
from programmes.models import Rol
from programmes.services import create_programma, may_create_programma


def home(request: HtmxHttpRequest):
    return redirect("programmes:list")


@login_required
def programme_list(request: HtmxHttpRequest):
    programmas = list(programmes_overview(request.user))
    for programma in programmas:
        programma.mijn_rol_label = Rol(programma.mijn_rol).label if programma.mijn_rol else ""
    context = {"programmas": programmas, "may_create": may_create_programma(request.user)}
    return render(request, "avk/programme_list.html", context)


@login_required
def programme_create(request: HtmxHttpRequest):
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
    return render(request, "avk/programme_form.html", {"form": form})


@login_required
def programme_detail(request: HtmxHttpRequest, slug: str):
    access = programma_access(request, slug)
    programma = access.programma
    per_categorie = (
        Inspanning.objects.filter(programma=programma)
        .values("categorie")
        .annotate(n=Count("pk"))
        .order_by("categorie")
    )
    labels = dict(Inspanning.Categorie.choices)
    context = {
        "access": access,
        "programma": programma,
        "overview": programmes_overview(request.user).get(pk=programma.pk),
        "per_categorie": [(labels[row["categorie"]], row["n"]) for row in per_categorie],
        "groepen": programma.groepen.prefetch_related("leden__organisatie", "leden__user"),
    }
    return render(request, "avk/programme_detail.html", context)
