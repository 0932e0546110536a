"""Who is in a programme: invitations by e-mail, accepting them, roles and revoking access.

Every change is one call here, in one transaction, saved per object with a reason, so that
django-simple-history shows who changed what and why. Every change first locks the
programme's row: changes to one programme's members queue, and the rule that a programme
keeps at least one programmaleider is checked on what is committed, never on a stale read.

Only a SHA-256 hash of an invitation's token is stored; the link in the e-mail is the one way
in. It works once, not after it expires (KOERS_INVITATION_DAYS) and not once withdrawn.
"""

import hashlib
import re
import secrets
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formats import long_date
from core.history import who
from programmes.models import Groep, GroepLid, Lidmaatschap, Profiel, Programma, Rol, Uitnodiging

# Makes an absolute URL (with scheme and host) of a path; views pass request.build_absolute_uri.
AbsoluteUrl = Callable[[str], str]

TOKEN_BYTES = 32


class InvitationUnusable(Exception):
    """The token names no invitation that can still be accepted; `state` says why."""

    def __init__(self, state: str, invitation: Uitnodiging | None = None) -> None:
        super().__init__(state)
        self.state = state
        self.invitation = invitation


class WrongAccount(Exception):
    """The logged-in user is not the person the invitation was sent to."""


@dataclass(frozen=True)
class NewAccount:
    """What a visitor without an account fills in to accept an invitation."""

    first_name: str
    last_name: str
    password: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_state(invitation: Uitnodiging, now: datetime | None = None) -> str:
    """ "open", or why it can no longer be accepted: "gebruikt", "ingetrokken", "verlopen"."""
    if invitation.gebruikt_op:
        return "gebruikt"
    if invitation.ingetrokken_op:
        return "ingetrokken"
    if invitation.programma.gearchiveerd_op:
        return "gearchiveerd"
    if invitation.verloopt_op <= (now or timezone.now()):
        return "verlopen"
    return "open"


def find_invitation(token: str) -> Uitnodiging:
    """The open invitation of a token; InvitationUnusable("onbekend", …) says why not."""
    invitation = (
        Uitnodiging.objects.select_related("programma", "groep", "uitgenodigd_door")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable("onbekend")
    state = invitation_state(invitation)
    if state != "open":
        raise InvitationUnusable(state, invitation)
    return invitation


def account_for_email(email: str) -> AbstractBaseUser | None:
    """The one active account with this address; None when there is none, or several."""
    accounts = list(
        get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)[:2]
    )
    return accounts[0] if len(accounts) == 1 else None


def person(user: AbstractBaseUser | None) -> str:
    """A user as the member pages and the history name them."""
    if user is None:
        return _("(verwijderd)")
    return user.get_full_name() or user.get_username()


# -- helpers ------------------------------------------------------------------------------


def _lock_programme(programma: Programma) -> Programma:
    """The programme's row, locked until the transaction ends; an archived one is refused."""
    locked = Programma.objects.select_for_update().get(pk=programma.pk)
    if locked.gearchiveerd_op is not None:
        raise ValidationError(
            _("%(programma)s is gearchiveerd en alleen te lezen; de leden veranderen niet meer.")
            % {"programma": locked.naam},
            code="archived",
        )
    return locked


def _ensure_another_leader(lidmaatschap: Lidmaatschap) -> None:
    """Refuse to take away the last programmaleider; call with the programme row locked."""
    others = (
        Lidmaatschap.objects.select_for_update()
        .filter(programma_id=lidmaatschap.programma_id, rol=Rol.PROGRAMMALEIDER)
        .exclude(pk=lidmaatschap.pk)
    )
    if not others.exists():
        raise ValidationError(
            _(
                "%(naam)s is de enige programmaleider van dit programma. Maak eerst iemand "
                "anders programmaleider; een programma heeft altijd een programmaleider."
            )
            % {"naam": person(lidmaatschap.user)},
            code="last_leader",
        )


