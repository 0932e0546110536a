"""The page that compares two faseplannen of a programme."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.htmx import HtmxHttpRequest
from fasering.compare import compare_contents
from fasering.content import content_of
from fasering.queries import faseplannen, get_faseplan
from programmes.access import programma_access


@login_required
def compare(request: HtmxHttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    """Plan `a` against plan `b`: each as it was adopted (its snapshot) or as it is now."""
    access = programma_access(request, slug)
    oud = get_faseplan(access.programma, a)
    nieuw = get_faseplan(access.programma, b)
    context = access.context(
        oud=oud,
        nieuw=nieuw,
        bronnen=[(oud, _("Eerdere versie")), (nieuw, _("Latere versie"))],
        vergelijking=compare_contents(content_of(oud), content_of(nieuw)),
        faseplannen=faseplannen(access.programma),
    )
    return render(request, "fasering/compare.html", context)


@login_required
def choose(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The choice of two plans (a GET form, also without JavaScript), then their comparison."""
    access = programma_access(request, slug)
    plans = list(faseplannen(access.programma))
    numbers = {plan.nummer for plan in plans}
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if a.isdigit() and b.isdigit() and int(a) in numbers and int(b) in numbers:
        return redirect("fasering:compare", access.programma.slug, int(a), int(b))
    chosen = bool(a or b)
    context = access.context(faseplannen=plans, fout=chosen, gekozen_a=a, gekozen_b=b)
    return render(request, "fasering/compare_choose.html", context)
