"""Who may change the goal tree: the programme's leader and team (and site administrators)."""

import rules

from programmes.models import Programma, Rol
from programmes.rules import role_in

TREE_EDITORS = frozenset({Rol.PROGRAMMALEIDER, Rol.PROGRAMMATEAM})


@rules.predicate
def edits_tree(user, programma: Programma) -> bool:
    return role_in(user, programma) in TREE_EDITORS


rules.add_perm("doelenboom.change_doelenboom", rules.is_superuser | edits_tree)
