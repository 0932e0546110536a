from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render

from avk.http import HtmxHttpRequest
from avk.queries import programmes_overview
from doelenboom.models import Inspanning
from programmes.access import programma_access
from programmes.models import Rol


def home(request: HtmxHttpRequest):
    return redirect("programmes:list")


@login_required
def programme_list(request: HtmxHttpRequest):
    programmas = list(programmes_overview(request.user))
    for programma in programmas:
        programma.mijn_rol_label = Rol(programma.mijn_rol).label if programma.mijn_rol else ""
    return render(request, "avk/programme_list.html", {"programmas": programmas})


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
