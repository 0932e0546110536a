"""Finding the tree item a URL names, for every view that works on one item."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.htmx import HtmxHttpRequest
from doelenboom.levels import LEVELS, Level, level_of
from doelenboom.models import Versioned
from programmes.access import ProgrammaAccess, programma_access, require_edit


def level_for_kind(kind: str) -> Level:
    if kind not in LEVELS:
        raise Http404
    return LEVELS[kind]


def editable_item(
    request: HtmxHttpRequest, slug: str, kind: str, pk: int
) -> tuple[ProgrammaAccess, Versioned, Level]:
    """The access answer, the item and its level for a write; 403 for readers, 404 elsewhere."""
    access = programma_access(request, slug)
    require_edit(access)
    obj = get_item(access, kind, pk)
    return access, obj, level_of(obj)


def get_item(access: ProgrammaAccess, kind: str, pk: int) -> Versioned:
    """A tree item of this programme, or 404 — also for another programme's ids."""
    level = level_for_kind(kind)
    return get_object_or_404(level.model, pk=pk, **{level.scope: access.programma})


def item_context(
    access: ProgrammaAccess, level: Level, obj: Versioned | None, **extra: object
) -> dict[str, object]:
    """The context of a page about one item (or a new one) of `level`."""
    return access.context(kind=level.key, label=level.label(access.programma), item=obj, **extra)
