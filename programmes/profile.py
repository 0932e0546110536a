"""A user's own profile: their name and whether they want reminder e-mails.

A user may have no Profiel row (accounts made before profiles, or by the admin); that reads
as the defaults (reminders on), and saving the profile creates it.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programmes.models import Profiel

NAME_MAX_LENGTH = 150


@dataclass(frozen=True)
class ProfileView:
    """What the profile page shows of a user."""

    first_name: str
    last_name: str
    email: str
    organisatie: str
    herinneringen: bool


def profile_of(user: AbstractBaseUser) -> ProfileView:
    profiel = Profiel.objects.select_related("organisatie").filter(user=user).first()
    return ProfileView(
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        organisatie=str(profiel.organisatie) if profiel and profiel.organisatie else "",
        herinneringen=profiel.herinneringen if profiel else True,
    )


def _clean_name(value: str, field: str, missing: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError({field: missing})
    if len(value) > NAME_MAX_LENGTH:
        raise ValidationError(
            {field: _("Houd het bij %(n)d tekens of minder.") % {"n": NAME_MAX_LENGTH}}
        )
    return value


@transaction.atomic
def update_profile(
    user: AbstractBaseUser, *, first_name: str, last_name: str, herinneringen: bool
) -> set[str]:
    """Save `user`'s name and reminder choice; returns the names of what changed.

    Side effects: saves the user when the name changed; creates their Profiel when missing,
    saves it (with a history row and reason) when the reminder choice changed. Raises
    ValidationError naming the field for an empty or too long name; then nothing is written.
    """
    first_name = _clean_name(first_name, "first_name", _("Vul uw voornaam in."))
    last_name = _clean_name(last_name, "last_name", _("Vul uw achternaam in."))
    account = get_user_model().objects.select_for_update().get(pk=user.pk)
    changed: set[str] = set()
    if (account.first_name, account.last_name) != (first_name, last_name):
        account.first_name, account.last_name = first_name, last_name
        account.save(update_fields=["first_name", "last_name"])
        changed.add("naam")
    # The user's row is locked above, so two first saves cannot both create a Profiel.
    profiel = Profiel.objects.select_for_update().filter(user=account).first()
    before = profiel.herinneringen if profiel else True
    if profiel is None or before != herinneringen:
        if profiel is None:
            profiel = Profiel(user=account)
            reason = _("Profiel aangemaakt op de profielpagina")
        elif herinneringen:
            reason = _("Herinneringen per e-mail aangezet")
        else:
            reason = _("Herinneringen per e-mail uitgezet")
        profiel.herinneringen = herinneringen
        profiel._change_reason = reason
        profiel._history_user = account
        profiel.save()
    if before != herinneringen:
        changed.add("herinneringen")
    return changed
