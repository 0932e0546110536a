"""A programme's risks and randvoorwaarden: the list, and recording, editing and deleting them.

Everyone in the programme reads; the programme leader and team write (fasering.rules). Plain
forms with a redirect and a message; a crafted POST by someone who may not gets 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.forms import save_or_conflict, show_errors
from fasering import risks
from fasering.access import may_plan
from fasering.models import Risico
from fasering.risk_forms import RisicoForm
from programmes.access import programma_access

FORM = "fasering/risk_form.html"


def _list_url(slug: str, risico: Risico | None = None) -> str:
    url = reverse("fasering:risks", args=[slug])
    return f"{url}#risico-{risico.pk}" if risico else url


@login_required
def risk_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    toon = risks.OPEN if request.GET.get("toon") == risks.OPEN else risks.ALLE
    may_edit = may_plan(request.user, access)
    context = access.context(
        secties=risks.risks_by_soort(access.programma, toon),
        toon=toon,
        may_edit_risks=may_edit,
    )
    return render(request, "fasering/risk_list.html", context)


@login_required
def risk_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    risks.require_risk_edit(access, request.user)
    form = RisicoForm(request.POST or None, programma=access.programma)
    if request.method == "POST" and form.is_valid():
        try:
            risico = risks.create_risico(
                access.programma,
                request.user,
                reason=form.cleaned_data["reden"],
                **form.values(),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("%(soort)s vastgelegd.") % {"soort": risico.get_soort_display()}
            )
            return redirect(_list_url(slug, risico))
    return render(request, FORM, access.context(form=form))


@login_required
def risk_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    risks.require_risk_edit(access, request.user)
    risico = risks.risk_of(access.programma, pk)
    form = RisicoForm(request.POST or None, instance=risico, programma=access.programma)
    conflict = ""
    if request.method == "POST" and form.is_valid():

        def save() -> bool:
            return risks.update_risico(
                risico,
                request.user,
                expected_versie=form.cleaned_data["versie"] or 0,
                reason=form.cleaned_data["reden"],
                **form.values(),
            )

        def stored() -> RisicoForm:
            return RisicoForm(
                instance=risks.risk_of(access.programma, pk), programma=access.programma
            )

        changed, form, conflict = save_or_conflict(form, save, stored)
        if changed is not None:
            messages.success(
                request,
                _("%(soort)s opgeslagen.") % {"soort": risico.get_soort_display()}
                if changed
                else _("Niets gewijzigd."),
            )
            return redirect(_list_url(slug, risico))
    return render(request, FORM, access.context(form=form, risico=risico, conflict=conflict))


@login_required
def risk_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    risks.require_risk_edit(access, request.user)
    risico = risks.risk_of(access.programma, pk)
    error = None
    if request.method == "POST":
        try:
            versie = int(request.POST.get("versie", ""))
        except ValueError:
            versie = -1
        try:
            risks.delete_risico(
                risico,
                request.user,
                expected_versie=versie,
                reason=request.POST.get("reden", "")[:200],
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
            risico = risks.risk_of(access.programma, pk)
        else:
            messages.success(
                request, _("%(soort)s verwijderd.") % {"soort": risico.get_soort_display()}
            )
            return redirect(_list_url(slug))
    return render(request, "fasering/risk_delete.html", access.context(risico=risico, error=error))
