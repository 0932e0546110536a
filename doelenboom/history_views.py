"""The goal tree's history pages: an item's versions (also of a deleted item), reverting a
version or a link change, restoring a deleted item, and the programme's recent changes."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.htmx import HtmxHttpRequest
from doelenboom import history, services
from doelenboom.items import editable_item, item_context, level_for_kind
from doelenboom.levels import Level
from programmes.access import ProgrammaAccess, programma_access, require_edit


def _history_url(access: ProgrammaAccess, kind: str, pk: int) -> str:
    return reverse("doelenboom:history", args=[access.programma.slug, kind, pk])


def _not_reverted(request: HtmxHttpRequest, error: Exception) -> None:
    if isinstance(error, services.EditConflict):
        text = _(
            "Niet teruggezet: iemand heeft dit intussen gewijzigd. "
            "Bekijk de geschiedenis hieronder en probeer het opnieuw."
        )
    else:
        text = _("Niet teruggezet: %(reden)s") % {"reden": " ".join(error.messages)}
    messages.error(request, text)


def _expected_versie(request: HtmxHttpRequest) -> int:
    expected = request.POST.get("versie", "")
    if not expected.isdigit():
        raise Http404
    return int(expected)


@login_required
@require_GET
def item_history(request: HtmxHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """Every version of an item; of a deleted item too, read from its history rows."""
    access = programma_access(request, slug)
    level = level_for_kind(kind)
    obj = level.model.objects.filter(pk=pk, **{level.scope: access.programma}).first()
    deletion = None
    if obj is None:
        record = history.latest_record(access.programma, level, pk)
        if record is None or record.history_type != "-":
            raise Http404
        deletion = history.deletion(access.programma, level, record)
    context = item_context(
        access,
        level,
        obj if obj is not None else deletion.record,
        item_id=pk,
        entries=history.item_history(access.programma, level, pk, obj),
        deletion=deletion,
        restore_days=history.restore_days(),
    )
    return render(request, "doelenboom/history.html", context)


@login_required
@require_POST
def revert_item(
    request: HtmxHttpRequest, slug: str, kind: str, pk: int, history_id: int
) -> HttpResponse:
    access, obj, _level = editable_item(request, slug, kind, pk)
    record = get_object_or_404(obj.history, history_id=history_id, history_type__in=["+", "~"])
    url = _history_url(access, kind, obj.pk)
    try:
        saved = services.revert_item(obj, record, expected_versie=_expected_versie(request))
    except (services.EditConflict, ValidationError) as error:
        _not_reverted(request, error)
        return redirect(url)
    messages.success(
        request,
        _(
            "Teruggezet naar versie %(versie)s; dat is nu versie %(nieuw)s. "
            "Ook dit staat in de geschiedenis."
        )
        % {"versie": record.versie, "nieuw": saved.versie},
    )
    return redirect(url)


@login_required
@require_POST
def revert_link(
    request: HtmxHttpRequest, slug: str, kind: str, pk: int, link: str, history_id: int
) -> HttpResponse:
    """Undo one change to an item's goals, partners or steps."""
    access, obj, level = editable_item(request, slug, kind, pk)
    link_kind = history.LINK_KINDS.get(link)
    if link_kind is None or link_kind.owner != level.key:
        raise Http404
    record = get_object_or_404(
        link_kind.model.history, history_id=history_id, **{link_kind.owner_field: obj.pk}
    )
    url = _history_url(access, kind, obj.pk)
    try:
        saved = services.revert_link_change(
            obj, link_kind, record, expected_versie=_expected_versie(request)
        )
    except (services.EditConflict, ValidationError) as error:
        _not_reverted(request, error)
        return redirect(url)
    messages.success(
        request,
        _("Teruggedraaid: %(wijziging)s. Dat is nu versie %(versie)s.")
        % {"wijziging": history.describe_link(link_kind, record).text, "versie": saved.versie},
    )
    return redirect(url)


def _restored_message(access: ProgrammaAccess, level: Level, restored: Any) -> str:
    text = _("%(label)s “%(titel)s” hersteld.") % {
        "label": level.label(access.programma),
        "titel": restored.item.titel,
    }
    if restored.items or restored.links:
        items = ngettext(
            "%(n)s onderliggend onderdeel", "%(n)s onderliggende onderdelen", restored.items
        ) % {"n": restored.items}
        links = ngettext("%(n)s koppeling", "%(n)s koppelingen", restored.links) % {
            "n": restored.links
        }
        text += " " + _("Mee hersteld: %(items)s en %(links)s.") % {"items": items, "links": links}
    return text


@login_required
@require_POST
def restore_item(request: HtmxHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """Bring back a deleted item with what was deleted with it."""
    access = programma_access(request, slug)
    require_edit(access)
    level = level_for_kind(kind)
    record = history.latest_record(access.programma, level, pk)
    if record is None or record.history_type != "-":
        raise Http404
    url = _history_url(access, kind, pk)
    back = (
        reverse("doelenboom:changes", args=[access.programma.slug])
        if request.POST.get("terug") == "wijzigingen"
        else url
    )
    try:
        restored = services.restore_item(level, record)
    except services.ParentDeleted as refused:
        messages.error(
            request,
            _(
                "Niet hersteld: de %(label)s waaronder dit stond, is ook verwijderd. "
                "Herstel die eerst; dat kan hieronder."
            )
            % {"label": refused.level.label(access.programma).lower()},
        )
        return redirect(url)
    except ValidationError as error:
        messages.error(request, _("Niet hersteld: %(reden)s") % {"reden": " ".join(error.messages)})
        return redirect(back)
    messages.success(request, _restored_message(access, level, restored))
    for problem in restored.left_out:
        messages.warning(request, _("Niet mee hersteld: %(wat)s") % {"wat": problem})
    return redirect(back)


@login_required
@require_GET
def recent_changes(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    show_moves = request.GET.get("verplaatsingen") == "1"
    changes = history.recent_changes(
        access.programma, page=request.GET.get("pagina"), show_moves=show_moves
    )
    context = access.context(
        changes=changes,
        entries=changes.entries,
        restore_days=history.restore_days(),
    )
    return render(request, "doelenboom/changes.html", context)
