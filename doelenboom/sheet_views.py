"""Download the goal tree as "inspanningen op een rij" (.xlsx) and upload it back.

The upload, preview and confirmation behave as every import does (core.imports.run_import).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import excel
from core.htmx import HtmxHttpRequest
from core.imports import ImportPage, run_import
from doelenboom import sheets
from programmes.access import programma_access, require_edit


@login_required
@require_GET
def export_tree(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    return excel.download(
        sheets.export_workbook(access.programma), sheets.export_filename(access.programma)
    )


@login_required
def import_tree(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    require_edit(access)

    tree_url = reverse("doelenboom:tree", args=[access.programma.slug])

    def render_page(page: ImportPage) -> HttpResponse:
        context = access.context(
            page=page,
            heading=_("Inspanningen importeren uit Excel"),
            import_url=request.path,
            back_url=tree_url,
        )
        return render(request, "doelenboom/sheet_import.html", context)

    return run_import(
        request, sheets.TreeImporter(access.programma), render_page=render_page, done_url=tree_url
    )
