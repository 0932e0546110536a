"""Pages that bring several apps together: the programme list and a programme's overview."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from avk.queries import (
    archived_programmes,
    inspanningen_per_categorie,
    programme_figures,
    programmes_overview,
)
from core.htmx import HtmxHttpRequest
from fasering.overview import dashboard
from programmes.access import programma_access
from programmes.models import Rol
from programmes.services import may_create_programma


def home(request: HtmxHttpRequest) -> HttpResponse:
    # Mijn werk is where everyone starts (its login_required sends visitors to the login).
    return redirect("mijn_werk:index")


@login_required
def programme_list(request: HtmxHttpRequest) -> HttpResponse:
    programmas = list(programmes_overview(request.user))
    for programma in programmas:
        programma.mijn_rol_label = Rol(programma.mijn_rol).label if programma.mijn_rol else ""
    context = {
        "programmas": programmas,
        "gearchiveerd": archived_programmes(request.user),
        "may_create": may_create_programma(request.user),
    }
    return render(request, "avk/programme_list.html", context)


@login_required
def programme_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    programma = access.programma
    context = access.context(
        overview=programme_figures(request.user, programma),
        per_categorie=inspanningen_per_categorie(programma),
        # Progress at a glance, with the open stuurgroep remarks.
        voortgang=dashboard(programma),
        groepen=programma.groepen.prefetch_related("leden__organisatie", "leden__user"),
    )
    return render(request, "avk/programme_detail.html", context)
