"""The progress list: a programme's inspanningen with their latest status, filtered as the
dashboard's figures link to it (`?licht=risico`, `?achter=1`, `?stil=1`, `?start=kwartaal`).

Everyone in the programme reads it. The filter form is a plain GET form; with htmx it swaps
only the result and moves focus to the sentence that says what is shown.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_htmx.http import trigger_client_event

from core.htmx import HtmxHttpRequest, template_for
from doelenboom.levels import tree_urls
from fasering import overview
from programmes.access import programma_access

PAGE = "fasering/voortgang.html"


@login_required
def progress_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    programma = access.programma
    today = timezone.localdate()
    filters, filter_errors = overview.parse_filters(request.GET)
    rows = overview.progress_rows(programma, filters, today)
    overview.mark_reportable(rows, request.user, access)
    summary = overview.describe(programma, filters, len(rows), today)
    context = access.context(
        rows=rows,
        filters=filters,
        filter_errors=filter_errors,
        summary=summary,
        lights=[(key, overview.light_label(key)) for key in overview.LIGHTS],
        capacity_end=overview.quarter_end(today),
        stale_days=overview.progress.STALE_DAYS,
        # Row links are this prefix plus "<pk>/" (doelenboom:inspanning) or
        # "<pk>/status/nieuw/" (fasering:status_new): reversing per row cost a third of a long
        # list's time.
        inspanningen_url=tree_urls(programma)["inspanningen"],
    )
    response = render(request, template_for(request, PAGE, "resultaat"), context)
    if request.htmx and not request.htmx.history_restore_request:
        trigger_client_event(
            response,
            "koers:changed",
            {"focus": "#voortgang-telling", "message": summary},
            after="settle",
        )
    return response
