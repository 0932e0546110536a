"""Download the goal tree as "inspanningen op een rij" (.xlsx) and upload it back.

The upload, preview, choices and confirmation behave as every import does
(core.imports.run_import); the page speaks of the tree's levels in the programme's own words.
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
from programmes.models import TREE_LEVELS


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
    programma = access.programma
    importer = sheets.TreeImporter(programma)
    tree_url = reverse("doelenboom:tree", args=[programma.slug])
    levels = {
        level: {
            "een": programma.level_label(level),
            "meer": programma.level_label(level, plural=True),
        }
        for level in TREE_LEVELS
    }

    def render_page(page: ImportPage) -> HttpResponse:
        context = access.context(
            page=page,
            heading=_("%(niveau)s importeren uit Excel") % {"niveau": levels["inspanning"]["meer"]},
            import_url=request.path,
            back_url=tree_url,
            levels=levels,
            columns={c.key: c.header for c in importer.layout.columns},
        )
        return render(request, "doelenboom/sheet_import.html", context)

    return run_import(request, importer, render_page=render_page, done_url=tree_url)
