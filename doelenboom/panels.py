"""Sections that apps above the tree add to an inspanning's page.

doelenboom may not import fasering (the layers), yet an inspanning's page shows its status
timeline. So fasering registers a panel here when it starts (FaseringConfig.ready), and the
page renders every registered panel below its own sections, in registration order.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from doelenboom.models import Inspanning
from programmes.access import ProgrammaAccess

# A panel renders its own HTML (a <section> with a heading) for one inspanning.
Panel = Callable[[HttpRequest, ProgrammaAccess, Inspanning], SafeString]

_panels: list[Panel] = []


def register(panel: Panel) -> None:
    """Add a panel; registering the same one twice (a second ready()) keeps one."""
    if panel not in _panels:
        _panels.append(panel)


def panels_for(request: HttpRequest, access: ProgrammaAccess, inspanning: Inspanning):
    """The rendered panels of `inspanning`'s page."""
    return [panel(request, access, inspanning) for panel in _panels]
