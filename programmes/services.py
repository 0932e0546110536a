"""Writes of the programmes app that touch more than one row."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programmes.members import AbsoluteUrl, appoint_leader
from programmes.models import LEVEL_LABEL_FIELDS, Lidmaatschap, Programma, Rol


def may_create_programma(user: AbstractBaseUser) -> bool:
    """Site administrators, or every logged-in user when KOERS_OPEN_PROGRAMME_CREATION is on."""
    return user.has_perm("programmes.add_programma")


def create_programma(
    *,
    user: AbstractBaseUser,
    naam: str,
    slug: str,
    looptijd_start: int,
    looptijd_eind: int,
    korte_naam: str = "",
    werkgebied: Iterable[str] = (),
    programmaleider: str = "",
    absolute_url: AbsoluteUrl | None = None,
    **labels: str,
) -> Programma:
    """Start a programme and make `user` its programmaleider, in one transaction.

    Side effects: creates one `Programma` and one `Lidmaatschap` (rol programmaleider) for
    `user`, each with a history row. `labels` are the `label_*` fields (names of the tree
    levels); those left out keep their defaults. With `programmaleider`, an e-mail address,
    that person leads the programme instead (see `members.appoint_leader`: an account becomes
    programmaleider and `user` moves to the programmateam; an address without an account is
    invited and mailed a link made absolute by `absolute_url`). The input is expected to be
    validated (`ProgrammaForm`); a slug taken meanwhile by a concurrent request raises a
    ValidationError on "slug", a mail that cannot be sent one on "programmaleider", and
    nothing is written.
    """
    unknown = set(labels) - set(LEVEL_LABEL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown programme fields: {', '.join(sorted(unknown))}")
    try:
        with transaction.atomic():
            programma = Programma.objects.create(
                naam=naam,
                korte_naam=korte_naam,
                slug=slug,
                looptijd_start=looptijd_start,
                looptijd_eind=looptijd_eind,
                werkgebied=list(werkgebied),
                **labels,
            )
            creator = Lidmaatschap(user=user, programma=programma, rol=Rol.PROGRAMMALEIDER)
            creator._change_reason = _("Programma gestart")
            creator.save()
            email = programmaleider.strip()
            if email and email.lower() != (user.email or "").strip().lower():
                if absolute_url is None:
                    raise TypeError("naming a programmaleider needs absolute_url for the mail")
                try:
                    appoint_leader(programma, email, creator=user, absolute_url=absolute_url)
                except ValidationError as error:
                    raise ValidationError({"programmaleider": error.messages}) from error
    except IntegrityError:
        if Programma.objects.filter(slug=slug).exists():
            raise ValidationError(
                {
                    "slug": _(
                        "De korte naam in de URL „%(slug)s” is zojuist door een ander "
                        "programma in gebruik genomen; kies een andere."
                    )
                    % {"slug": slug}
                }
            ) from None
        raise
    return programma
