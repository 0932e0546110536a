"""The one access check each programme view starts with."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from programmes.models import Programma, Rol
from programmes.rules import role_in


@dataclass(frozen=True)
class ProgrammaAccess:
    programma: Programma
    rol: str | None
    may_edit: bool
    may_manage: bool
    # Archiving, restoring and deleting the programme itself: site administrators only.
    may_administer: bool = False

    def context(self, **extra: object) -> dict[str, object]:
        """A programme page's template context: this access answer, the programme, `extra`."""
        return {"access": self, "programma": self.programma, **extra}

    @property
    def rol_label(self) -> str:
        if self.rol:
            return Rol(self.rol).label
        return _("Beheerder")

    @property
    def archived(self) -> bool:
        return self.programma.gearchiveerd_op is not None


def programma_access(request: HttpRequest, slug: str) -> ProgrammaAccess:
    """The programme of the URL and what the user may do there; 404 for non-members.

    A 404 rather than a 403 so that outsiders cannot probe which programmes exist. An
    archived programme is read-only for everyone, site administrators included.
    """
    programma = get_object_or_404(Programma, slug=slug)
    user = request.user
    if not user.has_perm("programmes.view_programma", programma):
        raise Http404
    active = programma.gearchiveerd_op is None
    return ProgrammaAccess(
        programma=programma,
        rol=role_in(user, programma),
        # By name only: doelenboom/rules.py defines it, and programmes imports no higher app.
        may_edit=active and user.has_perm("doelenboom.change_doelenboom", programma),
        may_manage=active and user.has_perm("programmes.manage_programma", programma),
        may_administer=user.is_superuser,
    )


def _refuse_if_archived(access: ProgrammaAccess) -> None:
    if access.archived:
        raise PermissionDenied(_("Dit programma is gearchiveerd en alleen te lezen."))


def require_manage(access: ProgrammaAccess, refusal: str) -> None:
    """Refuse a change to the programme's members, partners or groups (also a crafted POST)
    by all but the programmaleider and site administrators; `refusal` says what is refused."""
    _refuse_if_archived(access)
    if not access.may_manage:
        raise PermissionDenied(refusal)


def require_edit(access: ProgrammaAccess) -> None:
    """Refuse a write (also a crafted POST) by a member who may only read."""
    _refuse_if_archived(access)
    if not access.may_edit:
        raise PermissionDenied(_("U mag de doelenboom van dit programma niet bewerken."))


def require_administer(access: ProgrammaAccess) -> None:
    """Refuse archiving, restoring or deleting a programme to all but site administrators."""
    if not access.may_administer:
        raise PermissionDenied(
            _("Alleen de beheerder van Koers kan een programma archiveren of verwijderen.")
        )
