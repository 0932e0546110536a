"""Mijn werk (/mijn-werk/): where a user lands after logging in."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core.htmx import HtmxHttpRequest
from fasering.my_work import my_work
from fasering.progress import STALE_DAYS
from programmes.services import may_create_programma


@login_required
def index(request: HtmxHttpRequest) -> HttpResponse:
    context = {
        "werk": my_work(request.user),
        "stil_dagen": STALE_DAYS,
        "may_create": may_create_programma(request.user),
    }
    return render(request, "fasering/mijn_werk.html", context)
