"""Who may change a programme's faseplannen, planning and risks: one answer for every view."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from programmes.access import ProgrammaAccess


def may_plan(user, access: ProgrammaAccess) -> bool:
    """The leader and team (fasering.change_faseplan), never in an archived programme."""
    return not access.archived and user.has_perm("fasering.change_faseplan", access.programma)


def require_plan(user, access: ProgrammaAccess, refusal: str) -> None:
    """Refuse a write (also a crafted POST) by who may not plan; `refusal` says what."""
    if access.archived:
        raise PermissionDenied(_("Dit programma is gearchiveerd en alleen te lezen."))
    if not may_plan(user, access):
        raise PermissionDenied(refusal)
