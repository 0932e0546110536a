"""Which tree items are in an adopted plan, asked of the apps above the tree.

doelenboom may not import fasering (the layers), yet an edit to an item that is in the current
vastgesteld faseplan must carry a reason. So fasering registers a check here when it starts
(FaseringConfig.ready); the edit form and services.update_item ask `adopted_plan_of`.
"""

from collections.abc import Callable

from django.db import models

# A check answers the name of the adopted plan the item is in, or None.
AdoptedCheck = Callable[[models.Model], str | None]

_checks: list[AdoptedCheck] = []


def register(check: AdoptedCheck) -> None:
    """Add a check; registering the same one twice (a second ready()) keeps one."""
    if check not in _checks:
        _checks.append(check)


def adopted_plan_of(obj: models.Model) -> str | None:
    """The name of an adopted plan that holds `obj` (a saved tree item), or None."""
    if obj.pk is None:
        return None
    for check in _checks:
        name = check(obj)
        if name:
            return name
    return None
