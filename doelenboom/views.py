"""Reading the goal tree: the tree page, an inspanning's sheet and the partner pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core.htmx import HtmxHttpRequest, template_for
from doelenboom.levels import tree_urls
from doelenboom.models import Inspanning
from doelenboom.panels import panels_for
from doelenboom.queries import (
    TreeFilters,
    build_tree,
    inspanning_sheet,
    partner_overview,
    partner_page,
    tree_partners,
)
from programmes.access import programma_access


@login_required
def tree(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    filters = TreeFilters.from_query(request.GET)
    tree = build_tree(access.programma, filters)
    template = template_for(request, "doelenboom/tree.html", "results")
    context = access.context(
        tree=tree,
        filters=filters,
        q=filters.q,
        partners=tree_partners(access.programma),
        # Only categories in use, and the chosen one so that the form says what is shown.
        categorieen=[
            (value, label)
            for value, label in Inspanning.Categorie.choices
            if value in tree.categorieen or value == filters.categorie
        ],
        u=tree_urls(access.programma),
        # Filtered in place: the count and "Filters wissen" outside the results swap too.
        in_place=template != "doelenboom/tree.html",
    )
    return render(request, template, context)


@login_required
def inspanning_detail(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    inspanning = inspanning_sheet(access.programma, pk)
    context = access.context(
        inspanning=inspanning,
        panels=panels_for(request, access, inspanning),
    )
    return render(request, "doelenboom/inspanning_detail.html", context)


@login_required
def partner_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    overview = partner_overview(access.programma)
    context = access.context(
        partners=overview.current,
        voormalig=overview.former,
        gedeeld=overview.shared,
    )
    return render(request, "doelenboom/partner_list.html", context)


@login_required
def partner_detail(request: HtmxHttpRequest, slug: str, organisatie: str) -> HttpResponse:
    access = programma_access(request, slug)
    context = access.context(
        page=partner_page(access.programma, organisatie),
    )
    return render(request, "doelenboom/partner_detail.html", context)
