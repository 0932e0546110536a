"""The members page of a programme (who is in it, invitations, roles, revoking access) and
accepting an invitation from the link in its e-mail.

Every member can read the page; only who may manage the programme (programmaleider or site
administrator) sees the controls, and every write by anyone else is refused with a 403, also
a crafted POST. Each change asks for confirmation first: a page of its own without
JavaScript, inline in the member's card with htmx.
"""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from core.formats import long_date
from core.forms import show_errors
from core.htmx import HtmxHttpRequest, template_for
from programmes import members as services
from programmes.access import ProgrammaAccess, programma_access, require_manage
from programmes.forms import AccountForm, InviteForm, RoleForm
from programmes.models import Lidmaatschap, Rol, Uitnodiging

MEMBERS_PAGE = "programmes/members.html"
CONFIRM_PAGE = "programmes/member_confirm.html"
INVITATION_PAGE = "programmes/invitation.html"
UNUSABLE_PAGE = "programmes/invitation_unusable.html"
# Where focus returns after a cancelled confirmation: a member's or an invitation's card.
BACK_TO = re.compile(r"(lid|uitnodiging)-\d+")


def _require_manage(access: ProgrammaAccess) -> None:
    require_manage(access, _("Alleen de programmaleider kan de leden van dit programma beheren."))


def _changed(response: HttpResponse, focus: str, message: str = "") -> HttpResponse:
    """Ask the page, once htmx has settled, to move focus and announce the change."""
    return trigger_client_event(
        response, "koers:changed", {"focus": focus, "message": message}, after="settle"
    )


def _members_url(access: ProgrammaAccess) -> str:
    return reverse("programmes:members", args=[access.programma.slug])


def _members_context(
    access: ProgrammaAccess,
    form: InviteForm | None = None,
    notice: str = "",
    notice_error: bool = False,
) -> dict:
    programma = access.programma
    if form is None and access.may_manage:
        form = InviteForm(programma=programma)
    return access.context(
        leden=services.members_of(programma),
        uitnodigingen=services.open_invitations(programma),
        wijzigingen=services.recent_member_changes(programma),
        form=form,
        has_groups=programma.groepen.exists(),
        rollen=Rol.choices,
        dagen=settings.KOERS_INVITATION_DAYS,
        notice=notice,
        notice_error=notice_error,
    )


def _done(
    request: HtmxHttpRequest,
    access: ProgrammaAccess,
    message: str,
    *,
    error: bool = False,
    focus: str = "#leden-melding",
    leave_to: str = "",
) -> HttpResponse:
    """Answer a change: the members page again (htmx: in place, with the message announced).

    `leave_to` sends the browser elsewhere instead: the acting user changed their own role or
    access, so this page's controls no longer apply to them.
    """
    if leave_to or not request.htmx:
        (messages.error if error else messages.success)(request, message)
        url = leave_to or _members_url(access)
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = _members_context(access, notice=message, notice_error=error)
    response = render(request, f"{MEMBERS_PAGE}#content", context)
    # The notice in the page shows and (focused, role status) speaks the message: not twice.
    return _changed(response, focus)


def _confirm(request: HtmxHttpRequest, access: ProgrammaAccess, **context: object) -> HttpResponse:
    """The confirmation step of a change: a page, or (htmx) a box inside the member's card."""
    response = render(
        request, template_for(request, CONFIRM_PAGE, "confirm"), access.context(**context)
    )
    if request.htmx:
        _changed(response, f"#{context['target']}-vraag")
    return response


# -- the members page ---------------------------------------------------------------------


