"""Pages for site administrators: archiving, restoring and deleting a programme."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import show_errors
from core.htmx import HtmxHttpRequest
from programmes import lifecycle
from programmes.access import programma_access, require_administer
from programmes.lifecycle_forms import ArchiveForm, DeleteForm


@login_required
def programme_archive(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    require_administer(access)
    programma = access.programma
    if access.archived:
        messages.info(request, _("Dit programma is al gearchiveerd."))
        return redirect(programma)
    form = ArchiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.archive_programma(programma, reason=form.cleaned_data["reden"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Programma „%(naam)s” is gearchiveerd. Het staat nu onder „Gearchiveerd” "
                    "en is alleen nog te lezen."
                )
                % {"naam": programma.naam},
            )
            return redirect("programmes:list")
    return render(request, "programmes/programme_archive.html", access.context(form=form))


@login_required
@require_POST
def programme_unarchive(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    require_administer(access)
    programma = lifecycle.unarchive_programma(access.programma)
    messages.success(
        request,
        _("Programma „%(naam)s” is teruggezet uit het archief en weer te bewerken.")
        % {"naam": programma.naam},
    )
    return redirect(programma)


@login_required
def programme_delete(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    require_administer(access)
    programma = access.programma
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.delete_programma(programma, naam=form.cleaned_data["naam"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("Programma „%(naam)s” is verwijderd, met alles wat erbij hoorde.")
                % {"naam": programma.naam},
            )
            return redirect("programmes:list")
    context = access.context(form=form, impact=lifecycle.delete_impact(programma))
    return render(request, "programmes/programme_delete.html", context)
