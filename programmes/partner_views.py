"""Managing a programme's partners: taking an organisation on, ending and resuming.

The partner pages themselves (who does what) are read-only pages of the goal tree
(doelenboom.views); these are the writes, for the programme leader.
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

from core.formats import long_date
from core.forms import show_errors
from core.htmx import HtmxHttpRequest
from programmes.access import ProgrammaAccess, programma_access, require_manage
from programmes.models import Partnerschap
from programmes.partner_forms import EndPartnerForm, PartnerAddForm
from programmes.partners import add_partner, admit_partner, end_partner


def _require_manage(access: ProgrammaAccess) -> None:
    require_manage(access, _("Alleen de programmaleider beheert de partners."))


def _partner_list(access: ProgrammaAccess, anchor: str = "") -> HttpResponse:
    url = reverse("doelenboom:partners", args=[access.programma.slug])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _partnerschap(access: ProgrammaAccess, organisatie: str) -> Partnerschap:
    return get_object_or_404(
        Partnerschap.objects.select_related("organisatie"),
        programma=access.programma,
        organisatie__slug=organisatie,
    )


def _announce_suggestions(form: PartnerAddForm) -> str:
    """What a screen reader hears when the choices under the name change."""
    if not form.typed:
        return ""
    parts = []
    n = len(form.offered)
    if n:
        parts.append(
            (
                _("%(n)d organisatie gevonden die lijkt op „%(naam)s”; kies hieronder.")
                if n == 1
                else _("%(n)d organisaties gevonden die lijken op „%(naam)s”; kies hieronder.")
            )
            % {"n": n, "naam": form.typed}
        )
    partners = [s.organisatie.naam for s in form.already_partners]
    if partners:
        parts.append(_("Al partner: %(namen)s.") % {"namen": ", ".join(partners)})
    if not n and form.exact_match is None:
        parts.append(_("U kunt een nieuwe organisatie „%(naam)s” aanmaken.") % {"naam": form.typed})
    return " ".join(parts)


@login_required
def partner_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Step 1: the name; step 2: choose a similar organisation or make a new one.

    With htmx, typing the name fetches the choices (GET with `naam`), so step 2 comes to
    the person; without it, posting the name shows them.
    """
    access = programma_access(request, slug)
    _require_manage(access)
    page = "programmes/partner_add.html"
    if request.method != "POST":
        form = PartnerAddForm(request.GET or None, programma=access.programma)
        if request.htmx and not request.htmx.history_restore_request and "naam" in request.GET:
            response = render(request, f"{page}#choices", access.context(form=form))
            return trigger_client_event(
                response,
                "koers:changed",
                {"focus": "", "message": _announce_suggestions(form)},
                after="settle",
            )
        return render(request, page, access.context(form=form))

    form = PartnerAddForm(request.POST, programma=access.programma)
    if not form.is_valid() or not form.choosing:
        return render(request, page, access.context(form=form))
    try:
        partnerschap = admit_partner(
            access.programma,
            organisatie=form.chosen(),
            naam=form.cleaned_data["naam"],
            soort=form.cleaned_data["soort"] or "overig",
        )
    except ValidationError as error:
        show_errors(form, error)
        return render(request, page, access.context(form=form))
    messages.success(
        request,
        _("%(naam)s is nu partner van %(programma)s.")
        % {"naam": partnerschap.organisatie.naam, "programma": access.programma.afkorting},
    )
    return _partner_list(access, f"partner-{partnerschap.organisatie.slug}")


@login_required
def partner_end(request: HtmxHttpRequest, slug: str, organisatie: str) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    partnerschap = _partnerschap(access, organisatie)
    if partnerschap.beeindigd_op is not None:
        messages.info(
            request,
            _("%(naam)s is sinds %(datum)s geen partner meer.")
            % {
                "naam": partnerschap.organisatie.naam,
                "datum": long_date(partnerschap.beeindigd_op),
            },
        )
        return _partner_list(access, "voormalige-partners")
    form = EndPartnerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            end_partner(partnerschap, op=form.cleaned_data["op"], reason=form.cleaned_data["reden"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("%(naam)s is geen partner meer van %(programma)s (tot en met %(datum)s).")
                % {
                    "naam": partnerschap.organisatie.naam,
                    "programma": access.programma.afkorting,
                    "datum": long_date(partnerschap.beeindigd_op),
                },
            )
            return _partner_list(access, "voormalige-partners")
    context = access.context(form=form, partnerschap=partnerschap)
    return render(request, "programmes/partner_end.html", context)


@login_required
@require_POST
def partner_resume(request: HtmxHttpRequest, slug: str, organisatie: str) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    partnerschap = _partnerschap(access, organisatie)
    naam = partnerschap.organisatie.naam
    if partnerschap.beeindigd_op is None:
        messages.info(request, _("%(naam)s is al partner van dit programma.") % {"naam": naam})
    else:
        add_partner(access.programma, partnerschap.organisatie, reason=_("Partnerschap hervat"))
        messages.success(
            request,
            _("%(naam)s is weer partner van %(programma)s.")
            % {"naam": naam, "programma": access.programma.afkorting},
        )
    return _partner_list(access, f"partner-{partnerschap.organisatie.slug}")
