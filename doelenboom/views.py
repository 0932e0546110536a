from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from avk.http import HtmxHttpRequest, template_for
from doelenboom.models import Bijdrage, Inspanning, InspanningPartner
from doelenboom.queries import (
    TreeFilters,
    build_tree,
    partner_overview,
    partner_page,
    tree_partners,
)
from programmes.access import programma_access


def tree_urls(programma) -> dict[str, str]:
    """URL prefixes for the tree's many per-item links.

    Reversing a URL per link cost a third of the tree page's time; these prefixes are
    reversed once and the item part appended in the template (tests follow the links).
    """
    return {
        "boom": reverse("doelenboom:tree", args=[programma.slug]),
        "partners": reverse("doelenboom:partners", args=[programma.slug]),
        "inspanningen": reverse("programmes:detail", args=[programma.slug]) + "inspanningen/",
    }


@login_required
def tree(request: HtmxHttpRequest, slug: str):
    access = programma_access(request, slug)
    filters = TreeFilters.from_query(request.GET)
    context = {
        "access": access,
        "programma": access.programma,
        "tree": build_tree(access.programma, filters),
        "filters": filters,
        "partners": tree_partners(access.programma),
        "categorieen": Inspanning.Categorie.choices,
        "u": tree_urls(access.programma),
    }
    return render(request, template_for(request, "doelenboom/tree.html", "results"), context)


@login_required
def inspanning_detail(request: HtmxHttpRequest, slug: str, pk: int):
    access = programma_access(request, slug)
    inspanning = get_object_or_404(
        Inspanning.objects.select_related("groep").prefetch_related(
            Prefetch(
                "bijdragen",
                queryset=Bijdrage.objects.select_related(
                    "operationeel_doel__strategisch_doel__ambitie"
                ),
            ),
            Prefetch(
                "partnerrollen", queryset=InspanningPartner.objects.select_related("organisatie")
            ),
            "stappen",
        ),
        programma=access.programma,
        pk=pk,
    )
    context = {"access": access, "programma": access.programma, "inspanning": inspanning}
    return render(request, "doelenboom/inspanning_detail.html", context)


@login_required
def partner_list(request: HtmxHttpRequest, slug: str):
    access = programma_access(request, slug)
    context = {
        "access": access,
        "programma": access.programma,
        "partners": partner_overview(access.programma),
    }
    return render(request, "doelenboom/partner_list.html", context)


@login_required
def partner_detail(request: HtmxHttpRequest, slug: str, organisatie: str):
    access = programma_access(request, slug)
    context = {
        "access": access,
        "programma": access.programma,
        "page": partner_page(access.programma, organisatie),
    }
    return render(request, "doelenboom/partner_detail.html", context)
