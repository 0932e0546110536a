"""Drafting the next faseplan from a reflection's decisions: the preview, then applying it.

GET shows what drafting would change; the confirm posts the preview's digest, and when the
data changed in between the page shows the new preview instead of applying. Leader and team
only (403 for the other members, also for a crafted POST; 404 for outsiders).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from core.htmx import HtmxHttpRequest
from fasering import drafting
from fasering.access import require_plan
from fasering.models import Faseplan
from programmes.access import ProgrammaAccess, programma_access

PAGE = "fasering/draft_next.html"


def _page(
    request: HtmxHttpRequest,
    access: ProgrammaAccess,
    draft: drafting.Draft,
    *,
    changed_since: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = access.context(
        draft=draft,
        reflectie=draft.reflectie,
        reflectie_url=_reflection_url(access, draft.reflectie.jaar),
        changed_since=changed_since,
    )
    return render(request, PAGE, context, status=status)


def _reflection_url(access: ProgrammaAccess, jaar: int) -> str:
    # The reflection page is another part of fasering; without it the page links back less.
    try:
        return reverse("fasering:reflection", args=[access.programma.slug, jaar])
    except NoReverseMatch:
        return ""


def _plan_url(plan: Faseplan) -> str:
    return reverse("fasering:detail", args=[plan.programma.slug, plan.nummer])


@login_required
def draft_next(request: HtmxHttpRequest, slug: str, jaar: int) -> HttpResponse:
    access = programma_access(request, slug)
    require_plan(
        request.user,
        access,
        _("Alleen de programmaleider en het programmateam stellen een faseplan op."),
    )
    reflectie = drafting.reflection_of(access.programma, jaar)
    if request.method != "POST":
        return _page(request, access, drafting.draft_next(reflectie))
    try:
        draft = drafting.apply_draft(reflectie, expected_digest=request.POST.get("digest", "")[:64])
    except drafting.DraftChanged as changed:
        return _page(request, access, changed.draft, changed_since=True, status=409)
    except drafting.DraftRefused:
        return _page(request, access, drafting.draft_next(reflectie), status=409)
    plan = Faseplan.objects.get(programma=access.programma, nummer=draft.nummer)
    if draft.has_changes:
        messages.success(
            request,
            _("%(titel)s is opgesteld uit het eiland van reflectie %(jaar)s.")
            % {"titel": plan.titel, "jaar": reflectie.jaar},
        )
    else:
        messages.info(request, _("Er was niets te wijzigen."))
    return redirect(_plan_url(plan))
