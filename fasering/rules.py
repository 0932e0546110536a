"""Who may do what with faseplannen, planning and risks (site administrators: everything).

- edit a plan, the planning and the risks: the programme's leader and team;
- put a plan ter besluitvorming: the leader;
- adopt it: the leader or a stuurgroep member;
- leave a remark on a plan ter besluitvorming: a stuurgroep member (and the leader);
- answer or resolve a remark: the leader.

An archived programme refuses every write whatever the role (programmes/access.py).
"""

import rules

from programmes.models import Programma, Rol
from programmes.rules import role_in


def _role_is(*roles: str):
    @rules.predicate
    def predicate(user, programma: Programma) -> bool:
        return role_in(user, programma) in roles

    return predicate


plans_programme = _role_is(Rol.PROGRAMMALEIDER, Rol.PROGRAMMATEAM)
leads = _role_is(Rol.PROGRAMMALEIDER)
steers = _role_is(Rol.PROGRAMMALEIDER, Rol.STUURGROEP)

rules.add_perm("fasering.change_faseplan", rules.is_superuser | plans_programme)
rules.add_perm("fasering.submit_faseplan", rules.is_superuser | leads)
rules.add_perm("fasering.adopt_faseplan", rules.is_superuser | steers)
rules.add_perm("fasering.add_opmerking", rules.is_superuser | steers)
rules.add_perm("fasering.answer_opmerking", rules.is_superuser | leads)
