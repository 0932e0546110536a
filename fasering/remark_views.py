"""Leaving, answering and resolving remarks on a faseplan: in place with htmx, or as a plain
form post that returns to the plan. Every htmx answer is the section's remarks, re-rendered,
with the `koers:changed` event that moves focus and announces the change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from core.htmx import HtmxHttpRequest
from fasering import remarks
from fasering.models import Faseplan, Opmerking
from fasering.queries import get_faseplan
from programmes.access import ProgrammaAccess, programma_access


def _plan(request: HtmxHttpRequest, slug: str, nummer: int, perm: str, refusal: str):
    access = programma_access(request, slug)
    faseplan = get_faseplan(access.programma, nummer)
    if access.archived:
        raise PermissionDenied(_("Dit programma is gearchiveerd en alleen te lezen."))
    if not request.user.has_perm(perm, access.programma):
        raise PermissionDenied(refusal)
    return access, faseplan


def _remark(faseplan: Faseplan, pk: int) -> Opmerking:
    # Another plan's (or programme's) remark is not found here.
    return get_object_or_404(Opmerking, pk=pk, faseplan=faseplan)


def _plan_url(access: ProgrammaAccess, faseplan: Faseplan, sectie: str) -> str:
    url = reverse("fasering:detail", args=[access.programma.slug, faseplan.nummer])
    return f"{url}#opmerkingen-{sectie}"


def _answer(
    request: HtmxHttpRequest,
    access: ProgrammaAccess,
    faseplan: Faseplan,
    sectie: str,
    *,
    message: str = "",
    focus: str = "",
    fout: str = "",
    fout_bij: int | None = None,
    invoer: str = "",
) -> HttpResponse:
    """The section's remarks (htmx), or back to the plan; on an error without htmx, a page
    with the section's remarks and the message beside the field."""
    if not fout and not request.htmx:
        messages.success(request, message)
        return redirect(_plan_url(access, faseplan, sectie))
    context = access.context(
        faseplan=faseplan, sectie=sectie, fout=fout, fout_bij=fout_bij, invoer=invoer
    )
    if request.htmx:
        response = render(request, "fasering/section_remarks.html", context)
        if fout:
            focus = f"#antwoord-{fout_bij}" if fout_bij else f"#opmerking-nieuw-{sectie}"
        return trigger_client_event(
            response, "koers:changed", {"focus": focus, "message": message}, after="settle"
        )
    return render(request, "fasering/remark_page.html", context)


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def add_remark(request: HtmxHttpRequest, slug: str, nummer: int) -> HttpResponse:
    access, faseplan = _plan(
        request,
        slug,
        nummer,
        "fasering.add_opmerking",
        _("Alleen de stuurgroep en de programmaleider plaatsen opmerkingen."),
    )
    sectie = request.POST.get("sectie", "")
    tekst = request.POST.get("tekst", "")
    try:
        remarks.section_label(faseplan, sectie)
    except ValidationError as error:
        raise Http404 from error
    try:
        opmerking = remarks.add_remark(faseplan, sectie, tekst, request.user)
    except ValidationError as error:
        return _answer(request, access, faseplan, sectie, fout=_message(error), invoer=tekst)
    return _answer(
        request,
        access,
        faseplan,
        sectie,
        message=_("Uw opmerking is geplaatst."),
        focus=f"#opmerking-{opmerking.pk}",
    )


@login_required
@require_POST
def answer_remark(request: HtmxHttpRequest, slug: str, nummer: int, pk: int) -> HttpResponse:
    access, faseplan = _plan(
        request,
        slug,
        nummer,
        "fasering.answer_opmerking",
        _("Alleen de programmaleider beantwoordt opmerkingen."),
    )
    opmerking = _remark(faseplan, pk)
    antwoord = request.POST.get("antwoord", "")
    try:
        remarks.answer_remark(opmerking, antwoord, request.user)
    except ValidationError as error:
        return _answer(
            request,
            access,
            faseplan,
            opmerking.sectie,
            fout=_message(error),
            fout_bij=opmerking.pk,
            invoer=antwoord,
        )
    return _answer(
        request,
        access,
        faseplan,
        opmerking.sectie,
        message=_("Uw antwoord is opgeslagen."),
        focus=f"#opmerking-{opmerking.pk}",
    )


@login_required
@require_POST
def resolve_remark(request: HtmxHttpRequest, slug: str, nummer: int, pk: int) -> HttpResponse:
    access, faseplan = _plan(
        request,
        slug,
        nummer,
        "fasering.answer_opmerking",
        _("Alleen de programmaleider handelt opmerkingen af."),
    )
    opmerking = _remark(faseplan, pk)
    try:
        remarks.resolve_remark(opmerking, request.user)
    except ValidationError as error:
        return _answer(
            request, access, faseplan, opmerking.sectie, fout=_message(error), fout_bij=pk
        )
    return _answer(
        request,
        access,
        faseplan,
        opmerking.sectie,
        message=_("De opmerking is afgehandeld."),
        focus=f"#opmerkingen-{opmerking.sectie}-kop",
    )
