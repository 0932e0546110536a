"""A programme's groups: the overview by soort, a page per group, and managing them.

Everyone in the programme reads; the programme leader creates, edits and deletes groups and
sets their members and kartrekkers. Member changes swap the members section in place with
htmx and announce what changed; without JavaScript they are plain posts and redirects.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from core.forms import show_errors
from core.htmx import HtmxHttpRequest
from programmes import groups
from programmes.access import ProgrammaAccess, programma_access, require_manage
from programmes.models import Groep, GroepLid
from programmes.partner_forms import GroepForm, GroepLidForm, KartrekkersForm

DETAIL = "programmes/group_detail.html"


def _require_manage(access: ProgrammaAccess) -> None:
    require_manage(access, _("Alleen de programmaleider beheert de groepen."))


def _group_url(groep: Groep, anchor: str = "") -> str:
    url = reverse("programmes:group", args=[groep.programma.slug, groep.pk])
    return f"{url}#{anchor}" if anchor else url


def _detail_context(
    access: ProgrammaAccess,
    groep: Groep,
    *,
    lid_form: GroepLidForm | None = None,
    kartrekkers_form: KartrekkersForm | None = None,
) -> dict:
    return access.context(
        groep=groep,
        kartrekkers=groups.kartrekkers(groep),
        links=groups.links_elsewhere(groep) if access.may_manage else [],
        lid_form=lid_form or GroepLidForm(programma=access.programma, prefix="lid"),
        kartrekkers_form=kartrekkers_form or KartrekkersForm(groep=groep, prefix="kartrekkers"),
    )


def _members_changed(
    request: HtmxHttpRequest, access: ProgrammaAccess, groep_pk: int, message: str, focus: str
) -> HttpResponse:
    """Answer a member change: the fresh members section (htmx), or the group page."""
    groep = groups.group_of(access.programma, groep_pk)
    if request.htmx:
        response = render(request, f"{DETAIL}#leden", _detail_context(access, groep))
        return trigger_client_event(
            response, "koers:changed", {"focus": focus, "message": message}, after="settle"
        )
    messages.success(request, message)
    return redirect(_group_url(groep, focus.lstrip("#")))


def _members_failed(request: HtmxHttpRequest, access: ProgrammaAccess, context: dict, focus: str):
    if request.htmx:
        response = render(request, f"{DETAIL}#leden", context)
        return trigger_client_event(response, "koers:changed", {"focus": focus}, after="settle")
    return render(request, DETAIL, context)


@login_required
def group_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    context = access.context(secties=groups.groups_by_soort(access.programma))
    return render(request, "programmes/group_list.html", context)


@login_required
def group_detail(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    groep = groups.group_of(access.programma, pk)
    return render(request, DETAIL, _detail_context(access, groep))


@login_required
def group_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    form = GroepForm(request.POST or None, programma=access.programma)
    if request.method == "POST" and form.is_valid():
        try:
            groep = groups.create_groep(access.programma, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("Groep „%(naam)s” aangemaakt. Voeg nu de leden toe.") % {"naam": groep.naam},
            )
            return redirect(_group_url(groep, "lid-toevoegen"))
    return render(request, "programmes/group_form.html", access.context(form=form))


@login_required
def group_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    groep = get_object_or_404(Groep, programma=access.programma, pk=pk)
    form = GroepForm(request.POST or None, instance=groep, programma=access.programma)
    if request.method == "POST" and form.is_valid():
        try:
            changed = groups.update_groep(groep, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("Groep „%(naam)s” opgeslagen.") % {"naam": form.cleaned_data["naam"]}
                if changed
                else _("Niets gewijzigd."),
            )
            return redirect(_group_url(groep))
    return render(request, "programmes/group_form.html", access.context(form=form, groep=groep))


@login_required
def group_delete(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    groep = groups.group_of(access.programma, pk)
    error = None
    if request.method == "POST":
        try:
            groups.delete_groep(groep, reason=request.POST.get("reden", "")[:200])
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Groep „%(naam)s” verwijderd.") % {"naam": groep.naam})
            return redirect("programmes:groups", access.programma.slug)
    context = access.context(groep=groep, links=groups.links_elsewhere(groep), error=error)
    return render(request, "programmes/group_delete.html", context)


@login_required
@require_POST
def member_add(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    groep = groups.group_of(access.programma, pk)
    form = GroepLidForm(request.POST, programma=access.programma, prefix="lid")
    if form.is_valid():
        try:
            lid = groups.add_group_member(groep, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            message = _("%(wie)s is lid van %(groep)s.") % {"wie": lid.wie, "groep": groep.naam}
            return _members_changed(request, access, groep.pk, message, f"#lid-{lid.pk}")
    context = _detail_context(access, groep, lid_form=form)
    return _members_failed(request, access, context, "#lid-fouten")


@login_required
def member_edit(request: HtmxHttpRequest, slug: str, pk: int, lid: int) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    groep = get_object_or_404(Groep, programma=access.programma, pk=pk)
    member = get_object_or_404(GroepLid.objects.select_related("groep"), groep=groep, pk=lid)
    form = GroepLidForm(request.POST or None, instance=member, programma=access.programma)
    if request.method == "POST" and form.is_valid():
        try:
            changed = groups.update_group_member(member, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            member.refresh_from_db()
            messages.success(
                request,
                _("%(wie)s opgeslagen.") % {"wie": member.wie}
                if changed
                else _("Niets gewijzigd."),
            )
            return redirect(_group_url(groep, f"lid-{member.pk}"))
    context = access.context(groep=groep, lid=member, form=form)
    return render(request, "programmes/group_member_form.html", context)


@login_required
@require_POST
def member_remove(request: HtmxHttpRequest, slug: str, pk: int, lid: int) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    groep = get_object_or_404(Groep, programma=access.programma, pk=pk)
    member = get_object_or_404(GroepLid.objects.select_related("groep"), groep=groep, pk=lid)
    wie = member.wie
    groups.remove_group_member(member)
    message = _("%(wie)s is geen lid meer van %(groep)s.") % {"wie": wie, "groep": groep.naam}
    return _members_changed(request, access, groep.pk, message, "#leden-kop")


@login_required
@require_POST
def kartrekkers_set(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    groep = groups.group_of(access.programma, pk)
    form = KartrekkersForm(request.POST, groep=groep, prefix="kartrekkers")
    if form.is_valid():
        try:
            changed = groups.set_kartrekkers(groep, form.cleaned_data["kartrekkers"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            chosen = [lid.wie for lid in form.cleaned_data["kartrekkers"]]
            if not changed:
                message = _("Niets gewijzigd.")
            elif chosen:
                message = _("Kartrekker van %(groep)s: %(wie)s.") % {
                    "groep": groep.naam,
                    "wie": ", ".join(chosen),
                }
            else:
                message = _("%(groep)s heeft geen kartrekker meer.") % {"groep": groep.naam}
            return _members_changed(request, access, groep.pk, message, "#kartrekkers-kop")
    context = _detail_context(access, groep, kartrekkers_form=form)
    return _members_failed(request, access, context, "#kartrekkers-fouten")
