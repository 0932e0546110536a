"""Moving a faseplan through its status: ter besluitvorming, terugnemen, vaststellen.

Each action has a confirmation page (GET) and its POST, which goes back to the plan's page
with a message. Those who may not move the status get a 403,
also for a crafted POST; a plan of another programme is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.formats import long_date
from core.forms import show_errors
from core.htmx import HtmxHttpRequest
from fasering import adoption
from fasering.adoption_forms import AdoptForm, StatusForm
from fasering.models import Faseplan
from programmes.access import ProgrammaAccess, programma_access

PAGE = "fasering/faseplan_status_confirm.html"


def _plan(request: HtmxHttpRequest, slug: str, nummer: int, perm: str):
    access = programma_access(request, slug)
    faseplan = get_object_or_404(Faseplan, programma=access.programma, nummer=nummer)
    if access.archived:
        raise PermissionDenied(_("Dit programma is gearchiveerd en alleen te lezen."))
    if not request.user.has_perm(perm, access.programma):
        raise PermissionDenied(_("U mag de status van dit faseplan niet wijzigen."))
    return access, faseplan


def plan_url(faseplan: Faseplan) -> str:
    return reverse("fasering:detail", args=[faseplan.programma.slug, faseplan.nummer])


def _confirm(
    request: HtmxHttpRequest, access: ProgrammaAccess, faseplan: Faseplan, action: str, form
) -> HttpResponse:
    context = access.context(
        faseplan=faseplan,
        action=action,
        form=form,
        replaces=list(adoption.overlapping_adopted(faseplan)) if action == "vaststellen" else [],
        plan_url=plan_url(faseplan),
        nav_section="faseplannen",
    )
    return render(request, PAGE, context)


def _done(request: HtmxHttpRequest, faseplan: Faseplan, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(plan_url(faseplan))


def _move(request: HtmxHttpRequest, slug: str, nummer: int, action: str) -> HttpResponse:
    """Ter besluitvorming brengen or terugnemen: a confirmation, then one service call."""
    access, faseplan = _plan(request, slug, nummer, "fasering.submit_faseplan")
    if request.method != "POST":
        return _confirm(request, access, faseplan, action, StatusForm(initial=_version(faseplan)))
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _confirm(request, access, faseplan, action, form)
    service = (
        adoption.submit_faseplan if action == "ter-besluitvorming" else adoption.withdraw_submission
    )
    try:
        saved = service(faseplan, request.user, expected_versie=form.cleaned_data["versie"])
    except ValidationError as error:
        show_errors(form, error)
        return _confirm(request, access, faseplan, action, form)
    if action == "ter-besluitvorming":
        message = _("%(titel)s is ter besluitvorming gebracht.") % {"titel": saved.titel}
    else:
        message = _("%(titel)s is weer een concept.") % {"titel": saved.titel}
    return _done(request, saved, message)


def _version(faseplan: Faseplan) -> dict:
    return {"versie": faseplan.versie}


@login_required
def submit(request: HtmxHttpRequest, slug: str, nummer: int) -> HttpResponse:
    return _move(request, slug, nummer, "ter-besluitvorming")


@login_required
def withdraw(request: HtmxHttpRequest, slug: str, nummer: int) -> HttpResponse:
    return _move(request, slug, nummer, "terugnemen")


@login_required
def adopt(request: HtmxHttpRequest, slug: str, nummer: int) -> HttpResponse:
    access, faseplan = _plan(request, slug, nummer, "fasering.adopt_faseplan")
    if request.method != "POST":
        form = AdoptForm(initial=_version(faseplan))
        return _confirm(request, access, faseplan, "vaststellen", form)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        return _confirm(request, access, faseplan, "vaststellen", form)
    try:
        saved = adoption.adopt_faseplan(
            faseplan,
            request.user,
            form.cleaned_data["besloten_op"],
            form.cleaned_data["besluit"],
            expected_versie=form.cleaned_data["versie"],
        )
    except ValidationError as error:
        show_errors(form, error)
        return _confirm(request, access, faseplan, "vaststellen", form)
    message = _("%(titel)s is vastgesteld op %(datum)s.") % {
        "titel": saved.titel,
        "datum": long_date(saved.besloten_op),
    }
    return _done(request, saved, message)
