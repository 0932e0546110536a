"""Status updates on an inspanning: posting one, correcting it, and the timeline panel on the
inspanning's page (registered with doelenboom.panels in FaseringConfig.ready).

Plain forms with a redirect and a message. Who may post: fasering.progress.require_report (a
crafted POST too); who may correct: the author, for 24 hours (fasering.status).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.forms import save_or_conflict, show_errors
from doelenboom.models import Inspanning
from fasering import status
from fasering.progress import may_report, require_report
from fasering.status_forms import StatusupdateForm
from programmes.access import ProgrammaAccess, programma_access

FORM = "fasering/status_form.html"


def _timeline_url(slug: str, inspanning: Inspanning) -> str:
    return reverse("doelenboom:inspanning", args=[slug, inspanning.pk]) + "#tijdlijn"


@login_required
def status_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    inspanning = status.inspanning_of(access.programma, pk)
    require_report(request.user, access, inspanning)
    today = timezone.localdate()
    schedule = status.schedule_of(inspanning)
    form = StatusupdateForm(
        request.POST or None,
        inspanning=inspanning,
        initial_step=status.suggested_step(inspanning, schedule, today),
        planned=status.planned_label(schedule, today),
        today=today,
    )
    if request.method == "POST" and form.is_valid():
        try:
            status.post_statusupdate(inspanning, request.user, today=today, **form.values())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Uw statusupdate staat op de tijdlijn."))
            return redirect(_timeline_url(slug, inspanning))
    return render(request, FORM, access.context(form=form, inspanning=inspanning))


@login_required
def status_correct(request: HttpRequest, slug: str, pk: int, update: int) -> HttpResponse:
    access = programma_access(request, slug)
    inspanning = status.inspanning_of(access.programma, pk)
    require_report(request.user, access, inspanning)
    statusupdate = status.update_of(inspanning, update)
    status.require_correct(request.user, statusupdate)
    form = StatusupdateForm(request.POST or None, inspanning=inspanning, update=statusupdate)
    conflict = ""
    if request.method == "POST" and form.is_valid():

        def save() -> bool:
            return status.correct_statusupdate(
                statusupdate,
                request.user,
                expected_versie=form.cleaned_data["versie"] or 0,
                reason=form.cleaned_data["reden"],
                **form.values(),
            )

        def stored() -> StatusupdateForm:
            return StatusupdateForm(
                inspanning=inspanning, update=status.update_of(inspanning, update)
            )

        changed, form, conflict = save_or_conflict(form, save, stored)
        if changed is not None:
            messages.success(
                request,
                _("Uw statusupdate is gecorrigeerd.") if changed else _("Niets gewijzigd."),
            )
            return redirect(_timeline_url(slug, inspanning))
    context = access.context(
        form=form, inspanning=inspanning, statusupdate=statusupdate, conflict=conflict
    )
    return render(request, FORM, context)


def timeline_panel(
    request: HttpRequest, access: ProgrammaAccess, inspanning: Inspanning
) -> SafeString:
    """The "Voortgang" section of an inspanning's page: every update, newest first."""
    context = access.context(
        inspanning=inspanning,
        entries=status.timeline(inspanning, request.user),
        may_report=may_report(request.user, access, inspanning),
    )
    return render_to_string("fasering/status_timeline.html", context, request=request)
