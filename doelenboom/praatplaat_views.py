from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from core.htmx import HtmxHttpRequest
from doelenboom.models import Ambitie
from doelenboom.praatplaat import praatplaat_for
from programmes.access import programma_access


@login_required
def praatplaat(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    ambitie = get_object_or_404(
        Ambitie.objects.select_related("programma", "groep"), programma=access.programma, pk=pk
    )
    context = access.context(
        praatplaat=praatplaat_for(ambitie),
    )
    return render(request, "doelenboom/praatplaat.html", context)