@login_required
def members(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    response = render(
        request, template_for(request, MEMBERS_PAGE, "content"), _members_context(access)
    )
    back_to = request.GET.get("terug", "")
    if request.htmx and BACK_TO.fullmatch(back_to):
        # A cancelled confirmation: focus returns to the member or invitation it was about.
        _changed(response, f"#{back_to}-naam")
    return response


@login_required
@require_POST
def invite(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    form = InviteForm(request.POST, programma=access.programma)
    if form.is_valid():
        try:
            invitation = services.invite_member(
                programma=access.programma,
                email=form.cleaned_data["email"],
                rol=form.cleaned_data["rol"],
                groep=form.cleaned_data.get("groep"),
                invited_by=request.user,
                absolute_url=request.build_absolute_uri,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            message = _(
                "%(email)s is uitgenodigd als %(rol)s. De link in de e-mail werkt tot %(datum)s."
            ) % {
                "email": invitation.email,
                "rol": invitation.get_rol_display(),
                "datum": long_date(timezone.localtime(invitation.verloopt_op)),
            }
            return _done(request, access, message)
    context = _members_context(access, form=form)
    response = render(request, template_for(request, MEMBERS_PAGE, "content"), context)
    if request.htmx:
        _changed(response, "#uitnodigen-fouten")
    return response


@login_required
def withdraw(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    invitation = get_object_or_404(Uitnodiging, pk=pk, programma=access.programma)
    if request.method == "POST":
        try:
            services.withdraw_invitation(invitation)
        except ValidationError as error:
            return _done(request, access, " ".join(error.messages), error=True)
        return _done(
            request,
            access,
            _("De uitnodiging van %(email)s is ingetrokken; de link werkt niet meer.")
            % {"email": invitation.email},
        )
    return _confirm(
        request,
        access,
        heading=_("Uitnodiging intrekken"),
        question=_("Weet u zeker dat u de uitnodiging van %(email)s wilt intrekken?")
        % {"email": invitation.email},
        consequence=_(
            "De link in de e-mail werkt daarna niet meer. U kunt later opnieuw uitnodigen."
        ),
        action=reverse("programmes:withdraw", args=[access.programma.slug, invitation.pk]),
        submit=_("Ja, uitnodiging intrekken"),
        target=f"uitnodiging-{invitation.pk}",
        back=f"{_members_url(access)}?terug=uitnodiging-{invitation.pk}#uitnodiging-{invitation.pk}",
    )


def _member(access: ProgrammaAccess, pk: int) -> Lidmaatschap:
    return get_object_or_404(
        Lidmaatschap.objects.select_related("user", "programma"), pk=pk, programma=access.programma
    )


def _member_confirm_context(access: ProgrammaAccess, lid: Lidmaatschap, **extra: object) -> dict:
    return {
        "lid": lid,
        "naam": services.person(lid.user),
        "target": f"lid-{lid.pk}",
        "back": f"{_members_url(access)}?terug=lid-{lid.pk}#lid-{lid.pk}",
        **extra,
    }


@login_required
def change_role(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    lid = _member(access, pk)
    naam = services.person(lid.user)
    form = RoleForm(request.POST if request.method == "POST" else None, initial={"rol": lid.rol})
    action = reverse("programmes:change_role", args=[access.programma.slug, lid.pk])
    if request.method == "POST" and form.is_valid():
        rol = form.cleaned_data["rol"]
        if rol == lid.rol:
            return _done(
                request,
                access,
                _("Niets gewijzigd: %(naam)s is al %(rol)s.")
                % {"naam": naam, "rol": Rol(rol).label},
            )
        if form.cleaned_data["bevestigd"]:
            try:
                services.change_role(lid, rol)
            except ValidationError as error:
                return _done(request, access, " ".join(error.messages), error=True)
            message = _("De rol van %(naam)s is nu %(rol)s.") % {
                "naam": naam,
                "rol": Rol(rol).label,
            }
            own = lid.user_id == request.user.pk
            return _done(request, access, message, leave_to=_members_url(access) if own else "")
        refusal = ""
        if rol != Rol.PROGRAMMALEIDER and services.is_last_leader(lid):
            refusal = _(
                "%(naam)s is de enige programmaleider van dit programma. Maak eerst iemand "
                "anders programmaleider; een programma heeft altijd een programmaleider."
            ) % {"naam": naam}
        context = _member_confirm_context(
            access,
            lid,
            heading=_("Rol wijzigen"),
            question=_("De rol van %(naam)s wijzigen van %(oud)s naar %(nieuw)s?")
            % {"naam": naam, "oud": lid.get_rol_display(), "nieuw": Rol(rol).label},
            consequence=(
                _("U wijzigt uw eigen rol: daarna kunt u de leden misschien niet meer beheren.")
                if lid.user_id == request.user.pk
                else ""
            ),
            refusal=refusal,
            action=action,
            hidden={"rol": rol, "bevestigd": "on"},
            submit=_("Ja, rol wijzigen"),
            danger=False,
        )
        return _confirm(request, access, **context)
    # Asked without a (valid) role: choose one first.
    context = _member_confirm_context(
        access,
        lid,
        heading=_("Rol wijzigen"),
        question=_("Welke rol krijgt %(naam)s?") % {"naam": naam},
        role_form=form,
        action=action,
        submit=_("Verder"),
        danger=False,
    )
    return _confirm(request, access, **context)


@login_required
def revoke(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    _require_manage(access)
    lid = _member(access, pk)
    naam = services.person(lid.user)
    own = lid.user_id == request.user.pk
    if request.method == "POST":
        try:
            services.revoke_membership(lid)
        except ValidationError as error:
            return _done(request, access, " ".join(error.messages), error=True)
        if own:
            message = _("U heeft uw eigen toegang tot %(programma)s ingetrokken.") % {
                "programma": access.programma.naam
            }
            return _done(request, access, message, leave_to=reverse("programmes:list"))
        message = _("%(naam)s heeft geen toegang meer tot dit programma.") % {"naam": naam}
        return _done(request, access, message)
    refusal = ""
    if services.is_last_leader(lid):
        refusal = _(
            "%(naam)s is de enige programmaleider van dit programma. Maak eerst iemand anders "
            "programmaleider; een programma heeft altijd een programmaleider."
        ) % {"naam": naam}
    context = _member_confirm_context(
        access,
        lid,
        heading=_("Toegang intrekken"),
        question=_("Weet u zeker dat u de toegang van %(naam)s tot dit programma wilt intrekken?")
        % {"naam": naam},
        consequence=(
            _("U trekt uw eigen toegang in: daarna kunt u dit programma niet meer openen.")
            if own
            else _(
                "%(naam)s kan het programma daarna niet meer openen en gaat uit de groepen van "
                "het programma. De geschiedenis bewaart wie er lid was."
            )
            % {"naam": naam}
        ),
        refusal=refusal,
        action=reverse("programmes:revoke", args=[access.programma.slug, lid.pk]),
        submit=_("Ja, toegang intrekken"),
        danger=True,
    )
    return _confirm(request, access, **context)


# -- accepting an invitation ----------------------------------------------------------------


def _unusable(request: HtmxHttpRequest, problem: services.InvitationUnusable) -> HttpResponse:
    invitation = problem.invitation
    status = 404 if problem.state == "onbekend" else 410
    context = {
        "state": problem.state,
        "uitnodiging": invitation,
        "door": services.person(invitation.uitgenodigd_door)
        if invitation and invitation.uitgenodigd_door
        else "",
    }
    return render(request, UNUSABLE_PAGE, context, status=status)


@never_cache
def accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The page the invitation's link opens: accept as the invited account, or make one."""
    try:
        invitation = services.find_invitation(token)
    except services.InvitationUnusable as problem:
        used = problem.invitation
        if (
            used is not None
            and problem.state == "gebruikt"
            and used.gebruikt_door_id == request.user.pk
            and used.programma.lidmaatschappen.filter(user=request.user).exists()
        ):
            # Opening the link a second time: already in, so straight to the programme.
            return redirect(used.programma)
        return _unusable(request, problem)

    context: dict[str, object] = {
        "uitnodiging": invitation,
        "door": services.person(invitation.uitgenodigd_door) if invitation.uitgenodigd_door else "",
        "verloopt_op": invitation.verloopt_op,
    }
    user = request.user
    if user.is_authenticated:
        if (user.email or "").strip().lower() != invitation.email.strip().lower():
            context["mode"] = "other_account"
            return render(request, INVITATION_PAGE, context, status=403)
        context["mode"] = "accept"
        if request.method == "POST":
            return _accept(request, token, context, user=user)
        return render(request, INVITATION_PAGE, context)

    if services.account_for_email(invitation.email) is not None:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        context["mode"] = "log_in"
        context["login_url"] = f"{reverse('login')}?next={request.path}"
        return render(request, INVITATION_PAGE, context)

    context["mode"] = "new_account"
    context["username"] = services.username_for(invitation.email)
    form = AccountForm(request.POST if request.method == "POST" else None, email=invitation.email)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        account = services.NewAccount(
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
        )
        return _accept(request, token, context, account=account)
    return render(request, INVITATION_PAGE, context)


def _accept(
    request: HtmxHttpRequest,
    token: str,
    context: dict[str, object],
    **who: object,
) -> HttpResponse:
    try:
        user, lid = services.accept_invitation(token, **who)
    except services.InvitationUnusable as problem:
        return _unusable(request, problem)
    except services.WrongAccount:
        context["mode"] = "other_account"
        return render(request, INVITATION_PAGE, context, status=403)
    except ValidationError as error:
        form = context.get("form")
        if form is not None:
            show_errors(form, error)
        else:
            context["error"] = " ".join(error.messages)
        return render(request, INVITATION_PAGE, context)
    programma = lid.programma
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        message = _(
            "Welkom in Koers. U bent nu %(rol)s in %(programma)s. Voortaan logt u in met "
            "gebruikersnaam %(gebruikersnaam)s en uw wachtwoord."
        ) % {
            "rol": lid.get_rol_display(),
            "programma": programma.naam,
            "gebruikersnaam": user.get_username(),
        }
    else:
        message = _("U bent nu %(rol)s in %(programma)s.") % {
            "rol": lid.get_rol_display(),
            "programma": programma.naam,
        }
    messages.success(request, message)
    if lid.rol == Rol.COALITIELID:
        # A coalitielid comes to report on what their group carries: that is on Mijn werk.
        return redirect("mijn_werk:index")
    return redirect(programma)