def _save(obj: Model, reason: str, by: AbstractBaseUser | None = None) -> None:
    obj._change_reason = reason
    if by is not None:
        # The person acting, also when the request has no logged-in user yet.
        obj._history_user = by
    obj.save()


def _delete(obj: Model, reason: str, by: AbstractBaseUser | None = None) -> None:
    obj._change_reason = reason
    if by is not None:
        obj._history_user = by
    obj.delete()


def username_for(email: str) -> str:
    """The login name of a new account: the e-mail address itself where Django allows it."""
    User = get_user_model()
    max_length = User._meta.get_field(User.USERNAME_FIELD).max_length
    candidate = email.lower()
    if not re.fullmatch(r"[\w.@+-]+", candidate) or len(candidate) > max_length:
        candidate = re.sub(r"[^\w.@+-]", "", email.split("@")[0].lower())[:40] or "lid"
    base, n = candidate, 1
    while User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": candidate}).exists():
        n += 1
        candidate = f"{base[: max_length - 6]}-{n}"
    return candidate


def _send(subject: str, template: str, context: dict[str, Any], to: str) -> None:
    """Send one mail (plain text and HTML); a failing mail server undoes the transaction."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"programmes/{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"programmes/{template}.html", context), "text/html"
    )
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        raise ValidationError(
            _(
                "De e-mail aan %(email)s kon niet worden verstuurd (%(fout)s), dus er is niets "
                "opgeslagen. Probeer het later opnieuw of meld het de beheerder van Koers."
            )
            % {"email": to, "fout": error.__class__.__name__},
            code="mail",
        ) from error


def _send_invitation(invitation: Uitnodiging, token: str, absolute_url: AbsoluteUrl) -> None:
    programma = invitation.programma
    context = {
        "programma": programma,
        "rol": invitation.get_rol_display().lower(),
        "groep": invitation.groep,
        "door": person(invitation.uitgenodigd_door) if invitation.uitgenodigd_door else "",
        "verloopt_op": long_date(timezone.localtime(invitation.verloopt_op)),
        "link": absolute_url(reverse("invitation", args=[token])),
    }
    subject = _("Uitnodiging voor %(programma)s in Koers") % {"programma": programma.naam}
    _send(subject, "invitation_email", context, invitation.email)


# -- services -----------------------------------------------------------------------------


@transaction.atomic
def invite_member(
    *,
    programma: Programma,
    email: str,
    rol: str,
    invited_by: AbstractBaseUser,
    absolute_url: AbsoluteUrl,
    groep: Groep | None = None,
) -> Uitnodiging:
    """Invite `email` to the programme with `rol` (and into `groep`), and mail the link.

    Side effects: withdraws this address's earlier open invitations to the programme (the new
    one replaces them), creates one Uitnodiging, each with a history row, and sends one
    e-mail. Raises ValidationError, naming the field, for an address that is already a
    member, a role that does not exist, a group of another programme, or a mail that could
    not be sent; then nothing is written.
    """
    _lock_programme(programma)
    email = email.strip()
    if rol not in Rol.values:
        raise ValidationError({"rol": _("Kies een rol uit de lijst.")})
    if groep is not None and groep.programma_id != programma.pk:
        raise ValidationError({"groep": _("Kies een groep van dit programma.")})
    existing = (
        Lidmaatschap.objects.filter(programma=programma, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "email": _(
                    "%(email)s is al lid van dit programma (%(naam)s, rol %(rol)s). Wijzig de "
                    "rol in de ledenlijst."
                )
                % {"email": email, "naam": person(existing.user), "rol": existing.get_rol_display()}
            }
        )
    now = timezone.now()
    earlier = Uitnodiging.objects.select_for_update().filter(
        programma=programma,
        email__iexact=email,
        gebruikt_op__isnull=True,
        ingetrokken_op__isnull=True,
    )
    for old in earlier:
        old.ingetrokken_op = now
        _save(old, _("Vervangen door een nieuwe uitnodiging"))

    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Uitnodiging(
        programma=programma,
        email=email,
        rol=rol,
        groep=groep,
        token_hash=hash_token(token),
        uitgenodigd_door=invited_by,
        verloopt_op=now + timedelta(days=settings.KOERS_INVITATION_DAYS),
    )
    invitation.full_clean()
    reason = _("Uitgenodigd als %(rol)s") % {"rol": invitation.get_rol_display()}
    if groep is not None:
        reason += ", " + _("groep %(groep)s") % {"groep": groep.naam}
    _save(invitation, reason)
    _send_invitation(invitation, token, absolute_url)
    return invitation


@transaction.atomic
def withdraw_invitation(invitation: Uitnodiging) -> None:
    """Withdraw an invitation that was not yet accepted: its link stops working.

    Side effects: sets `ingetrokken_op`, with a history row. Raises ValidationError when it
    was accepted meanwhile; withdrawing a withdrawn one changes nothing.
    """
    _lock_programme(invitation.programma)
    current = Uitnodiging.objects.select_for_update().get(pk=invitation.pk)
    if current.gebruikt_op:
        raise ValidationError(
            _("De uitnodiging van %(email)s is al aangenomen; er valt niets in te trekken.")
            % {"email": current.email},
            code="used",
        )
    if current.ingetrokken_op:
        return
    current.ingetrokken_op = timezone.now()
    _save(current, _("Uitnodiging ingetrokken"))


def _create_account(email: str, account: NewAccount) -> AbstractBaseUser:
    User = get_user_model()
    user = User(
        **{User.USERNAME_FIELD: username_for(email)},
        email=email,
        first_name=account.first_name.strip(),
        last_name=account.last_name.strip(),
    )
    validate_password(account.password, user)
    user.set_password(account.password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def accept_invitation(
    token: str, *, user: AbstractBaseUser | None = None, account: NewAccount | None = None
) -> tuple[AbstractBaseUser, Lidmaatschap]:
    """Accept the invitation of `token`, as the logged-in `user` or with a new `account`.

    Side effects: creates the account (for `account`); gives the user the invitation's role in
    the programme, replacing a role they already had; adds them to the invitation's group;
    marks the invitation used. Every write has a history row in the user's name. Raises
    InvitationUnusable (unknown, used, withdrawn, expired), WrongAccount (`user`'s address is
    not the invited one), or ValidationError (an existing account should log in, a password
    the validators refuse, or demoting the last programmaleider); then nothing is written.
    Returns the user and their membership.
    """
    found = find_invitation(token)
    programma = _lock_programme(found.programma)
    invitation = Uitnodiging.objects.select_for_update().get(pk=found.pk)
    state = invitation_state(invitation)
    if state != "open":  # accepted or withdrawn while waiting for the lock
        raise InvitationUnusable(state, invitation)

    if user is None:
        if account is None:
            raise TypeError("accept_invitation needs a user or an account")
        if account_for_email(invitation.email) is not None:
            raise ValidationError(
                _(
                    "Er is al een account met het e-mailadres %(email)s. Log in om de "
                    "uitnodiging aan te nemen."
                )
                % {"email": invitation.email},
                code="account_exists",
            )
        user = _create_account(invitation.email, account)
    elif user.email.strip().lower() != invitation.email.strip().lower():
        raise WrongAccount(invitation.email)

    rol_label = invitation.get_rol_display()
    lid = Lidmaatschap.objects.select_for_update().filter(user=user, programma=programma).first()
    if lid is None:
        lid = Lidmaatschap(user=user, programma=programma, rol=invitation.rol)
        _save(lid, _("Lid geworden via een uitnodiging, als %(rol)s") % {"rol": rol_label}, user)
    elif lid.rol != invitation.rol:
        if lid.rol == Rol.PROGRAMMALEIDER:
            _ensure_another_leader(lid)
        old = lid.get_rol_display()
        lid.rol = invitation.rol
        _save(
            lid,
            _("Rol gewijzigd van %(oud)s naar %(nieuw)s via een uitnodiging")
            % {"oud": old, "nieuw": rol_label},
            user,
        )

    groep = invitation.groep
    in_group = groep is not None and groep.leden.filter(user=user).exists()
    if groep is not None and groep.programma_id == programma.pk and not in_group:
        profiel = Profiel.objects.filter(user=user).select_related("organisatie").first()
        member = GroepLid(
            groep=groep,
            user=user,
            organisatie=profiel.organisatie if profiel else None,
            volgorde=groep.leden.count() + 1,
        )
        member.full_clean()
        _save(member, _("Toegevoegd via een uitnodiging"), user)

    invitation.gebruikt_op = timezone.now()
    invitation.gebruikt_door = user
    _save(invitation, _("Uitnodiging aangenomen door %(naam)s") % {"naam": person(user)}, user)
    return user, lid


@transaction.atomic
def change_role(lidmaatschap: Lidmaatschap, rol: str) -> bool:
    """Give a member another role; returns whether anything changed.

    Side effects: saves the membership with a history row. Raises ValidationError for a role
    that does not exist, or when it would leave the programme without a programmaleider;
    then nothing is written.
    """
    if rol not in Rol.values:
        raise ValidationError({"rol": _("Kies een rol uit de lijst.")})
    _lock_programme(lidmaatschap.programma)
    current = (
        Lidmaatschap.objects.select_for_update().select_related("user").get(pk=lidmaatschap.pk)
    )
    if current.rol == rol:
        return False
    if current.rol == Rol.PROGRAMMALEIDER:
        _ensure_another_leader(current)
    old = current.get_rol_display()
    current.rol = rol
    _save(
        current,
        _("Rol gewijzigd van %(oud)s naar %(nieuw)s") % {"oud": old, "nieuw": Rol(rol).label},
    )
    return True


@transaction.atomic
def revoke_membership(lidmaatschap: Lidmaatschap) -> None:
    """Take away a member's access to the programme.

    Side effects: deletes the membership and the person's places in the programme's groups,
    each with a history row. Raises ValidationError when they are the last programmaleider;
    then nothing is written.
    """
    _lock_programme(lidmaatschap.programma)
    current = (
        Lidmaatschap.objects.select_for_update().select_related("user").get(pk=lidmaatschap.pk)
    )
    if current.rol == Rol.PROGRAMMALEIDER:
        _ensure_another_leader(current)
    reason = _("Toegang ingetrokken")
    for place in GroepLid.objects.filter(
        groep__programma_id=current.programma_id, user=current.user
    ):
        _delete(place, reason)
    _delete(current, reason)


@transaction.atomic
def appoint_leader(
    programma: Programma,
    email: str,
    *,
    creator: AbstractBaseUser,
    absolute_url: AbsoluteUrl,
) -> Lidmaatschap | Uitnodiging:
    """Make the person with `email` the programmaleider of a programme just started by `creator`.

    With an account, they become programmaleider at once (and get an e-mail saying so) and
    the creator moves to the programmateam. Without one, they are invited as programmaleider
    and the creator stays programmaleider, so that someone can lead the programme and follow
    up the invitation until it is accepted. Returns the new membership or the invitation.
    Side effects: as `invite_member`, or one membership saved and one changed and one e-mail.
    """
    leader = account_for_email(email)
    if leader is None:
        return invite_member(
            programma=programma,
            email=email,
            rol=Rol.PROGRAMMALEIDER,
            invited_by=creator,
            absolute_url=absolute_url,
        )
    _lock_programme(programma)
    lid = Lidmaatschap.objects.select_for_update().filter(user=leader, programma=programma).first()
    if leader.pk == creator.pk and lid is not None and lid.rol == Rol.PROGRAMMALEIDER:
        return lid  # the creator named themselves: nothing changes
    if lid is None:
        lid = Lidmaatschap(user=leader, programma=programma)
    lid.rol = Rol.PROGRAMMALEIDER
    _save(lid, _("Programmaleider genoemd bij de start van het programma"))
    own = Lidmaatschap.objects.select_for_update().filter(user=creator, programma=programma).first()
    if own is not None and own.pk != lid.pk and own.rol == Rol.PROGRAMMALEIDER:
        own.rol = Rol.PROGRAMMATEAM
        _save(own, _("Programmateam: %(naam)s is de programmaleider") % {"naam": person(leader)})
    context = {
        "programma": programma,
        "door": person(creator),
        "link": absolute_url(programma.get_absolute_url()),
    }
    subject = _("U bent programmaleider van %(programma)s in Koers") % {"programma": programma.naam}
    _send(subject, "leader_email", context, leader.email)
    return lid


# -- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberChange:
    """One line of "recente wijzigingen in de leden"."""

    when: datetime
    who: str
    subject: str
    what: str


def _default_text(kind: str, history_type: str, rol_label: str) -> str:
    if kind == "lid":
        texts = {
            "+": _("Lid geworden als %(rol)s"),
            "~": _("Rol nu %(rol)s"),
            "-": _("Toegang ingetrokken"),
        }
    else:
        texts = {
            "+": _("Uitgenodigd als %(rol)s"),
            "~": _("Uitnodiging gewijzigd"),
            "-": _("Uitnodiging verwijderd"),
        }
    return texts[history_type] % {"rol": rol_label}


def recent_member_changes(programma: Programma, limit: int = 10) -> list[MemberChange]:
    """The latest changes to the programme's members and invitations, newest first.

    Three queries whatever the number of changes: memberships, invitations, their users.
    """
    order = ("-history_date", "-history_id")
    memberships = list(
        Lidmaatschap.history.filter(programma_id=programma.pk)
        .select_related("history_user")
        .order_by(*order)[:limit]
    )
    invitations = list(
        Uitnodiging.history.filter(programma_id=programma.pk)
        .select_related("history_user")
        .order_by(*order)[:limit]
    )
    users = get_user_model().objects.in_bulk({r.user_id for r in memberships})
    changes = [
        (
            r.history_date,
            r.history_id,
            MemberChange(
                when=r.history_date,
                who=who(r),
                subject=person(users.get(r.user_id)),
                what=r.history_change_reason
                or _default_text("lid", r.history_type, Rol(r.rol).label),
            ),
        )
        for r in memberships
    ]
    changes += [
        (
            r.history_date,
            r.history_id,
            MemberChange(
                when=r.history_date,
                who=who(r),
                subject=r.email,
                what=r.history_change_reason
                or _default_text("uitnodiging", r.history_type, Rol(r.rol).label),
            ),
        )
        for r in invitations
    ]
    changes.sort(key=lambda c: (c[0], c[1]), reverse=True)
    return [change for *_key, change in changes[:limit]]


def members_of(programma: Programma) -> list[Lidmaatschap]:
    """The programme's members with their organisation, by name; one query."""
    return list(
        programma.lidmaatschappen.select_related("user__profiel__organisatie").order_by(
            "user__first_name", "user__last_name", "user__username"
        )
    )


def open_invitations(programma: Programma) -> list[Uitnodiging]:
    """Invitations neither accepted nor withdrawn (expired ones marked `verlopen`); one query."""
    now = timezone.now()
    invitations = list(
        programma.uitnodigingen.filter(gebruikt_op__isnull=True, ingetrokken_op__isnull=True)
        .select_related("groep", "uitgenodigd_door")
        .order_by("email", "-aangemaakt_op")
    )
    for invitation in invitations:
        invitation.verlopen = invitation.verloopt_op <= now
    return invitations


def is_last_leader(lidmaatschap: Lidmaatschap) -> bool:
    """Whether this member is the programme's only programmaleider (a read for the pages;
    the services check again under a lock)."""
    return (
        lidmaatschap.rol == Rol.PROGRAMMALEIDER
        and not Lidmaatschap.objects.filter(
            programma_id=lidmaatschap.programma_id, rol=Rol.PROGRAMMALEIDER
        )
        .exclude(pk=lidmaatschap.pk)
        .exists()
    )
